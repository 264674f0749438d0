/**
 * The event loop of a simulated world. It runs one timer of the virtual clock at a time and,
 * after each, waits until every promise chain that timer started has settled, so async code
 * interleaves only where the simulator decides (timer order, network latency). It never waits
 * on real time. Each step runs in its own setImmediate callback: Node drains every microtask
 * (and reports unhandled rejections) between two immediate callbacks, so the chains of one step
 * have settled when the next starts. Steps are queued in batches that run in one turn of Node's
 * event loop; one turn per step would cost a poll of the OS each, and the CPU profiler charges
 * those turns to "(idle)", hiding whose work they follow. A batch's callbacks after the run has
 * stopped do nothing. Promise rejections nobody handled during a run are handed to a callback
 * (a crashed server or a client's logged error, in the world's eyes) instead of killing the
 * process, with the actor whose code raised them (see actor-context.ts). A broken invariant of
 * the simulator (an AssertionError), thrown or rejected, is nobody's: it ends the run.
 */
import type { VirtualClock } from './clock.ts';
import { currentActor, takeThrowingActor } from './actor-context.ts';
import { AssertionError } from './assert.ts';

/** Step callbacks queued per turn of Node's event loop. */
const STEPS_PER_TURN = 64;

export type LoopStopReason = 'idle' | 'until' | 'step-limit';

export interface LoopRunOptions {
  /** Stop before running any timer due after this virtual time; the clock is moved to it. */
  untilMs?: number;
  /** Most timers this call may run; hitting it is reported, never silently ignored. */
  stepLimit: number;
  /**
   * A bound on the work the steps do, checked before each step and reported like the step limit:
   * one step can do a great deal (a burst of prompts fanned out to every client), so a step count
   * alone does not bound a run's time or memory.
   */
  workLimit?: { done: () => number; max: number };
}

export interface LoopRunResult {
  reason: LoopStopReason;
  steps: number;
}

export interface EventLoopOptions {
  clock: VirtualClock;
  /**
   * Receives each unhandled promise rejection raised while `run` is active, and the actor that
   * started the rejected promise (undefined outside every actor's code).
   */
  onUnhandledRejection?: (reason: unknown, actor: string | undefined) => void;
  /**
   * Receives an error thrown synchronously by a timer callback (in a real process an uncaught
   * exception) and the actor whose code threw it; without it the error ends the run by
   * propagating out of `run`.
   */
  onUncaughtException?: (error: unknown, actor: string | undefined) => void;
}

export class EventLoop {
  private totalSteps = 0;
  private running = false;
  /** An assertion a promise rejected with during this run; the next step ends the run with it. */
  private brokenInvariant: AssertionError | undefined;

  constructor(private readonly options: EventLoopOptions) {}

  /** Timers run by every `run` call so far. */
  get stepsRun(): number {
    return this.totalSteps;
  }

  /** Lets every promise chain started so far settle (one macrotask boundary). */
  settle(): Promise<void> {
    return new Promise((resolve) => setImmediate(resolve));
  }

  async run(options: LoopRunOptions): Promise<LoopRunResult> {
    if (this.running) throw new Error('EventLoop.run is already active');
    if (!Number.isSafeInteger(options.stepLimit) || options.stepLimit < 0) {
      throw new RangeError(`stepLimit must be a non-negative integer, got ${options.stepLimit}`);
    }
    this.running = true;
    this.brokenInvariant = undefined;
    const restoreRejections = this.captureRejections();
    try {
      // Work started before the run (a connect() call, say) settles before the first timer.
      await this.settle();
      return await this.runSteps(options);
    } finally {
      restoreRejections();
      this.running = false;
    }
  }

  private runSteps({ untilMs, stepLimit, workLimit }: LoopRunOptions): Promise<LoopRunResult> {
    const { clock } = this.options;
    return new Promise((resolve, reject) => {
      let steps = 0;
      let stopped = false;
      /** Step callbacks of the current turn not yet run; the last one queues the next turn. */
      let queued = 0;
      const stop = (result: LoopRunResult) => {
        stopped = true;
        resolve(result);
      };
      // No arguments: an immediate with arguments carries an array of them, one more object per step.
      const step = () => {
        queued -= 1;
        if (stopped) return;
        try {
          if (this.brokenInvariant) throw this.brokenInvariant;
          const dueMs = clock.nextDueMs();
          if (dueMs === undefined) return stop({ reason: 'idle', steps });
          if (untilMs !== undefined && dueMs > untilMs) {
            clock.advanceTo(untilMs);
            return stop({ reason: 'until', steps });
          }
          if (steps >= stepLimit) return stop({ reason: 'step-limit', steps });
          if (workLimit && workLimit.done() >= workLimit.max) return stop({ reason: 'step-limit', steps });
          steps += 1;
          this.totalSteps += 1;
          this.runOneTimer();
        } catch (error) {
          stopped = true;
          reject(error);
          return;
        }
        if (queued === 0) queueTurn();
      };
      const queueTurn = () => {
        queued = STEPS_PER_TURN;
        for (let i = 0; i < STEPS_PER_TURN; i++) setImmediate(step);
      };
      queueTurn();
    });
  }

  private runOneTimer(): void {
    if (!this.options.onUncaughtException) {
      this.options.clock.runNext();
      return;
    }
    try {
      this.options.clock.runNext();
    } catch (error) {
      if (error instanceof AssertionError) throw error;
      this.options.onUncaughtException(error, takeThrowingActor(error));
    }
  }

  /**
   * For the length of a run the loop is the only 'unhandledRejection' listener: others (a test
   * runner's) would treat a simulated crash as a failure of the host process.
   */
  private captureRejections(): () => void {
    const others = process.listeners('unhandledRejection');
    // Node emits the event in the async context of the rejected promise: its actor is current.
    const onRejection = (reason: unknown) => {
      if (reason instanceof AssertionError) this.brokenInvariant ??= reason;
      else if (this.options.onUnhandledRejection) this.options.onUnhandledRejection(reason, currentActor());
      else if (others.length > 0) others.forEach((listener) => listener(reason, Promise.resolve()));
      // Node's default for a rejection nobody handles: it becomes an uncaught exception.
      else throw reason;
    };
    process.removeAllListeners('unhandledRejection');
    process.on('unhandledRejection', onRejection);
    return () => {
      process.removeListener('unhandledRejection', onRejection);
      for (const listener of others) process.on('unhandledRejection', listener);
    };
  }
}
