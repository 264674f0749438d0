/** The report's inline stylesheet: system fonts only, since the file must work offline. */
export const PAGE_STYLE = `
body {
  font: 13px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif;
  margin: 16px 24px;
  color: #1d1d1f;
  background: #fff;
}
h1 { font-size: 20px; margin: 0 0 8px; }
h2 { font-size: 16px; margin: 24px 0 8px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
h3 { font-size: 14px; margin: 0 0 4px; }
code, pre, table.timeline td { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12px; }
.badge {
  display: inline-block;
  padding: 2px 10px;
  border-radius: 10px;
  color: #fff;
  font-size: 13px;
  vertical-align: middle;
  text-transform: uppercase;
}
.verdict-passed { background: #2e7d32; } .verdict-violation { background: #c62828; }
.verdict-liveness { background: #ef6c00; }
.verdict-crash { background: #6a1b9a; } .verdict-step-limit { background: #455a64; }
.header-grid { display: flex; gap: 32px; align-items: flex-start; flex-wrap: wrap; }
table { border-collapse: collapse; } th, td { text-align: left; padding: 2px 8px; vertical-align: top; }
table.facts th { color: #555; font-weight: 600; } td.num { text-align: right; }
table.faults { border: 1px solid #ddd; } table.faults thead th { background: #f4f4f4; }
tr.fired td:first-child { color: #c62828; font-weight: 600; } tr.never-fired { background: #fff3e0; }
pre.scenario { background: #f7f7f7; padding: 8px; max-height: 320px; overflow: auto; }
.violation { border-left: 4px solid #c62828; background: #fff5f5; padding: 8px 12px; margin: 8px 0; }
.violation .property { color: #c62828; } .violation .message { margin: 4px 0; font-weight: 500; }
ol.evidence { margin: 4px 0; font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 12px; }
ol.evidence li.fault { color: #c62828; }
.ok { color: #2e7d32; } .error { color: #c62828; }
.note { color: #8a6d00; background: #fffbe6; padding: 4px 8px; display: inline-block; }
.scroll { overflow-x: auto; border: 1px solid #eee; }
svg text { font: 11px system-ui, sans-serif; fill: #333; } svg .tick { fill: #777; font-size: 10px; }
svg .plot-title { font-weight: 600; font-size: 12px; } svg .empty { fill: #999; }
svg .grid { stroke: #eee; } svg .lane { stroke: #ccc; }
svg .phase-chaos { fill: #fdecea; } svg .phase-heal { fill: #e8f5e9; }
svg .mark { fill: #607d8b; } svg .mark-net { fill: #90a4ae; } svg .mark-fault { fill: #d50000; }
svg .mark-evidence { fill: #ff9800; stroke: #e65100; stroke-width: 1.5; }
svg .arrow { stroke-width: 1.2; } svg .arrow-post { stroke: #1565c0; } svg .arrow-response { stroke: #2e7d32; }
svg .arrow-frame { stroke: #9e9e9e; } svg .arrow-lost { stroke: #d50000; stroke-dasharray: 4 3; }
svg .head-post path { fill: #1565c0; } svg .head-response path { fill: #2e7d32; }
svg .head-frame path { fill: #9e9e9e; }
.legend-row span { margin-right: 16px; }
.swatch { display: inline-block; width: 10px; height: 10px; margin-right: 4px; vertical-align: middle; }
.controls { margin: 8px 0; } .controls input[type=search] { width: 280px; }
table.timeline { width: 100%; } table.timeline thead th { position: sticky; top: 0; background: #f4f4f4; }
table.timeline tr:nth-child(even) { background: #fafafa; }
table.timeline tr.fault { color: #c62828; background: #ffebee; }
table.timeline tr.evidence { background: #fff3e0; font-weight: 600; }
table.timeline tr:target { outline: 2px solid #ff9800; background: #ffe0b2; }
table.timeline tr.hidden { display: none; } .fault-mark { font-weight: 700; }
table.timeline td:nth-child(5) { word-break: break-all; }
table.properties { border: 1px solid #ddd; } tr.property-violated td:last-child { color: #c62828; font-weight: 600; }
tr.property-not-checked, tr.property-unfinished { background: #fff3e0; }
`;
