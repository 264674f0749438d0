/**
 * Virtual time for one simulated world. Time is integer milliseconds and moves only when the
 * simulator runs the next due timer, so nothing in a run depends on wall time. Timers fire in
 * (due time, insertion counter) order; a timer cleared before it fires never fires, even when
 * it is cleared by an earlier timer of the same instant. Each timer runs as the actor that owns
 * it: the owner of its scope, or else the actor whose code set it (as Node's async context follows
 * a real timer), so an error it raises is charged to that actor. This file is one of the few
 * places allowed to touch the global timer functions (for `installGlobals`).
 */
import type { Clock, TimerHandle, Timers } from '../../transport/index.ts';
import { currentActor, runAs } from './actor-context.ts';

export const DEFAULT_EPOCH_MS = 1_700_000_000_000;

/** A pending timer. Also the handle given out, with the Node Timeout methods libraries call. */
class VirtualTimer {
  cancelled = false;
  /** Its id was read as a number, so a numeric handle may name it (see VirtualClock.byId). */
  exposed = false;
  constructor(
    readonly clock: VirtualClock,
    readonly id: number,
    public dueMs: number,
    public order: number,
    readonly fn: () => void,
    readonly intervalMs: number | undefined,
    readonly scope: ClockScope | undefined,
    /** The actor it runs as; undefined when it was set outside every actor's code. */
    readonly owner: string | undefined,
  ) {}

  // Node's Timeout API: references do not matter to a virtual clock.
  ref(): this {
    return this;
  }
  unref(): this {
    return this;
  }
  hasRef(): boolean {
    return true;
  }
  [Symbol.toPrimitive](): number {
    if (!this.exposed && !this.cancelled) this.clock.expose(this);
    return this.id;
  }
}

/** A Timers view whose timers can all be cancelled at once (a crashed server, a reloaded page). */
export interface TimerScope extends Timers {
  /** Clears every timer created through this scope that has not fired yet. */
  cancelAll(): void;
  /** `cancelAll`, and every timer created later through this scope is inert. */
  dispose(): void;
  pendingCount(): number;
}

export class VirtualClock implements Clock, Timers {
  private nowMs: number;
  private nextId = 1;
  private nextOrder = 0;
  private readonly heap = new TimerHeap();
  private liveCount = 0;
  /**
   * Live timers whose id was read as a number (Node code may keep `+handle` and clear by it).
   * Only those: filing every timer by id cost a map insert and delete per timer, thousands per run.
   */
  private readonly byId = new Map<number, VirtualTimer>();

  constructor(options: { startMs?: number } = {}) {
    const startMs = options.startMs ?? DEFAULT_EPOCH_MS;
    if (!Number.isSafeInteger(startMs) || startMs < 0) {
      throw new RangeError(`startMs must be a non-negative safe integer, got ${startMs}`);
    }
    this.nowMs = startMs;
  }

  now(): number {
    return this.nowMs;
  }

  setTimeout(fn: () => void, delayMs: number): TimerHandle {
    return this.schedule(fn, delayMs, undefined, undefined);
  }

  /** A timeout that runs as `owner` whoever sets it: a delivery into another actor's code. */
  setTimeoutAs(owner: string, fn: () => void, delayMs: number): TimerHandle {
    return this.schedule(fn, delayMs, undefined, undefined, owner);
  }

  setInterval(fn: () => void, intervalMs: number): TimerHandle {
    // At least 1 ms, so an interval cannot pin time at one instant forever.
    return this.schedule(fn, intervalMs, Math.max(1, normaliseDelayMs(intervalMs)), undefined);
  }

  clearTimeout(handle: TimerHandle | undefined): void {
    const timer = this.resolve(handle);
    if (timer) this.cancel(timer);
  }

  clearInterval(handle: TimerHandle | undefined): void {
    this.clearTimeout(handle);
  }

  /** Due time of the earliest live timer, or undefined when nothing is pending. */
  nextDueMs(): number | undefined {
    return this.peekLive()?.dueMs;
  }

  pendingCount(): number {
    return this.liveCount;
  }

  /** Advances time to the next due timer and runs it; false when no timer is pending. */
  runNext(): boolean {
    const timer = this.peekLive();
    if (!timer) return false;
    this.heap.pop();
    this.nowMs = Math.max(this.nowMs, timer.dueMs);
    try {
      if (timer.owner === undefined) timer.fn();
      else runAs(timer.owner, timer.fn);
    } finally {
      this.afterRun(timer);
    }
    return true;
  }

  /** Moves time forward without running anything; it is a simulator bug to skip a due timer. */
  advanceTo(targetMs: number): void {
    if (targetMs <= this.nowMs) return;
    const due = this.nextDueMs();
    if (due !== undefined && due < targetMs) {
      throw new Error(`advanceTo(${targetMs}) would skip a timer due at ${due}`);
    }
    this.nowMs = targetMs;
  }

  /** Timers that can be cancelled together; with an owner, they all run as that actor. */
  scope(owner?: string): TimerScope {
    return new ClockScope(this, owner);
  }

  /** @internal Used by ClockScope. */
  schedule(
    fn: () => void,
    delayMs: number,
    intervalMs: number | undefined,
    scope: ClockScope | undefined,
    owner: string | undefined = scope?.owner ?? currentActor(),
  ): VirtualTimer {
    const dueMs = this.nowMs + (intervalMs ?? normaliseDelayMs(delayMs));
    const timer = new VirtualTimer(this, this.nextId++, dueMs, this.nextOrder++, fn, intervalMs, scope, owner);
    this.liveCount += 1;
    this.heap.push(timer);
    return timer;
  }

  /** @internal Used by VirtualTimer when its id is read as a number. */
  expose(timer: VirtualTimer): void {
    timer.exposed = true;
    this.byId.set(timer.id, timer);
  }

  /** @internal Used by ClockScope. */
  cancel(timer: VirtualTimer): void {
    if (timer.cancelled) return;
    timer.cancelled = true;
    this.liveCount -= 1;
    if (timer.exposed) this.byId.delete(timer.id);
    timer.scope?.forget(timer);
  }

  private resolve(handle: TimerHandle | undefined): VirtualTimer | undefined {
    if (handle instanceof VirtualTimer) return handle.clock === this && !handle.cancelled ? handle : undefined;
    if (typeof handle === 'number') return this.byId.get(handle);
    return undefined;
  }

  private afterRun(timer: VirtualTimer): void {
    if (timer.cancelled) return;
    if (timer.intervalMs === undefined) {
      this.cancel(timer);
      return;
    }
    timer.dueMs = this.nowMs + timer.intervalMs;
    timer.order = this.nextOrder++;
    this.heap.push(timer);
  }

  private peekLive(): VirtualTimer | undefined {
    let top = this.heap.peek();
    while (top && top.cancelled) {
      this.heap.pop();
      top = this.heap.peek();
    }
    return top;
  }
}

class ClockScope implements TimerScope {
  private readonly timers = new Set<VirtualTimer>();
  private disposed = false;

  constructor(
    private readonly clock: VirtualClock,
    readonly owner: string | undefined,
  ) {}

  setTimeout(fn: () => void, delayMs: number): TimerHandle {
    return this.track(this.clock.schedule(fn, delayMs, undefined, this));
  }

  setInterval(fn: () => void, intervalMs: number): TimerHandle {
    return this.track(this.clock.schedule(fn, intervalMs, Math.max(1, normaliseDelayMs(intervalMs)), this));
  }

  clearTimeout(handle: TimerHandle | undefined): void {
    this.clock.clearTimeout(handle);
  }

  clearInterval(handle: TimerHandle | undefined): void {
    this.clock.clearTimeout(handle);
  }

  cancelAll(): void {
    for (const timer of [...this.timers]) this.clock.cancel(timer);
  }

  dispose(): void {
    this.disposed = true;
    this.cancelAll();
  }

  pendingCount(): number {
    return this.timers.size;
  }

  forget(timer: VirtualTimer): void {
    this.timers.delete(timer);
  }

  private track(timer: VirtualTimer): VirtualTimer {
    if (this.disposed) this.clock.cancel(timer);
    else this.timers.add(timer);
    return timer;
  }
}

/** Integer delay like Node's: missing, negative or non-finite means "as soon as possible". */
function normaliseDelayMs(delayMs: number): number {
  if (typeof delayMs !== 'number' || !Number.isFinite(delayMs) || delayMs <= 0) return 0;
  // Rounded up: a timer never fires before the delay it asked for has passed.
  return Math.ceil(delayMs);
}

function before(a: VirtualTimer, b: VirtualTimer): boolean {
  return a.dueMs < b.dueMs || (a.dueMs === b.dueMs && a.order < b.order);
}

/**
 * Binary min-heap on (dueMs, order): O(log n) per timer. Every index read is inside the array by
 * its loop's guard; that is left to `!` rather than checked, as this is the hottest code of a run.
 */
class TimerHeap {
  private readonly items: VirtualTimer[] = [];

  peek(): VirtualTimer | undefined {
    return this.items[0];
  }

  push(timer: VirtualTimer): void {
    const items = this.items;
    let index = items.length;
    items.push(timer);
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (!before(timer, items[parent]!)) break;
      items[index] = items[parent]!;
      index = parent;
    }
    items[index] = timer;
  }

  pop(): VirtualTimer | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length === 0 || last === undefined) return top;
    let index = 0;
    for (;;) {
      const left = index * 2 + 1;
      if (left >= items.length) break;
      const right = left + 1;
      const child = right < items.length && before(items[right]!, items[left]!) ? right : left;
      if (!before(items[child]!, last)) break;
      items[index] = items[child]!;
      index = child;
    }
    items[index] = last;
    return top;
  }
}

type GlobalFetch = (...args: never[]) => Promise<unknown>;

export interface GlobalsOptions {
  /** Installed as the global fetch for the run. */
  fetch?: GlobalFetch;
  /**
   * The timers a global `setTimeout` or `setInterval` goes to, asked at each call: the scope of
   * the page or process whose code is running, so its timers die with it. Undefined: the clock.
   */
  timersFor?: () => Timers | undefined;
}

/**
 * Installs the clock as the global timers and `Date.now` (and a simulated fetch if given) for
 * the length of one run, for transport code that uses globals. Returns an idempotent restore.
 */
export function installGlobals(clock: VirtualClock, extras: GlobalsOptions = {}): () => void {
  const target = globalThis as unknown as Record<string, unknown>;
  const names = ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] as const;
  const saved = new Map<string, unknown>(names.map((name) => [name, target[name]]));
  const savedDateNow = Date.now;
  const hadFetch = 'fetch' in target;
  const savedFetch = target.fetch;
  const timers = (): Timers => extras.timersFor?.() ?? clock;

  target.setTimeout = (fn: (...args: unknown[]) => void, delayMs?: number, ...args: unknown[]) =>
    timers().setTimeout(() => fn(...args), delayMs ?? 0);
  target.setInterval = (fn: (...args: unknown[]) => void, intervalMs?: number, ...args: unknown[]) =>
    timers().setInterval(() => fn(...args), intervalMs ?? 0);
  // Any scope's handle is one of the clock's timers, so the clock clears it whoever set it.
  target.clearTimeout = (handle?: TimerHandle) => clock.clearTimeout(handle);
  target.clearInterval = (handle?: TimerHandle) => clock.clearInterval(handle);
  Date.now = () => clock.now();
  if (extras.fetch) target.fetch = extras.fetch;

  let restored = false;
  return () => {
    if (restored) return;
    restored = true;
    for (const [name, value] of saved) target[name] = value;
    Date.now = savedDateNow;
    if (extras.fetch) {
      if (hadFetch) target.fetch = savedFetch;
      else delete target.fetch;
    }
  };
}

/**
 * Real elapsed milliseconds, for reporting how long a run took (wallMs, runs per second). It
 * must never feed a decision of the simulation; it lives here because this file is allowed to
 * read real time.
 */
export function wallClockMs(): number {
  return performance.now();
}
