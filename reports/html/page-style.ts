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
table.facts th { color: #555; font-weight: 600; white-space: nowrap; } table.facts td { max-width: 760px; }
.header-grid { flex-wrap: nowrap; } td.num { text-align: right; }
table.faults { border: 1px solid #ddd; } table.faults thead th { background: #f4f4f4; }
tr.fired td:first-child { color: #c62828; font-weight: 600; } tr.never-fired { background: #fff3e0; }
pre.scenario { background: #f7f7f7; padding: 8px; max-height: 320px; overflow: auto; }
.next-step { border: 1px solid #90caf9; background: #f3f8fe; padding: 4px 12px 8px; margin: 12px 0; }
.next-step h2 { margin: 4px 0; border: none; padding: 0; } .next-step p { margin: 4px 0; }
.finding-k { font-size: 14px; }
.commands { display: grid; grid-template-columns: max-content auto; gap: 4px 12px; align-items: center; }
pre.command { margin: 0; padding: 4px 8px; background: #fff; border: 1px solid #ccc; user-select: all; }
.where { color: #555; }
details.violation-group { margin: 4px 0; border-left: 4px solid #c62828; background: #fff5f5; padding: 4px 8px; }
details.violation-group > summary { cursor: pointer; }
details.violation-group .property { color: #c62828; font-weight: 600; }
.first-message { color: #444; } .count { font-weight: 600; }
.causal-window h4 { font-size: 12px; margin: 6px 0 2px; }
.causal-window table { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 11px; }
.causal-window tr.fault td { color: #c62828; } .causal-window tr.evidence td { background: #fff3e0; font-weight: 600; }
table.findings td { border-top: 1px solid #eee; padding: 6px 8px; } table.findings td.num { white-space: nowrap; }
table.findings td:nth-child(3) { min-width: 220px; }
table.findings pre.command { white-space: pre-wrap; word-break: break-all; max-width: 440px; }
table.findings .property { color: #c62828; font-weight: 600; }
table.findings .signature code { font-size: 11px; color: #555; } .faults-needed { color: #555; }
.figure-row { display: flex; gap: 16px; align-items: flex-start; }
/* Never shrunk to fit: a narrower drawing would scale its time axis down with it. */
.figure-row > svg { flex: none; }
.figure-scroll { max-height: 78vh; overflow: auto; border: 1px solid #eee; }
.legend-note { color: #555; margin: 2px 0 6px; }
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
svg .arrow { stroke-width: 1.2; } svg .arrow-evidence { stroke: #ff6d00; stroke-width: 3; }
svg .head-evidence path { fill: #ff6d00; } svg .lost-cross { stroke: #d50000; stroke-width: 1.5; }
svg .arrow-label { font-size: 9px; fill: #555; paint-order: stroke; stroke: #fff; stroke-width: 3px; }
svg .arrow-label-post { fill: #0d47a1; } svg .arrow-label-response { fill: #1b5e20; }
svg .column { stroke: #bbb; stroke-width: 1.5; }
svg .fault-mark path { stroke: #d50000; stroke-width: 2; } svg .fault-mark text { fill: #d50000; font-size: 10px; }
svg .break { fill: none; stroke: #999; stroke-width: 1; } svg .break-label { fill: #777; font-size: 9px; }
svg .violation-line { stroke: #ff6d00; stroke-width: 1; stroke-dasharray: 6 3; }
svg .violation-label { fill: #e65100; font-size: 10px; font-weight: 600; }
svg .arrow-post { stroke: #1565c0; } svg .arrow-response { stroke: #2e7d32; }
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
