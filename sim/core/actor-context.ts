/**
 * Which actor's code is running: a client page, the server process, or the simulator itself. An
 * error nobody caught is charged to the actor whose code raised it, whoever wrote that code, so
 * the simulator cannot tell whose it is from where the code lives. Instead every timer runs as
 * the actor that owns it (see VirtualClock), the places where one actor's step calls into
 * another's code (a network delivery, a fault acting on a page) say whose code they call, and
 * promise continuations keep the actor they were started under: AsyncLocalStorage carries it
 * through promises, and Node emits 'unhandledRejection' in the context of the rejected promise.
 *
 * Carrying it costs work on every promise any code creates, and a run reads the actor across
 * promises only to charge an error nobody caught. So a run may say it does without
 * (`followPromises(false)`): then only `runAs` calls on the stack name the actor, and a run that
 * meets such an error is run again following promises (sim/run.ts). Unless some caller said so,
 * actors follow promises.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

/** The actor name of the server process (all its incarnations). */
export const SERVER_ACTOR = 'server';
/** The actor name of the simulator's own steps: users' schedules aside, faults and phases. */
export const SIMULATOR_ACTOR = 'sim';

// One storage for the whole process: every AsyncLocalStorage in use adds work to each promise.
const running = new AsyncLocalStorage<string>();

/** Callers active that said actors need not follow promises, and callers that said they must. */
let declinedBy = 0;
let neededBy = 0;
/** Whether `running` carries the actor; when not, `stackActor` alone names it. */
let following = true;
/** The actor of the innermost `runAs` on the stack. */
let stackActor: string | undefined;

/** `runAs` calls so far: a later entry that is over while an earlier one runs was nested in it. */
let entries = 0;
/** The last synchronous throw seen leaving `runAs`, with the innermost actor it left. */
let lastThrow: { value: unknown; actor: string; entry: number } | undefined;

/** The actor whose code is running now, or undefined outside every actor's code. */
export function currentActor(): string | undefined {
  return following ? running.getStore() : stackActor;
}

/**
 * Runs `fn` as `actor`: promises it starts keep that actor (when actors follow promises), and a
 * throw is charged to it.
 */
export function runAs<T>(actor: string, fn: () => T): T {
  const entry = ++entries;
  const outer = stackActor;
  stackActor = actor;
  try {
    return following ? running.run(actor, fn) : fn();
  } catch (error) {
    // The innermost actor raised it; an outer runAs it passes through only let it go.
    const nested = lastThrow !== undefined && lastThrow.value === error && lastThrow.entry > entry;
    if (!nested) lastThrow = { value: error, actor, entry };
    throw error;
  } finally {
    stackActor = outer;
  }
}

/**
 * Says, until the returned function is called, whether the caller needs actors to follow promises.
 * They do while any caller needs it or none declined; while they do not, Node's promise hooks are
 * off (a disabled storage is dropped from them).
 */
export function followPromises(needed: boolean): () => void {
  if (needed) neededBy += 1;
  else declinedBy += 1;
  update();
  let done = false;
  return () => {
    if (done) return;
    done = true;
    if (needed) neededBy -= 1;
    else declinedBy -= 1;
    update();
  };
}

function update(): void {
  const next = neededBy > 0 || declinedBy === 0;
  // Re-enabled by its next `run`.
  if (following && !next) running.disable();
  following = next;
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
