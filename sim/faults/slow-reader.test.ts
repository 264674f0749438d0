/**
 * The slow-reader fault, shown doing what it claims: a client stops reading one stream, what the
 * server writes meanwhile waits unread, and either the client reads again in time and gets it
 * all in order, or the server closes the stream for not being drained and the client reconnects
 * and catches up. Both must end with every property holding: backpressure loses nothing.
 */
import { describe, expect, it } from 'vitest';
import { resolveVersion } from '../../transport/defects.ts';
import { OBS } from '../../transport/observations.ts';
import { STREAM_DRAIN_TIMEOUT_MS } from '../../transport/protocol.ts';
import { runScenario } from '../run.ts';
import type { RunResult } from '../run-result.ts';
import type { TraceEntry } from '../core/trace.ts';
import { historyOf, traceOf } from '../testing/run-evidence.ts';
import { tinyWithFaults } from '../testing/tiny-scenarios.ts';
import { SLOW_READER_MS } from './timed-faults.ts';

const SEEDS = [1, 2, 3, 4, 5, 6];

interface Pause {
  fault: TraceEntry;
  client: string;
  streamId: string;
  connectionId: string;
  resumed: TraceEntry;
}

async function runSlowReaders(seed: number): Promise<RunResult> {
  const scenario = tinyWithFaults(
    'slow-reader',
    { timed: { 'slow-reader': 4 } },
    { workload: { promptsPerClient: 6 }, phases: { chaosMs: 120_000, healMs: 90_000 } },
  );
  return runScenario({ scenario, seed, version: resolveVersion('fixed') });
}

/** Each fired pause with the connection its stream carried and the moment the client read again. */
function pausesOf(result: RunResult): Pause[] {
  return traceOf(result, 'fault.slow-reader').map((fault) => {
    const client = String(fault.details.client);
    const streamId = String(fault.details.streamId);
    const welcome = historyOf(result, 'welcome')
      .filter((entry) => entry.client === client && entry.index < fault.index)
      .at(-1)!;
    const resumed = traceOf(result, 'net.read-resumed', `net:${client}`).find(
      (entry) => entry.index > fault.index && entry.details.streamId === streamId,
    )!;
    return { fault, client, streamId, connectionId: welcome.connectionId, resumed };
  });
}

const overrunOf = (result: RunResult, pause: Pause) =>
  traceOf(result, OBS.serverStreamOverrun, 'server').find(
    (entry) => entry.details.connectionId === pause.connectionId && entry.index > pause.fault.index,
  );

describe('slow-reader', () => {
  it('holds what is written until the client reads or the server closes the stream; nothing is lost', async () => {
    let closedByServer = 0;
    let caughtUpInTime = 0;
    for (const seed of SEEDS) {
      const result = await runSlowReaders(seed);
      expect(result.violations.map((v) => v.message)).toEqual([]);
      expect(result.verdict).toBe('passed');
      for (const pause of pausesOf(result)) {
        const pausedMs = Number(pause.fault.details.pausedMs);
        expect(pausedMs).toBeGreaterThanOrEqual(SLOW_READER_MS.min);
        expect(pausedMs).toBeLessThanOrEqual(SLOW_READER_MS.max);
        expect(pause.resumed.t).toBeLessThanOrEqual(pause.fault.t + pausedMs);
        const overrun = overrunOf(result, pause);
        if (overrun && overrun.t < pause.resumed.t) {
          closedByServer += 1;
          expect(overrun.details).toMatchObject({ reason: 'drain-timeout', timeoutMs: STREAM_DRAIN_TIMEOUT_MS });
          expect(overrun.t - pause.fault.t).toBeGreaterThanOrEqual(STREAM_DRAIN_TIMEOUT_MS);
          // The client hears of the end only once it reads again, then comes back on a new connection.
          const ended = traceOf(result, 'net.stream-close', `net:${pause.client}`).find(
            (entry) => entry.index > pause.resumed.index && entry.details.side === 'client',
          );
          expect(ended?.details).toMatchObject({ streamId: pause.streamId, reason: 'server-aborted' });
          const welcomedAgain = historyOf(result, 'welcome').some(
            (entry) => entry.client === pause.client && entry.index > ended!.index,
          );
          expect(welcomedAgain).toBe(true);
        } else if (Number(pause.resumed.details.heldDeliveries) > 0) {
          caughtUpInTime += 1;
          // Held frames arrive after the resume, on the same stream.
          const delivered = traceOf(result, 'net.frame-delivered', `net:${pause.client}`).find(
            (entry) => entry.index > pause.resumed.index && entry.details.streamId === pause.streamId,
          );
          expect(delivered, 'a held frame delivered after the client read again').toBeDefined();
        }
      }
    }
    expect(closedByServer).toBeGreaterThan(0);
    expect(caughtUpInTime).toBeGreaterThan(0);
  });

  it('frees what waited unread when the server closes the stream', async () => {
    for (const seed of SEEDS) {
      const result = await runSlowReaders(seed);
      for (const pause of pausesOf(result)) {
        const overrun = overrunOf(result, pause);
        if (!overrun || overrun.t >= pause.resumed.t) continue;
        // Frames written before the close never reach the client on that stream.
        const afterClose = traceOf(result, 'net.frame-delivered', `net:${pause.client}`).filter(
          (entry) => entry.index > overrun.index && entry.details.streamId === pause.streamId,
        );
        expect(afterClose).toEqual([]);
        expect(pause.resumed.details.heldDeliveries).toBe(0);
        return;
      }
    }
    throw new Error(`no seed of ${SEEDS.join(', ')} made the server close a paused stream`);
  });
});
