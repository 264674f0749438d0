import { describe, expect, it } from 'vitest';
import { resolveVersion } from '../../transport/defects.ts';
import { runVersionOf } from '../run-version.ts';
import { outcomeOf, runCampaignIndex, type CampaignSpec, type RunOutcome } from './campaign-run.ts';
import { WORKER_RUNS_IN_FLIGHT_MAX, WorkerPool, type Ran } from './worker-pool.ts';

const SPEC: CampaignSpec = { version: runVersionOf(resolveVersion('base')), baseSeed: 21 };

/** What a run must give whichever thread ran it. */
const essence = ({ index, seed, verdict, traceHash }: RunOutcome) => ({ index, seed, verdict, traceHash });

async function inProcess(index: number): Promise<Ran> {
  const result = await runCampaignIndex(SPEC, index, undefined, undefined, 'hash');
  return { outcome: outcomeOf(result, index), result };
}

describe('WorkerPool', () => {
  it('keeps every thread busy: one run here, and a running and a next one per worker thread', async () => {
    const pool = new WorkerPool(SPEC, 2, inProcess);
    expect(pool.capacity).toBe(1 + 2 * WORKER_RUNS_IN_FLIGHT_MAX);
    await pool.close();
    const here = new WorkerPool(SPEC, 0, inProcess);
    expect(here.capacity).toBe(1);
    await here.close();
    expect(() => new WorkerPool(SPEC, 0)).toThrow(/a pool needs a thread/);
  });

  it('runs here one at a time, in the order asked', async () => {
    const log: string[] = [];
    const pool = new WorkerPool(SPEC, 0, async (index) => {
      log.push(`start ${index}`);
      const ran = await inProcess(index);
      log.push(`end ${index}`);
      return ran;
    });
    const ran = await Promise.all([0, 1, 2].map((index) => pool.run(index)));
    await pool.close();
    expect(log).toEqual(['start 0', 'end 0', 'start 1', 'end 1', 'start 2', 'end 2']);
    expect(ran.map(({ outcome }) => outcome.index)).toEqual([0, 1, 2]);
  });

  it('gives a worker its next runs before its last is answered, and each run its own outcome', async () => {
    const indexes = [0, 1, 2, 3, 4];
    const pool = new WorkerPool(SPEC, 1);
    const ran = await Promise.all(indexes.map((index) => pool.run(index)));
    await pool.close();
    const expected = await Promise.all(indexes.map(inProcess));
    expect(ran.map(({ outcome }) => essence(outcome))).toEqual(expected.map(({ outcome }) => essence(outcome)));
    // From a worker thread the full result stays there: a failure is rerun here for its trace.
    expect(ran.every(({ result }) => result === undefined)).toBe(true);
  });

  it('runs here at once while a worker starts, and sends the worker what this thread cannot take', async () => {
    let releaseHere: () => void = () => {};
    const held = new Promise<void>((resolve) => (releaseHere = resolve));
    const ranHere: number[] = [];
    const pool = new WorkerPool(SPEC, 1, async (index) => {
      ranHere.push(index);
      await held;
      return inProcess(index);
    });
    const first = pool.run(0);
    const others = Promise.all([1, 2, 3].map((index) => pool.run(index)));
    // This thread is held until the worker has answered all the others.
    const fromWorker = await others;
    releaseHere();
    const fromHere = await first;
    await pool.close();
    expect(ranHere).toEqual([0]);
    expect(fromHere.result).toBeDefined();
    expect(fromWorker.map(({ outcome, result }) => [outcome.index, result])).toEqual([
      [1, undefined],
      [2, undefined],
      [3, undefined],
    ]);
  });
});
