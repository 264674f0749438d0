/**
 * Keyed fault draws: a request's faults depend on what it is for (a prompt and its attempt, or a
 * client's n-th request of a kind), not on how many requests other clients or other prompts made
 * before it. That is what lets a shrink leave one event out without reshuffling the rest.
 */
import { describe, expect, it } from 'vitest';
import type { Recorder } from '../core/index.ts';
import { Rng } from '../core/index.ts';
import { BUNDLED_PROFILE, type RequestFaultDecision } from '../net/index.ts';
import { tinyWithFaults } from '../testing/tiny-scenarios.ts';
import { FaultInjector } from './faults.ts';
import { NetworkFaultPolicy } from './network-fault-policy.ts';

const SEED = 7;
const { paths } = BUNDLED_PROFILE;
const SCENARIO = tinyWithFaults('keyed', { request: { 'http-503': [1, 2], 'slow-response': [1, 3] } });

function policy(): NetworkFaultPolicy {
  const recorder = { record: () => {} } as unknown as Recorder;
  return new NetworkFaultPolicy(
    new FaultInjector(SCENARIO, Rng.fromSeed(SEED).split('faults'), recorder),
    BUNDLED_PROFILE,
  );
}

let nextRequest = 0;

function post(p: NetworkFaultPolicy, clientId: string, path: string, body: object): RequestFaultDecision {
  const request = { method: 'POST', path, headers: {}, body: JSON.stringify(body) };
  return p.onRequest({ requestId: `req-${nextRequest++}`, clientId, channel: 'fetch', request });
}

function sendPrompt(p: NetworkFaultPolicy, clientId: string, prompt: string, clientMsgId: string) {
  return post(p, clientId, paths.send, { type: 'send', sessionId: 's1', prompt, clientMsgId });
}

/** Ten POSTs of c1's prompt c1-p3 under the given id, after whatever `before` sends. */
function attemptsOfP3(clientMsgId: string, before: (p: NetworkFaultPolicy) => void): RequestFaultDecision[] {
  const p = policy();
  before(p);
  return Array.from({ length: 10 }, () => sendPrompt(p, 'c1', 'c1-p3', clientMsgId));
}

describe('keyed request fault draws', () => {
  const alone = attemptsOfP3('msg-3', () => {});

  it("gives a prompt's attempts faults of their own, effects included", () => {
    const actions = new Set(alone.map((decision) => decision.action));
    expect(actions.has('pass')).toBe(true);
    expect(actions.size).toBeGreaterThan(1);
  });

  it("does not move a prompt's draws when other clients and other prompts requested first", () => {
    const crowded = attemptsOfP3('msg-3', (p) => {
      for (let i = 1; i <= 6; i++) sendPrompt(p, 'c2', `c2-p${i}`, `msg-${10 + i}`);
      sendPrompt(p, 'c1', 'c1-p1', 'msg-1');
      post(p, 'c1', paths.reconnect, { connectionId: 'conn-1' });
    });
    expect(crowded).toEqual(alone);
  });

  it('keys a prompt by its text, not by its clientMsgId, which an omitted earlier prompt shifts', () => {
    expect(attemptsOfP3('msg-2', () => {})).toEqual(alone);
  });

  it("draws another prompt's attempts differently", () => {
    const p = policy();
    const other = Array.from({ length: 10 }, () => sendPrompt(p, 'c1', 'c1-p4', 'msg-3'));
    expect(other).not.toEqual(alone);
  });
});
