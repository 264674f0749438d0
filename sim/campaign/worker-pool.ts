/**
 * A fixed pool of worker threads running campaign runs. Each worker gets one run at a time; the
 * caller decides which indexes to run and collects the outcomes, so results do not depend on
 * which worker ran what. Compiled (the installed package), a worker runs the JavaScript entry
 * directly. From the sources it does too when a fresh build sits beside them (`npm run build`)
 * and the campaign tests the bundled transport; otherwise workers start through a small bootstrap
 * that registers tsx, since the entry is TypeScript and a worker does not inherit the main
 * thread's loader hooks. (A transport module of the user's may import these very sources, which
 * must then be the same modules the harness runs as.) A worker stays up for every run of its pool.
 */
import { Worker } from 'node:worker_threads';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import type { CampaignSpec, RunOutcome } from './campaign-run.ts';
import { assert } from '../core/index.ts';
import type { WorkerReply } from './campaign-worker.ts';
import { freshCompiledWorker, sourceRoot } from './compiled-worker.ts';
import type { Scenario } from '../../scenarios/index.ts';

const BOOTSTRAP = `
const { workerData } = require('node:worker_threads');
const registered = workerData.tsxApi ? import(workerData.tsxApi).then((api) => api.register()) : Promise.resolve();
registered.then(() => import(workerData.entry));
`;

/** True when this module runs as compiled JavaScript, so the worker entry needs no loader. */
const COMPILED = import.meta.url.endsWith('.js');

interface Job {
  index: number;
  scenario?: Scenario;
  resolve: (outcome: RunOutcome) => void;
  reject: (error: Error) => void;
}

function tsxApiUrl(): string {
  const require = createRequire(import.meta.url);
  // The package's ESM build of the api; its exports map only offers the CJS one to require.
  const cjsPath = require.resolve('tsx/esm/api');
  return pathToFileURL(cjsPath.replace(/index\.cjs$/, 'index.mjs')).href;
}

/** The module a worker runs, and tsx's api when it needs a loader for it. */
function workerEntry(spec: CampaignSpec): { entry: string; tsxApi: string | null } {
  if (COMPILED) return { entry: new URL('./campaign-worker.js', import.meta.url).href, tsxApi: null };
  const compiled = spec.transport === undefined ? freshCompiledWorker(sourceRoot()) : null;
  if (compiled !== null) return { entry: compiled, tsxApi: null };
  return { entry: new URL('./campaign-worker.ts', import.meta.url).href, tsxApi: tsxApiUrl() };
}

export class WorkerPool {
  private readonly idle: Worker[] = [];
  private readonly busy = new Map<Worker, Job>();
  private readonly queue: Job[] = [];
  private failure: Error | undefined;

  constructor(spec: CampaignSpec, size: number) {
    const workerData = { spec, ...workerEntry(spec) };
    for (let i = 0; i < size; i++) {
      const worker = new Worker(BOOTSTRAP, { eval: true, workerData });
      worker.on('message', (reply: WorkerReply) => this.settle(worker, reply));
      worker.on('error', (error) => this.fail(worker, error));
      this.idle.push(worker);
    }
  }

  /** `scenario`: the one a steered campaign chose for the index; its seed's otherwise. */
  run(index: number, scenario?: Scenario): Promise<RunOutcome> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.queue.push({ index, ...(scenario ? { scenario } : {}), resolve, reject });
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    const workers = [...this.idle, ...this.busy.keys()];
    this.idle.length = 0;
    await Promise.all(workers.map((worker) => worker.terminate()));
  }

  private dispatch(): void {
    while (this.idle.length > 0 && this.queue.length > 0) {
      const worker = this.idle.pop();
      const job = this.queue.shift();
      assert(
        worker !== undefined && job !== undefined,
        'dispatch pairs a job only while one waits and a worker is idle',
      );
      this.busy.set(worker, job);
      worker.postMessage({ index: job.index, ...(job.scenario ? { scenario: job.scenario } : {}) });
    }
  }

  private settle(worker: Worker, reply: WorkerReply): void {
    const job = this.busy.get(worker);
    if (!job) return;
    this.busy.delete(worker);
    this.idle.push(worker);
    if ('error' in reply) job.reject(new Error(`run ${reply.index} failed in a worker: ${reply.error}`));
    else job.resolve(reply.outcome);
    this.dispatch();
  }

  /** A dead worker is a harness failure: every waiting run fails rather than hang. */
  private fail(worker: Worker, error: Error): void {
    this.failure = error;
    const job = this.busy.get(worker);
    this.busy.delete(worker);
    job?.reject(error);
    for (const waiting of this.queue.splice(0)) waiting.reject(error);
  }
}
