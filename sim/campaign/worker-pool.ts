/**
 * A fixed pool of threads running campaign runs: worker threads and, given a way to run one here,
 * the main thread too, which would otherwise idle while the workers run, and which can start at
 * once while a worker takes about half a second to. Jobs wait in one queue; a worker is sent none
 * before it has started, and then up to two, its next run before its last is answered, so that it
 * never waits for the main thread to hand it work. The caller decides which indexes to run and
 * collects the outcomes, so results do not depend on which thread ran what.
 *
 * Compiled (the installed package), a worker runs the JavaScript entry directly. From the sources
 * it does too when a fresh build sits beside them (`npm run build`) and the campaign tests the
 * bundled transport; otherwise workers start through a small bootstrap that registers tsx, since
 * the entry is TypeScript and a worker does not inherit the main thread's loader hooks. (A
 * transport module of the user's may import these very sources, which must then be the same
 * modules the harness runs as.) A worker stays up for every run of its pool.
 */
import { Worker } from 'node:worker_threads';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import type { CampaignSpec, RunOutcome } from './campaign-run.ts';
import type { RunResult } from '../index.ts';
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

/** Runs sent to a worker and not yet answered, at most: the one it runs and the next. */
export const WORKER_RUNS_IN_FLIGHT_MAX = 2;

/** A run's outcome, and its full result when it ran on this thread. */
export interface Ran {
  outcome: RunOutcome;
  result?: RunResult;
}

/** Runs one campaign index on the main thread. */
export type RunHere = (index: number, scenario?: Scenario) => Promise<Ran>;

interface Job {
  index: number;
  scenario?: Scenario;
  resolve: (ran: Ran) => void;
  reject: (error: Error) => void;
}

interface Thread {
  worker: Worker;
  ready: boolean;
  /** Sent and not yet answered, in the order sent, which is the order the worker answers in. */
  sent: Job[];
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
  private readonly threads: Thread[] = [];
  private readonly queue: Job[] = [];
  private hereBusy = false;
  private failure: Error | undefined;

  /** `threads` worker threads; with `runHere`, the main thread runs jobs too. */
  constructor(
    spec: CampaignSpec,
    threads: number,
    private readonly runHere?: RunHere,
  ) {
    assert(threads >= 1 || runHere !== undefined, `a pool needs a thread to run on (threads ${threads}, none here)`);
    const workerData = { spec, ...workerEntry(spec) };
    for (let i = 0; i < threads; i++) {
      const thread: Thread = { worker: new Worker(BOOTSTRAP, { eval: true, workerData }), ready: false, sent: [] };
      thread.worker.on('message', (reply: WorkerReply) => this.settle(thread, reply));
      thread.worker.on('error', (error) => this.fail(thread, error));
      this.threads.push(thread);
    }
  }

  /** Jobs in flight that keep every thread busy: one here, and a running and a next one per worker. */
  get capacity(): number {
    return (this.runHere ? 1 : 0) + this.threads.length * WORKER_RUNS_IN_FLIGHT_MAX;
  }

  /** `scenario`: the one a steered campaign chose for the index; its seed's otherwise. */
  run(index: number, scenario?: Scenario): Promise<Ran> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.queue.push({ index, ...(scenario ? { scenario } : {}), resolve, reject });
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    const workers = this.threads.splice(0).map((thread) => thread.worker);
    await Promise.all(workers.map((worker) => worker.terminate()));
  }

  /** Hands out waiting jobs: first to an idle worker, then here, then as a worker's next run. */
  private dispatch(): void {
    while (this.queue.length > 0) {
      const thread = this.leastBusyReadyThread();
      const load = thread ? thread.sent.length : WORKER_RUNS_IN_FLIGHT_MAX;
      if (load > 0 && this.runHere && !this.hereBusy) this.startHere(this.queue.shift()!);
      else if (thread && load < WORKER_RUNS_IN_FLIGHT_MAX) this.send(thread, this.queue.shift()!);
      else return;
    }
  }

  private leastBusyReadyThread(): Thread | undefined {
    let best: Thread | undefined;
    for (const thread of this.threads)
      if (thread.ready && (best === undefined || thread.sent.length < best.sent.length)) best = thread;
    return best;
  }

  private send(thread: Thread, job: Job): void {
    thread.sent.push(job);
    thread.worker.postMessage({ index: job.index, ...(job.scenario ? { scenario: job.scenario } : {}) });
  }

  private startHere(job: Job): void {
    this.hereBusy = true;
    const done = () => {
      this.hereBusy = false;
      this.dispatch();
    };
    this.runHere!(job.index, job.scenario).then(
      (ran) => {
        job.resolve(ran);
        done();
      },
      (error: Error) => {
        job.reject(error);
        done();
      },
    );
  }

  private settle(thread: Thread, reply: WorkerReply): void {
    if ('ready' in reply) thread.ready = true;
    else {
      const job = thread.sent.shift();
      assert(job?.index === reply.index, `a worker answers in the order sent: got ${reply.index}, sent ${job?.index}`);
      if ('error' in reply) job.reject(new Error(`run ${reply.index} failed in a worker: ${reply.error}`));
      else job.resolve({ outcome: reply.outcome });
    }
    this.dispatch();
  }

  /** A dead worker is a harness failure: every waiting run fails rather than hang. */
  private fail(thread: Thread, error: Error): void {
    this.failure = error;
    thread.ready = false;
    for (const job of thread.sent.splice(0)) job.reject(error);
    for (const waiting of this.queue.splice(0)) waiting.reject(error);
  }
}
