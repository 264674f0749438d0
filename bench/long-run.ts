/**
 * One long run of the default scenario grown to about `--entries N` trace entries, for measuring
 * memory: `/usr/bin/time -v npx tsx bench/long-run.ts --entries 1400000` reports the peak RSS, and
 * the script prints its own (process.resourceUsage) beside the run's length and verdict. Past the
 * scenario limits (eight clients, a thousand prompts each, an hour of chaos) the workload grows
 * anyway, and the run budget is raised to fit: the point is a run that long, not a valid file.
 * `--trace hash` keeps only the running hash, as a campaign's runs do; `--trace full` (the default)
 * keeps every line, as a run whose report is wanted does.
 */
import { resolveScenario, type Scenario } from '../scenarios/index.ts';
import { runScenario } from '../sim/index.ts';
import { resolveVersion } from '../transport/index.ts';
import { measure } from './measure.ts';

/** Trace entries per prompt of the default workload, near enough to size a run (measured at ~1M). */
const ENTRIES_PER_PROMPT = 550;

function argument(name: string, fallback: string): string {
  const at = process.argv.indexOf(name);
  return at >= 0 ? (process.argv[at + 1] ?? fallback) : fallback;
}

function longScenario(base: Scenario, entries: number): Scenario {
  const clients = 8;
  const promptsPerClient = Math.max(1, Math.round(entries / ENTRIES_PER_PROMPT / clients));
  const meanGapMs = (base.workload.promptGapMsMin + base.workload.promptGapMsMax) / 2;
  return {
    ...base,
    name: `default-${entries}-entries`,
    clients,
    workload: { ...base.workload, promptsPerClient },
    phases: { ...base.phases, chaosMs: Math.round(promptsPerClient * meanGapMs * 1.5) },
    stepLimit: Number.MAX_SAFE_INTEGER,
  };
}

const entries = Number(argument('--entries', '1400000'));
const trace = argument('--trace', 'full');
if (!Number.isInteger(entries) || entries <= 0) throw new RangeError(`--entries ${entries}: not a positive integer`);
if (trace !== 'full' && trace !== 'hash') throw new RangeError(`--trace ${trace}: expected full or hash`);
const scenario = longScenario(resolveScenario('default'), entries);
const { value: result, cost } = await measure(() =>
  runScenario({ scenario, seed: 1, version: resolveVersion('fixed'), trace, maxTraceEntries: entries * 4 }),
);
const peakMb = process.resourceUsage().maxRSS / 1024;
console.log(
  `${result.traceLength} entries, ${result.steps} steps, verdict ${result.verdict}, trace ${trace}, ` +
    `cpu ${(cost.cpuMs / 1000).toFixed(1)} s, wall ${(cost.wallMs / 1000).toFixed(1)} s, ` +
    `peak RSS ${peakMb.toFixed(0)} MB, ${((peakMb * 1024 * 1024) / result.traceLength).toFixed(0)} bytes/entry`,
);
