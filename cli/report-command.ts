/** `ssesim report <repro-or-result.json> --out DIR`: the HTML report, Perfetto trace and text timeline of one run. */
import { writeReportFiles } from '../reports/index.ts';
import { loadRunFile } from './run-file.ts';
import { printOut } from './output.ts';

export interface ReportOptions {
  out: string;
  /** A transport module to rerun a repro on instead of the one it recorded. */
  transport?: string;
}

export async function reportCommand(path: string, options: ReportOptions): Promise<number> {
  const result = await loadRunFile(path, options.transport);
  const paths = writeReportFiles(result, options.out);
  printOut(`report ${paths.html}`);
  printOut(`perfetto ${paths.perfetto}  (open in https://ui.perfetto.dev)`);
  printOut(`timeline ${paths.timeline}`);
  return 0;
}
