/**
 * Assertions mark broken invariants inside the simulator: a state its own code should never
 * reach, whatever the scenario, the seed or the transport under test. They are never caught;
 * the event loop does not charge them to an actor but lets them end the run as a harness error.
 * An error a user can cause (a bad scenario, a bad file) is never one of these: it is typed,
 * with a code and the offending value.
 */

/** A broken invariant of the simulator; `invariant` states what should have held. */
export class AssertionError extends Error {
  override readonly name = 'AssertionError';

  constructor(readonly invariant: string) {
    super(`simulator invariant broken: ${invariant}`);
  }
}

/** Throws an AssertionError naming `invariant` unless `condition` holds. */
export function assert(condition: unknown, invariant: string): asserts condition {
  if (!condition) throw new AssertionError(invariant);
}
