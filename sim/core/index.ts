/**
 * The public surface of sim/core/: what other folders may import from it. Everything else in
 * the folder is internal and may change without notice.
 */
export { SERVER_ACTOR, SIMULATOR_ACTOR, currentActor, runAs } from './actor-context.ts';
export { assert } from './assert.ts';
export { VirtualClock, installGlobals, wallClockMs } from './clock.ts';
export type { TimerScope } from './clock.ts';
export { EventLoop } from './loop.ts';
export { keptResults } from './kept-results.ts';
export { Recorder } from './recorder.ts';
export { Rng } from './rng.ts';
export { Trace, firstDivergence, lineOf } from './trace.ts';
export type { Divergence, TraceEntry, TraceKeeping } from './trace.ts';
