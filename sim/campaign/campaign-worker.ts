/**
 * The body of one campaign worker thread: it receives run indexes and answers with their
 * outcomes. The campaign spec arrives once, in workerData, so a run is computed exactly as the
 * main thread would compute it (campaign-run.ts). A transport module is loaded here by the path
 * the spec records, and must hash as it did when the campaign started: a file edited mid-campaign
 * would make this thread's runs differ from the main thread's.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { outcomeOf, runCampaignIndex, type CampaignSpec } from './campaign-run.ts';
import { loadTransportModule } from '../files/index.ts';
import type { TransportFactory } from '../world/index.ts';
import type { Scenario } from '../../scenarios/index.ts';
import { OneAtATime } from './one-at-a-time.ts';

export interface WorkerRequest {
  index: number;
  /** The scenario a steered campaign chose; absent, the index's own (campaign-run.ts). */
  scenario?: Scenario;
}

/**
 * `ready` once the thread can run (its transport module loaded or failed to), then one answer per
 * request, in the order they came.
 */
export type WorkerReply =
  { ready: true } | { index: number; outcome: ReturnType<typeof outcomeOf> } | { index: number; error: string };

const spec = (workerData as { spec: CampaignSpec }).spec;
const port = parentPort;
if (!port) throw new Error('campaign-worker.ts must run in a worker thread');

async function loadFactory(): Promise<TransportFactory | undefined> {
  const recorded = spec.transport;
  if (recorded === undefined) return undefined;
  const loaded = await loadTransportModule(recorded.resolvedPath);
  if (loaded.record.sha256 !== recorded.sha256)
    throw new Error(`transport module ${recorded.resolvedPath} changed after the campaign started (sha256 differs)`);
  return loaded.factory;
}

// Asked for before the first request, and awaited by each: a failed load answers each of them with its error.
const factory = loadFactory();
const ready = () => port.postMessage({ ready: true } satisfies WorkerReply);
factory.then(ready, ready);

async function answer(request: WorkerRequest): Promise<WorkerReply> {
  try {
    const result = await runCampaignIndex(spec, request.index, await factory, request.scenario, 'hash');
    return { index: request.index, outcome: outcomeOf(result, request.index) };
  } catch (error) {
    return { index: request.index, error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
  }
}

// The pool sends the next request before this one is done, so that the thread never waits for the
// main one; runs still go one at a time, as runs interleaved in one thread would share its globals.
const queue = new OneAtATime();
port.on('message', (request: WorkerRequest) => {
  void queue.run(() => answer(request)).then((reply) => port.postMessage(reply));
});
