/**
 * The one injection point for faults. Every fault is named (scenarios/fault-kinds.ts), decided from the
 * `faults` stream of the seed, counted, and recorded in the trace before it takes effect. Faults
 * fire only in the chaos phase; the heal phase runs the same world with all of them off.
 *
 * A caller that can name what a draw is for by a stable identity (a prompt's k-th POST) draws
 * from a stream keyed by it (`keyed`), derived from the seed and that key alone: leaving out one
 * fault or one user action then leaves the draws of every other request where they were, where
 * one shared stream would hand each later request another request's draws.
 *
 * A scenario's `omit.faults` names firings to leave out by kind and ordinal: such a firing is
 * drawn with all its random choices, then neither counted, recorded nor applied, so a shrink can
 * remove one fault and keep every other draw of the run where it was. `omit.faultsAfter` leaves
 * out, in the same way, every firing of a kind after its first N.
 */
import type { Timers } from '../../transport/index.ts';
import type { Scenario, Ratio } from '../../scenarios/index.ts';
import {
  FAULT_KINDS,
  type FaultKind,
  type RequestFaultKind,
  type TimedFaultKind,
  TIMED_FAULT_KINDS,
} from '../../scenarios/index.ts';
import type { Rng } from '../core/index.ts';
import type { Recorder } from '../core/index.ts';
import { TIMED_FAULT_EFFECTS, type TimedFaultTargets } from './timed-faults.ts';

const MS_PER_MINUTE = 60_000;

/** A per-request fault the draw picked; `applied` is false when the scenario omits this firing. */
export interface DrawnFault<K extends RequestFaultKind> {
  kind: K;
  applied: boolean;
}

export class FaultInjector {
  readonly counts: Record<FaultKind, number>;
  private chaos = true;
  /** Kinds the server cannot take (fault-capabilities.ts): never drawn, as if switched off. */
  private notApplicable: ReadonlySet<FaultKind> = new Set();
  /** Firings drawn so far per kind, the omitted ones included: the ordinals `omit.faults` names. */
  private readonly drawn: Partial<Record<FaultKind, number>> = {};
  private readonly omitted: ReadonlyMap<FaultKind, ReadonlySet<number>>;
  /** Per kind, the last ordinal that may take effect (`omit.faultsAfter`). */
  private readonly lastApplied: Partial<Record<FaultKind, number>>;

  constructor(
    private readonly scenario: Scenario,
    private readonly rng: Rng,
    private readonly recorder: Recorder,
  ) {
    this.counts = Object.fromEntries(FAULT_KINDS.map((kind) => [kind, 0])) as Record<FaultKind, number>;
    const omit = Object.entries(scenario.omit?.faults ?? {}) as [FaultKind, number[]][];
    this.omitted = new Map(omit.map(([kind, ordinals]) => [kind, new Set(ordinals)]));
    this.lastApplied = scenario.omit?.faultsAfter ?? {};
  }

  inChaos(): boolean {
    return this.chaos;
  }

  /** From now on no fault fires: the heal phase. */
  heal(): void {
    this.chaos = false;
  }

  /** From now on these kinds are never drawn: the run's server lacks what they need. */
  excludeKinds(kinds: readonly FaultKind[]): void {
    this.notApplicable = new Set(kinds);
  }

  /** The draws for what `key` names, the same for the same key in any run of the seed. */
  keyed(key: string): Rng {
    return this.rng.split(`key:${key}`);
  }

  /** Decides a per-request fault; at most one fires per decision, in the order given. */
  decide<K extends RequestFaultKind>(kinds: readonly K[], details: Record<string, unknown>): K | null {
    const drawn = this.draw(kinds, details);
    return drawn?.applied ? drawn.kind : null;
  }

  /**
   * Like decide(), but also says when the fault drawn is one the scenario omits, for a caller
   * whose effect makes draws of its own: it makes them anyway and applies nothing. `rng` is a
   * keyed stream (keyed()) when the caller has one, else the shared stream.
   */
  draw<K extends RequestFaultKind>(
    kinds: readonly K[],
    details: Record<string, unknown>,
    rng: Rng = this.rng,
  ): DrawnFault<K> | null {
    if (!this.chaos) return null;
    for (const kind of kinds) {
      if (this.notApplicable.has(kind)) continue;
      const ratio: Ratio | undefined = this.scenario.faults.request[kind];
      if (!ratio || ratio[0] <= 0) continue;
      if (rng.chance(ratio[0], ratio[1])) return { kind, applied: this.fired(kind, details) };
    }
    return null;
  }

  /**
   * Counts and records one firing, and returns true: the effect follows. An omitted firing is
   * neither counted nor recorded, and returns false: the caller applies nothing.
   */
  fired(kind: FaultKind, details: Record<string, unknown>): boolean {
    const ordinal = (this.drawn[kind] ?? 0) + 1;
    this.drawn[kind] = ordinal;
    if (this.omitted.get(kind)?.has(ordinal) || ordinal > (this.lastApplied[kind] ?? Infinity)) return false;
    this.counts[kind] += 1;
    this.recorder.record('faults', `fault.${kind}`, details, { kind: 'fault', fault: kind, details });
    return true;
  }

  /** Schedules every enabled timed fault at random moments over the chaos phase, to act on `targets`. */
  scheduleTimed(timers: Timers, targets: TimedFaultTargets): void {
    for (const kind of TIMED_FAULT_KINDS) {
      if (this.notApplicable.has(kind)) continue;
      const perMinute = this.scenario.faults.timed[kind] ?? 0;
      if (perMinute > 0) this.scheduleNext(timers, kind, perMinute, targets);
    }
  }

  private scheduleNext(timers: Timers, kind: TimedFaultKind, perMinute: number, targets: TimedFaultTargets): void {
    // Uniform gaps with the right mean: expected perMinute firings per virtual minute.
    const meanGapMs = MS_PER_MINUTE / perMinute;
    const gapMs = this.rng.intBetween(1, Math.max(1, Math.round(2 * meanGapMs)));
    timers.setTimeout(() => {
      if (!this.chaos) return;
      // The effect picks its target and calls back to be counted; with no target nothing counts.
      TIMED_FAULT_EFFECTS[kind](targets, (details) => this.fired(kind, details));
      this.scheduleNext(timers, kind, perMinute, targets);
    }, gapMs);
  }
}
