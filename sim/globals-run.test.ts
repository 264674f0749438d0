/**
 * A transport whose client reaches timers, fetch and EventSource through browser globals runs
 * under the simulator exactly as the same client handed them: the world installs per-page
 * globals for the run (reloads, crashes and all), and puts the real ones back afterwards, also
 * when the run fails.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveVersion } from '../transport/defects.ts';
import type { EventSourceLike, FetchLike } from '../transport/client/browser-io.ts';
import { runScenario } from './run.ts';
import { relayTransportFactory, type RelayBrowser } from './testing/relay-transport.ts';
import { tinyWithFaults } from './testing/tiny-scenarios.ts';
import type { TransportFactory } from './world/transport-factory.ts';
import { OverlappingGlobalsError } from './world/page-globals.ts';
import { CampaignRepros } from './campaign/campaign-repros.ts';
import { outcomeOf, runCampaignIndex, type CampaignSpec } from './campaign/campaign-run.ts';
import { runVersionOf } from './run-version.ts';

/** What a page's own code would call: the globals, looked up at each call. */
const GLOBALS: RelayBrowser = {
  after: (action, delayMs) => void setTimeout(action, delayMs),
  fetch: ((url, init) => fetch(url, init)) as FetchLike,
  openStream: (url) => new EventSource(url) as unknown as EventSourceLike,
};

const SCENARIO = tinyWithFaults('relay-reloads', {
  request: { 'http-503': [1, 4], 'request-lost': [1, 10] },
  timed: { 'page-reload': 20, 'stream-drop': 6, 'server-crash': 3 },
});

const run = (factory: TransportFactory, seed: number) =>
  runScenario({ scenario: SCENARIO, seed, version: resolveVersion('fixed'), factory });

describe('a client on browser globals', () => {
  it.each([1, 2, 3])('runs as the same client on injected io, reloads and crashes included (seed %i)', async (seed) => {
    const realSetTimeout = globalThis.setTimeout;
    const realFetch = globalThis.fetch;
    const injected = await run(relayTransportFactory({ maxAttempts: 3, sendAttemptBudget: 3 }), seed);
    const onGlobals = await run(
      relayTransportFactory({ maxAttempts: 3, sendAttemptBudget: 3, globals: GLOBALS }),
      seed,
    );
    expect(injected.faultCounts['page-reload']).toBeGreaterThan(0);
    expect(injected.history.entries.filter((e) => e.kind === 'send-attempt').length).toBeGreaterThan(0);
    expect(onGlobals.harnessError).toBeUndefined();
    expect(onGlobals.traceHash).toBe(injected.traceHash);
    expect(globalThis.setTimeout).toBe(realSetTimeout);
    expect(globalThis.fetch).toBe(realFetch);
    expect('EventSource' in globalThis).toBe(false);
  });

  it('puts the real globals back when building the world fails', async () => {
    const realSetTimeout = globalThis.setTimeout;
    const broken: TransportFactory = {
      ...relayTransportFactory({ maxAttempts: 3, sendAttemptBudget: 3, globals: GLOBALS }),
      createClient: () => {
        throw new Error('client constructor failed');
      },
    };
    await expect(run(broken, 1)).rejects.toThrow('client constructor failed');
    expect(globalThis.setTimeout).toBe(realSetTimeout);
  });

  it('refuses a second run while another has the globals, rather than interleaving them', async () => {
    const factory = relayTransportFactory({ maxAttempts: 3, sendAttemptBudget: 3, globals: GLOBALS });
    const alone = await run(factory, 1);
    const [first, second] = await Promise.allSettled([run(factory, 1), run(factory, 2)]);
    expect(first).toMatchObject({ status: 'fulfilled', value: { traceHash: alone.traceHash } });
    expect(second).toMatchObject({ status: 'rejected', reason: expect.any(OverlappingGlobalsError) });
    // The refused run left the globals to the one under way, and that one put the real ones back.
    expect('EventSource' in globalThis).toBe(false);
    expect((await run(factory, 2)).harnessError).toBeUndefined();
  });

  it('reruns the failures a campaign notes together one at a time, each as it first ran', async () => {
    // A client that tries more often than its profile says fails bounded-retries on most seeds.
    const factory = relayTransportFactory({ maxAttempts: 6, sendAttemptBudget: 1, globals: GLOBALS });
    const spec: CampaignSpec = {
      version: runVersionOf(resolveVersion('fixed')),
      baseSeed: 1,
      scenario: SCENARIO,
      transport: { path: 'relay.ts', resolvedPath: '/relay.ts', sha256: '0'.repeat(64) },
    };
    const outcomes = [];
    for (let index = 0; outcomes.length < 3 && index < 30; index++) {
      const outcome = outcomeOf(await runCampaignIndex(spec, index, factory, SCENARIO, 'hash'), index);
      if (outcome.signatures.length > 0) outcomes.push(outcome);
    }
    expect(outcomes).toHaveLength(3);
    const repros = new CampaignRepros(spec, mkdtempSync(join(tmpdir(), 'ssesim-globals-')), factory);
    // As outcomes from worker threads arrive: noted without waiting for the ones before.
    const noted = await Promise.all(outcomes.map((outcome) => repros.note(outcome)));
    expect(noted.flat().length).toBeGreaterThan(0);
    for (const outcome of outcomes)
      expect((await repros.result(outcome.index)).traceHash, `run ${outcome.index}`).toBe(outcome.traceHash);
  });
});
