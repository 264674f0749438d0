/**
 * `ssesim replay <repro.json>`: reruns a repro (on the transport it recorded, or --transport) and
 * says whether the trace is identical. When it is not (the code changed), the stored sidecar trace
 * and the new one are compared entry by entry to show where they first part.
 */
import { readRepro, readReproTrace, replayRepro } from '../sim/files/index.ts';
import type { RunResult } from '../sim/index.ts';
import { firstDivergence } from '../sim/core/index.ts';
import { exitCodeOf, runJson, runText } from './run-output.ts';
import { divergenceLines } from './divergence-text.ts';
import { printErr, printJson, printOut } from './output.ts';

export interface ReplayOptions {
  json?: boolean;
  /** A transport module to replay on instead of the one the repro recorded. */
  transport?: string;
}

export async function replayCommand(path: string, options: ReplayOptions): Promise<number> {
  const repro = readRepro(path);
  const result = await replayRepro(repro, { source: path, onWarning: printErr, transport: options.transport });
  const identical = result.traceHash === repro.traceHash;
  const json: Record<string, unknown> = {
    ...runJson(result),
    identical,
    recordedTraceHash: repro.traceHash,
    recordedVerdict: repro.verdict,
  };
  const text = identical
    ? [`identical: trace ${result.traceHash}`]
    : [
        `DIVERGED: recorded trace ${repro.traceHash}, replay ${result.traceHash}`,
        ...divergenceReport(path, result, json),
      ];
  text.push(...runText(result));
  if (options.json) printJson(json);
  else text.forEach((line) => printOut(line));
  return exitCodeOf(result.verdict);
}

function divergenceReport(path: string, result: RunResult, json: Record<string, unknown>): string[] {
  const recorded = readReproTrace(path);
  if (recorded === null) return ['  no trace sidecar next to the repro, so only the hashes can be compared'];
  const divergence = firstDivergence(recorded, result.trace);
  if (divergence === null) {
    json.sameEntries = true;
    return [
      '  the run is unchanged: the sidecar trace holds the same entries as the replay; the recorded hash',
      '  was taken over another serialisation of them (an older ssesim) or the repro file was edited',
    ];
  }
  json.divergence = divergence;
  const lines = divergenceLines(divergence, 'recorded', 'replay');
  if (!recorded.readFromOlderFormat) return lines;
  json.olderTraceFormat = true;
  return [
    ...lines,
    '  note: an older ssesim wrote the sidecar trace, and it recorded some steps differently (log levels,',
    '  client.applied lines); a divergence may come from that alone: compare the verdicts',
  ];
}
