/**
 * `ssesim report <repro-or-result.json> --out DIR`: the HTML report, Perfetto trace, text timeline
 * and JUnit of one run; with --json, where each went as one JSON object.
 */
import { writeReportFiles, type ReportPaths } from '../reports/index.ts';
import { loadRunFile } from './run-file.ts';
import { printJson, printOut } from './output.ts';
import { prepareOutDir, removeCreatedDirs } from './out-dir.ts';

export interface ReportOptions {
  out: string;
  /** A transport module to rerun a repro on instead of the one it recorded. */
  transport?: string;
  json?: boolean;
}

export async function reportCommand(path: string, options: ReportOptions): Promise<number> {
  const result = await loadRunFile(path, options.transport);
  const dirs = prepareOutDir({ flag: '--out', path: options.out });
  let paths: ReportPaths;
  try {
    paths = writeReportFiles(result, options.out);
  } catch (err) {
    removeCreatedDirs(dirs);
    throw err;
  }
  if (options.json) {
    printJson({ verdict: result.verdict, seed: result.seed, version: result.version.name, files: paths });
    return 0;
  }
  printOut(`report ${paths.html}`);
  printOut(`perfetto ${paths.perfetto}  (open in https://ui.perfetto.dev)`);
  printOut(`timeline ${paths.timeline}`);
  printOut(`junit ${paths.junit}`);
  return 0;
}
