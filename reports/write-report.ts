/**
 * Writes the reports of one run into a directory (HTML, Perfetto, text timeline, JUnit). An
 * existing file is never replaced: the name gets a counter (`report-2.html`, ...), and the paths
 * actually used are returned (see
 * sim/files/exclusive-write.ts, which every file the harness leaves behind goes through).
 */
import { mkdirSync } from 'node:fs';
import type { RunResult } from '../sim/index.ts';
import { writeNew } from '../sim/files/index.ts';
import { renderHtmlReport, type ReportContext } from './html-report.ts';
import { toChromeTrace } from './perfetto.ts';
import { renderTextTimeline } from './text-timeline.ts';
import { runToJUnitXml } from './junit.ts';

export interface ReportPaths {
  html: string;
  perfetto: string;
  timeline: string;
  /** One testcase per property: failed when violated, skipped when not checked. */
  junit: string;
}

/**
 * `context`: what the caller knows about the run (which finding it is, its repro), shown at the
 * top of the HTML report.
 */
export function writeReportFiles(result: RunResult, outDir: string, context: ReportContext = {}): ReportPaths {
  // Rendered before anything is created, so a result that cannot be rendered leaves no folder behind.
  const html = renderHtmlReport(result, context);
  const perfetto = `${JSON.stringify(toChromeTrace(result))}\n`;
  const timeline = renderTextTimeline(result);
  const junit = runToJUnitXml(result);
  mkdirSync(outDir, { recursive: true });
  return {
    html: writeNew(outDir, 'report.html', html),
    perfetto: writeNew(outDir, 'trace.perfetto.json', perfetto),
    timeline: writeNew(outDir, 'timeline.txt', timeline),
    junit: writeNew(outDir, 'junit.xml', junit),
  };
}
