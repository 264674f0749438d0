/**
 * Which actor's code is running: a client page, the server process, or the simulator itself. An
 * error nobody caught is charged to the actor whose code raised it, whoever wrote that code, so
 * the simulator cannot tell whose it is from where the code lives. Instead every timer runs as
 * the actor that owns it (see VirtualClock), the places where one actor's step calls into
 * another's code (a network delivery, a fault acting on a page) say whose code they call, and
 * promise continuations keep the actor they were started under: AsyncLocalStorage carries it
 * through promises, and Node emits 'unhandledRejection' in the context of the rejected promise.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

/** The actor name of the server process (all its incarnations). */
export const SERVER_ACTOR = 'server';
/** The actor name of the simulator's own steps: users' schedules aside, faults and phases. */
export const SIMULATOR_ACTOR = 'sim';

// One storage for the whole process: every AsyncLocalStorage in use adds work to each promise.
const running = new AsyncLocalStorage<string>();

/** `runAs` calls so far: a later entry that is over while an earlier one runs was nested in it. */
let entries = 0;
/** The last synchronous throw seen leaving `runAs`, with the innermost actor it left. */
let lastThrow: { value: unknown; actor: string; entry: number } | undefined;

/** The actor whose code is running now, or undefined outside every actor's code. */
export function currentActor(): string | undefined {
  return running.getStore();
}

/** Runs `fn` as `actor`: promises it starts keep that actor, and a throw is charged to it. */
export function runAs<T>(actor: string, fn: () => T): T {
  const entry = ++entries;
  try {
    return running.run(actor, fn);
  } catch (error) {
    // The innermost actor raised it; an outer runAs it passes through only let it go.
    const nested = lastThrow !== undefined && lastThrow.value === error && lastThrow.entry > entry;
    if (!nested) lastThrow = { value: error, actor, entry };
    throw error;
  }
}

/**
 * The actor that threw `error` synchronously out of `runAs`, if it was the last throw seen.
 * Read once: the record is dropped, as nothing else will ask about that throw.
 */
export function takeThrowingActor(error: unknown): string | undefined {
  if (lastThrow === undefined || lastThrow.value !== error) return undefined;
  const { actor } = lastThrow;
  lastThrow = undefined;
  return actor;
}
