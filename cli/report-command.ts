/**
 * `ssesim report <repro-or-result.json> --out DIR`: the HTML report, Perfetto trace, text timeline
 * and JUnit of one run.
 */
import { writeReportFiles } from '../reports/index.ts';
import { loadRunFile } from './run-file.ts';
import { printOut } from './output.ts';

export interface ReportOptions {
  out: string;
}

export async function reportCommand(path: string, options: ReportOptions): Promise<number> {
  const result = await loadRunFile(path);
  const paths = writeReportFiles(result, options.out);
  printOut(`report ${paths.html}`);
  printOut(`perfetto ${paths.perfetto}  (open in https://ui.perfetto.dev)`);
  printOut(`timeline ${paths.timeline}`);
  printOut(`junit ${paths.junit}`);
  return 0;
}
