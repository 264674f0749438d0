/**
 * The public surface of sim/shrink/: what other folders may import from it. Everything else in
 * the folder is internal and may change without notice.
 */
export { counterexampleSize, formatCounterexampleSize } from './counterexample-size.ts';
export type { CounterexampleSize } from './counterexample-size.ts';
export { ShrinkCache } from './shrink-cache.ts';
export { DEFAULT_SHRINK_RUNS, NotFailingError, shrinkRun } from './shrink.ts';
export type { RunSize, ShrinkProgress, ShrinkResult } from './shrink.ts';
