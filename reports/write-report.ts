/**
 * Writes the three reports of one run into a directory. An existing file is never replaced: the
 * name gets a counter (`report-2.html`, ...), and the paths actually used are returned. Files
 * are created with the exclusive flag, so a file appearing between check and write is safe too.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, parse } from 'node:path';
import type { RunResult } from '../sim/run-result.ts';
import { renderHtmlReport } from './html-report.ts';
import { toChromeTrace } from './perfetto.ts';
import { renderTextTimeline } from './text-timeline.ts';

export interface ReportPaths {
  html: string;
  perfetto: string;
  timeline: string;
}

/** Gives up past this many same-named files: a directory that full is a mistake, not a history. */
export const MAX_NAME_COUNTER = 10_000;

export function writeReportFiles(result: RunResult, outDir: string): ReportPaths {
  // Rendered before anything is created, so a result that cannot be rendered leaves no folder behind.
  const html = renderHtmlReport(result);
  const perfetto = `${JSON.stringify(toChromeTrace(result))}\n`;
  const timeline = renderTextTimeline(result);
  mkdirSync(outDir, { recursive: true });
  return {
    html: writeNew(outDir, 'report.html', html),
    perfetto: writeNew(outDir, 'trace.perfetto.json', perfetto),
    timeline: writeNew(outDir, 'timeline.txt', timeline),
  };
}

/** Writes `content` under `fileName`, or the first free `<name>-<n><ext>`; returns the path. */
export function writeNew(dir: string, fileName: string, content: string): string {
  mkdirSync(dir, { recursive: true });
  // `trace.perfetto.json` keeps its double extension: trace-2.perfetto.json.
  const dot = fileName.indexOf('.');
  const { name, ext } = dot > 0 ? { name: fileName.slice(0, dot), ext: fileName.slice(dot) } : parse(fileName);
  for (let n = 1; n <= MAX_NAME_COUNTER; n++) {
    const path = join(dir, n === 1 ? fileName : `${name}-${n}${ext}`);
    try {
      writeFileSync(path, content, { flag: 'wx' });
      return path;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  throw new Error(
    `writeNew: ${MAX_NAME_COUNTER} files named like ${fileName} already exist in ${dir} (limit MAX_NAME_COUNTER=${MAX_NAME_COUNTER})`,
  );
}
