/**
 * The fault tables are complete: every kind has its effect and its generator rate. The compiler is
 * the first check, so the `@ts-expect-error` lines below are tests too: each one asserts that a
 * table leaving a kind out does not compile. Were a table's type ever loosened (a Partial, an
 * index signature), the error would vanish, the directive would be unused, and `npm run typecheck`
 * would fail. The runtime checks catch what a cast could smuggle past the compiler.
 */
import type fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  FAULT_KINDS,
  REQUEST_FAULT_KINDS,
  TIMED_FAULT_KINDS,
  type RequestFaultKind,
} from '../../scenarios/fault-kinds.ts';
import { REQUEST_FAULT_RATE_ARBS, TIMED_FAULT_RATE_ARBS } from '../../scenarios/generators.ts';
import type { Ratio } from '../../scenarios/scenario.ts';
import { Rng } from '../core/rng.ts';
import type { OpenStreamInfo } from '../net/network.ts';
import { GET_FAULTS, POST_FAULTS, SEND_FAULTS } from './network-fault-policy.ts';
import {
  REQUEST_FAULT_EFFECTS,
  RETRY_AFTER_S,
  type NetworkRequestFaultKind,
  type RequestFaultEffects,
} from './request-faults.ts';
import {
  TIMED_FAULT_EFFECTS,
  type FaultTargetPage,
  type TimedFaultEffects,
  type TimedFaultTargets,
} from './timed-faults.ts';

describe('the compiler refuses an incomplete fault table', () => {
  it('a timed effect table without client-offline', () => {
    const { 'client-offline': _left, ...withoutOffline } = TIMED_FAULT_EFFECTS;
    // @ts-expect-error client-offline has no effect
    const table: TimedFaultEffects = withoutOffline;
    expect(Object.keys(table)).not.toContain('client-offline');
  });

  it('a request effect table without interrupt-reject', () => {
    const { 'interrupt-reject': _left, ...withoutReject } = REQUEST_FAULT_EFFECTS;
    // @ts-expect-error interrupt-reject has no effect
    const table: RequestFaultEffects = withoutReject;
    expect(Object.keys(table)).not.toContain('interrupt-reject');
  });

  it('a generator rate table without a kind', () => {
    const { 'http-404': _request, ...requestWithout } = REQUEST_FAULT_RATE_ARBS;
    // @ts-expect-error http-404 has no rate
    const request: Record<RequestFaultKind, fc.Arbitrary<Ratio>> = requestWithout;
    const { 'tab-hidden': _timed, ...timedWithout } = TIMED_FAULT_RATE_ARBS;
    // @ts-expect-error tab-hidden has no rate
    const timed: typeof TIMED_FAULT_RATE_ARBS = timedWithout;
    expect(Object.keys(request)).not.toContain('http-404');
    expect(Object.keys(timed)).not.toContain('tab-hidden');
  });

  it('a request is tried only against kinds whose effect is a network decision', () => {
    // @ts-expect-error write-failure fails a frame write; it has no answer for a request
    const kinds: readonly NetworkRequestFaultKind[] = ['request-lost', 'write-failure'];
    expect(kinds.map((kind) => REQUEST_FAULT_EFFECTS[kind].hits)).toEqual(['request', 'frame']);
  });
});

describe('every fault kind', () => {
  const requestKinds: readonly string[] = REQUEST_FAULT_KINDS;
  const timedKinds: readonly string[] = TIMED_FAULT_KINDS;

  it('is named once, as a request or a timed fault', () => {
    expect(new Set(FAULT_KINDS).size).toBe(FAULT_KINDS.length);
    for (const kind of FAULT_KINDS) expect(requestKinds.includes(kind) !== timedKinds.includes(kind), kind).toBe(true);
  });

  it('has an effect and a generator rate, and the tables name no other kind', () => {
    for (const kind of FAULT_KINDS) {
      const [effects, rates] = requestKinds.includes(kind)
        ? [REQUEST_FAULT_EFFECTS, REQUEST_FAULT_RATE_ARBS]
        : [TIMED_FAULT_EFFECTS, TIMED_FAULT_RATE_ARBS];
      expect(Object.hasOwn(effects, kind), `effect of ${kind}`).toBe(true);
      expect(Object.hasOwn(rates, kind), `rate of ${kind}`).toBe(true);
    }
    expect(Object.keys(REQUEST_FAULT_EFFECTS).sort()).toEqual([...REQUEST_FAULT_KINDS].sort());
    expect(Object.keys(REQUEST_FAULT_RATE_ARBS).sort()).toEqual([...REQUEST_FAULT_KINDS].sort());
    expect(Object.keys(TIMED_FAULT_EFFECTS).sort()).toEqual([...TIMED_FAULT_KINDS].sort());
    expect(Object.keys(TIMED_FAULT_RATE_ARBS).sort()).toEqual([...TIMED_FAULT_KINDS].sort());
  });

  it('whose effect is a network decision is tried on some request', () => {
    const tried = new Set<string>([...POST_FAULTS, ...SEND_FAULTS, ...GET_FAULTS]);
    const network = REQUEST_FAULT_KINDS.filter((kind) => REQUEST_FAULT_EFFECTS[kind].hits === 'request');
    expect(network.filter((kind) => !tried.has(kind))).toEqual([]);
  });
});

describe('request fault effects', () => {
  it('answer an http-NNN fault with status NNN', () => {
    const rng = Rng.fromSeed(1).split('test');
    for (const kind of REQUEST_FAULT_KINDS.filter((name) => name.startsWith('http-'))) {
      const effect = REQUEST_FAULT_EFFECTS[kind];
      expect(effect.hits).toBe('request');
      const decision = effect.hits === 'request' ? effect.decision(rng) : null;
      expect(decision, kind).toMatchObject({ action: 'respond', status: Number(kind.slice('http-'.length)) });
    }
  });

  it('tell a rate-limited client to come back within RETRY_AFTER_S', () => {
    const rng = Rng.fromSeed(7).split('test');
    for (let i = 0; i < 50; i++) {
      const decision = REQUEST_FAULT_EFFECTS['http-429'].decision(rng);
      const retryAfterS = Number(decision.action === 'respond' ? decision.headers?.['retry-after'] : NaN);
      expect(retryAfterS).toBeGreaterThanOrEqual(RETRY_AFTER_S.min);
      expect(retryAfterS).toBeLessThanOrEqual(RETRY_AFTER_S.max);
    }
  });

  it('tell an unavailable client when to come back about half the time, within RETRY_AFTER_S', () => {
    const rng = Rng.fromSeed(7).split('test');
    const asked: number[] = [];
    for (let i = 0; i < 200; i++) {
      const decision = REQUEST_FAULT_EFFECTS['http-503'].decision(rng);
      expect(decision).toMatchObject({ action: 'respond', status: 503 });
      const header = decision.action === 'respond' ? decision.headers?.['retry-after'] : undefined;
      if (header !== undefined) asked.push(Number(header));
    }
    expect(asked.length).toBeGreaterThan(60);
    expect(asked.length).toBeLessThan(140);
    for (const retryAfterS of asked) {
      expect(retryAfterS).toBeGreaterThanOrEqual(RETRY_AFTER_S.min);
      expect(retryAfterS).toBeLessThanOrEqual(RETRY_AFTER_S.max);
    }
  });
});

/** Targets that log every call, in order; `nothing` leaves no stream, connection, live server or visible tab. */
function loggingTargets(options: { nothing: boolean }): { targets: TimedFaultTargets; calls: string[] } {
  const calls: string[] = [];
  const log =
    (name: string) =>
    (..._args: unknown[]): boolean => {
      calls.push(name);
      return true;
    };
  const open: OpenStreamInfo[] = options.nothing ? [] : [{ streamId: 'st1', clientId: 'c1', connectedAtMs: 0 }];
  const page: FaultTargetPage = {
    id: 'c1',
    isHidden: () => options.nothing,
    hide: log('hide'),
    shown: log('shown'),
    reload: log('reload'),
  };
  const targets: TimedFaultTargets = {
    rng: Rng.fromSeed(3).split('fault-targets'),
    nowMs: () => 0,
    after: log('after'),
    record: log('record'),
    server: {
      isUp: () => !options.nothing,
      crash: log('crash'),
      connectionIds: () => (options.nothing ? [] : ['conn-1']),
      forgetConnection: log('forgetConnection'),
    },
    streams: {
      openStreams: () => open,
      dropStream: log('dropStream'),
      halfOpen: log('halfOpen'),
      pauseReading: log('pauseReading'),
      isReadingPaused: () => false,
    },
    networkConditions: {
      spike: log('spike'),
      armConcurrentWelcome: log('armConcurrentWelcome'),
      armStaleAnswer: log('armStaleAnswer'),
      takeOffline: log('takeOffline'),
    },
    pages: [page],
  };
  return { targets, calls };
}

describe('timed fault effects', () => {
  /** Armed when they fire and counted later, when a reconnect POST meets them. */
  const ARMED: readonly string[] = ['concurrent-welcome', 'stale-reconnect-answer'];

  it('count themselves before they act, and act', () => {
    for (const kind of TIMED_FAULT_KINDS.filter((name) => !ARMED.includes(name))) {
      const { targets, calls } = loggingTargets({ nothing: false });
      TIMED_FAULT_EFFECTS[kind](targets, () => calls.push('fire') > 0);
      expect(calls[0], kind).toBe('fire');
      expect(calls.length, `${kind} acted`).toBeGreaterThan(1);
    }
  });

  it('that the scenario omits make their draws but do not act', () => {
    for (const kind of TIMED_FAULT_KINDS.filter((name) => !ARMED.includes(name))) {
      const { targets, calls } = loggingTargets({ nothing: false });
      TIMED_FAULT_EFFECTS[kind](targets, () => {
        calls.push('fire');
        return false;
      });
      expect(calls, kind).toEqual(['fire']);
    }
  });

  it('with no target, neither count nor act', () => {
    const needTarget = ['server-crash', 'stream-drop', 'half-open', 'forget-connection', 'tab-hidden'] as const;
    for (const kind of needTarget) {
      const { targets, calls } = loggingTargets({ nothing: true });
      TIMED_FAULT_EFFECTS[kind](targets, () => calls.push('fire') > 0);
      expect(calls, kind).toEqual([]);
    }
  });

  it('that are armed only arm a client, uncounted', () => {
    for (const kind of TIMED_FAULT_KINDS.filter((name) => ARMED.includes(name))) {
      const { targets, calls } = loggingTargets({ nothing: false });
      TIMED_FAULT_EFFECTS[kind](targets, () => calls.push('fire') > 0);
      expect(calls, kind).toEqual([kind === 'concurrent-welcome' ? 'armConcurrentWelcome' : 'armStaleAnswer']);
    }
  });
});
