/**
 * Writes the three reports of one run into a directory. An existing file is never replaced: the
 * name gets a counter (`report-2.html`, ...), and the paths actually used are returned (see
 * sim/files/exclusive-write.ts, which every file the harness leaves behind goes through).
 */
import type { RunResult } from '../sim/index.ts';
import { writeNew } from '../sim/files/index.ts';
import { renderHtmlReport } from './html-report.ts';
import type { HeaderFact } from './html/header-section.ts';
import { toChromeTrace } from './perfetto.ts';
import { renderTextTimeline } from './text-timeline.ts';

export interface ReportPaths {
  html: string;
  perfetto: string;
  timeline: string;
}

/** `facts`: what the run's context knows about it (a campaign finding's culprits), shown in the HTML header. */
export function writeReportFiles(result: RunResult, outDir: string, facts: readonly HeaderFact[] = []): ReportPaths {
  return {
    html: writeNew(outDir, 'report.html', renderHtmlReport(result, facts)),
    perfetto: writeNew(outDir, 'trace.perfetto.json', `${JSON.stringify(toChromeTrace(result))}\n`),
    timeline: writeNew(outDir, 'timeline.txt', renderTextTimeline(result)),
  };
}
