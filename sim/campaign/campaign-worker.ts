/**
 * The body of one campaign worker thread: it receives run indexes and answers with their
 * outcomes. The campaign spec arrives once, in workerData, so a run is computed exactly as the
 * main thread would compute it (campaign-run.ts).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { outcomeOf, runCampaignIndex, type CampaignSpec } from './campaign-run.ts';

export interface WorkerRequest {
  index: number;
}

export type WorkerReply = { index: number; outcome: ReturnType<typeof outcomeOf> } | { index: number; error: string };

const spec = (workerData as { spec: CampaignSpec }).spec;
const port = parentPort;
if (!port) throw new Error('campaign-worker.ts must run in a worker thread');

port.on('message', (request: WorkerRequest) => {
  runCampaignIndex(spec, request.index).then(
    (result) =>
      port.postMessage({ index: request.index, outcome: outcomeOf(result, request.index) } satisfies WorkerReply),
    (error: unknown) =>
      port.postMessage({
        index: request.index,
        error: error instanceof Error ? (error.stack ?? error.message) : String(error),
      } satisfies WorkerReply),
  );
});
