/**
 * The bundled server's part of the reliability suite, on real sockets: kill -9 cycles on one
 * SQLite file (every acknowledged prompt stored exactly once, every seq chain intact) and the
 * server's memory under paused readers and a prompt flood (bounded by SERVER_PEAK_RSS_MB_MAX;
 * the unbounded server reached about 900 MB under the same load).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { killNine } from '../../transport/node/reliability/kill-nine.ts';
import { measure, THIS_TREE } from '../../transport/node/reliability/paused-readers.ts';
import { wallClockMs } from '../../sim/core/clock.ts';
import type { Judgement } from './outcome.ts';

const KILL_NINE_CYCLES = 30;
const KILL_NINE_PROMPTS_PER_CYCLE = 60;
const SERVER_PEAK_RSS_MB_MAX = 400;
const LOAD = { readers: 20, prompts: 400, floodPrompts: 1500 };

function judgement(name: string, wallMs: number, why: string[]): Judgement {
  return { name, passed: why.length === 0, stackTrace: false, hang: false, why, wallMs };
}

export async function killNineCase(): Promise<{ judgement: Judgement; figures: string }> {
  const startMs = wallClockMs();
  const f = await killNine({ cycles: KILL_NINE_CYCLES, prompts: KILL_NINE_PROMPTS_PER_CYCLE });
  const why = f.lost + f.duplicated + f.brokenLinks > 0 ? f.problems : [];
  const figures =
    `kill -9: ${f.cycles} cycles, ${f.posted} prompts posted, ${f.acknowledged} acknowledged, ` +
    `${f.lost} lost, ${f.duplicated} duplicated, ${f.brokenLinks} broken seq links`;
  return { judgement: judgement('server: kill -9 durability', wallClockMs() - startMs, why), figures };
}

export async function pausedReaderCases(): Promise<{ judgements: Judgement[]; figures: string[] }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ssesim-reliability-server-'));
  try {
    const judgements: Judgement[] = [];
    const figures: string[] = [];
    for (const load of ['paused readers', 'queue flood'] as const) {
      const startMs = wallClockMs();
      const row = await measure('this tree', THIS_TREE, dir, load, LOAD);
      const over = row.peakMb > SERVER_PEAK_RSS_MB_MAX;
      const why = over ? [`peak RSS ${row.peakMb.toFixed(0)} MB over ${SERVER_PEAK_RSS_MB_MAX} MB`] : [];
      judgements.push(judgement(`server: memory under ${load}`, wallClockMs() - startMs, why));
      figures.push(
        `${load}: server RSS ${row.startMb.toFixed(0)} MB at start, peak ${row.peakMb.toFixed(0)} MB ` +
          `(bound ${SERVER_PEAK_RSS_MB_MAX} MB), ${row.overruns} streams closed, answers ${row.answers}`,
      );
    }
    return { judgements, figures };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
