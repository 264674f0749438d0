import { describe, expect, it } from 'vitest';
import { OBS } from '../observations.ts';
import { createFakeEnv, type FakeEnv } from '../testing/fake-env.ts';
import { AgentInterruptError, SimulatedAgent, normalizeAgentOptions, type AgentOptions } from './agent.ts';

interface Emitted {
  atMs: number;
  type: string;
  payload: Record<string, unknown>;
}

const START_MS = 10_000;
const QUIET: Partial<AgentOptions> = {
  stepDelayMsMin: 100,
  stepDelayMsMax: 100,
  stepsMin: 3,
  stepsMax: 3,
  permissionChance: [0, 1],
  interruptFailureChance: [0, 1],
};

function setup(agentOptions: Partial<AgentOptions> = {}, seed = 1) {
  const fake: FakeEnv = createFakeEnv({ startMs: START_MS, seed });
  const events: Emitted[] = [];
  const agent = new SimulatedAgent({
    env: fake.env,
    sessionId: 's1',
    emit: (type, payload) => events.push({ atMs: fake.env.clock.now(), type, payload }),
    agentOptions: { ...QUIET, ...agentOptions },
  });
  return { fake, agent, events, types: () => events.map((e) => e.type) };
}

describe('SimulatedAgent runs', () => {
  it('produces the planned steps one delay apart, then the result', () => {
    const { fake, agent, events } = setup();
    agent.runPrompt('m1', 'hello');
    expect(agent.isBusy()).toBe(true);
    fake.advance(99);
    expect(events).toEqual([]);
    fake.runAll();
    expect(events.map((e) => e.atMs - START_MS)).toEqual(events.map((_, i) => (i + 1) * 100));
    expect(events.at(-1)).toMatchObject({ type: 'result', payload: { clientMsgId: 'm1', ok: true } });
    const work = events.slice(0, -1);
    const deltas = work.filter((e) => e.type === 'assistant_delta');
    const toolUses = work.filter((e) => e.type === 'tool_use');
    expect(deltas.length + toolUses.length).toBe(3);
    for (const delta of deltas) expect(delta.payload).toMatchObject({ clientMsgId: 'm1', text: expect.any(String) });
    work.forEach((event, i) => {
      if (event.type === 'tool_use') {
        expect(work[i + 1]).toMatchObject({ type: 'tool_result', payload: { toolId: event.payload.toolId } });
      }
    });
    expect(agent.isBusy()).toBe(false);
  });

  it('draws step delays and step counts inside the configured ranges', () => {
    const { fake, agent, events } = setup({ stepDelayMsMin: 10, stepDelayMsMax: 30, stepsMin: 1, stepsMax: 4 });
    for (let i = 0; i < 20; i += 1) agent.runPrompt(`m${i}`, 'p');
    fake.runAll();
    const gaps = events.slice(1).map((e, i) => e.atMs - events[i]!.atMs);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(10);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(30);
    expect(new Set(gaps).size).toBeGreaterThan(5);
    const stepsPerRun = new Set<number>();
    let steps = 0;
    for (const event of events) {
      if (event.type === 'result') {
        stepsPerRun.add(steps);
        steps = 0;
      } else if (event.type !== 'tool_result') steps += 1;
    }
    expect([...stepsPerRun].every((n) => n >= 1 && n <= 4)).toBe(true);
    expect(stepsPerRun.size).toBeGreaterThan(1);
  });

  it('gives the same events for the same seed and different ones for another seed', () => {
    const runWith = (seed: number) => {
      const { fake, agent, events } = setup({ stepDelayMsMin: 1, stepDelayMsMax: 500, stepsMin: 1, stepsMax: 8 }, seed);
      agent.runPrompt('m1', 'p');
      agent.runPrompt('m2', 'p');
      fake.runAll();
      return events;
    };
    expect(runWith(42)).toEqual(runWith(42));
    expect(runWith(42)).not.toEqual(runWith(43));
  });

  it('counts the prompts waiting behind the running one, and their UTF-8 bytes', () => {
    const { fake, agent } = setup();
    expect(agent.queuedPrompts()).toEqual({ count: 0, bytes: 0 });
    agent.runPrompt('m1', 'running');
    expect(agent.queuedPrompts()).toEqual({ count: 0, bytes: 0 });
    agent.runPrompt('m2', 'ab');
    agent.runPrompt('m3', '€');
    expect(agent.queuedPrompts()).toEqual({ count: 2, bytes: 5 });
    // Long enough for the first run to end and the second to start, not for the second to end.
    fake.advance(500);
    expect(agent.queuedPrompts()).toEqual({ count: 1, bytes: 3 });
    agent.stop();
    expect(agent.queuedPrompts()).toEqual({ count: 0, bytes: 0 });
  });

  it('queues a prompt behind the running one and logs agent.run.start once per run', () => {
    const { fake, agent, types, events } = setup();
    agent.runPrompt('m1', 'first');
    agent.runPrompt('m2', 'second');
    expect(fake.logsOf(OBS.agentRunStart).map((l) => l.data)).toEqual([
      { sessionId: 's1', clientMsgId: 'm1', prompt: 'first' },
    ]);
    fake.runAll();
    expect(fake.logsOf(OBS.agentRunStart).map((l) => l.data)).toEqual([
      { sessionId: 's1', clientMsgId: 'm1', prompt: 'first' },
      { sessionId: 's1', clientMsgId: 'm2', prompt: 'second' },
    ]);
    const results = events.filter((e) => e.type === 'result').map((e) => e.payload.clientMsgId);
    expect(results).toEqual(['m1', 'm2']);
    const firstResult = types().indexOf('result');
    expect(events.slice(0, firstResult).every((e) => e.payload.clientMsgId === 'm1')).toBe(true);
  });
});

describe('SimulatedAgent permissions', () => {
  const ASKS_ONLY: Partial<AgentOptions> = { stepsMin: 0, stepsMax: 0, permissionChance: [1, 1] };

  it('waits for the answer, then runs the gated tool when allowed', () => {
    const { fake, agent, events, types } = setup(ASKS_ONLY);
    agent.runPrompt('m1', 'p');
    fake.runAll();
    expect(types()).toEqual(['permission_request']);
    const { requestId, tool } = events[0]!.payload as { requestId: string; tool: string };
    expect(agent.pendingPermissionIds()).toEqual([requestId]);
    fake.advance(60_000);
    expect(types()).toEqual(['permission_request']);
    expect(agent.isBusy()).toBe(true);

    expect(agent.respondPermission('perm-unknown', true)).toBe(false);
    expect(agent.respondPermission(requestId, true)).toBe(true);
    expect(agent.respondPermission(requestId, true)).toBe(false);
    expect(agent.pendingPermissionIds()).toEqual([]);
    fake.runAll();
    expect(types()).toEqual(['permission_request', 'permission_response', 'tool_use', 'tool_result', 'result']);
    expect(events[1]!.payload).toEqual({ requestId, allow: true });
    expect(events[2]!.payload).toMatchObject({ tool });
  });

  it('skips the gated tool when denied and still finishes the run', () => {
    const { fake, agent, events, types } = setup(ASKS_ONLY);
    agent.runPrompt('m1', 'p');
    fake.runAll();
    const requestId = events[0]!.payload.requestId as string;
    agent.respondPermission(requestId, false);
    fake.runAll();
    expect(types()).toEqual(['permission_request', 'permission_response', 'result']);
    expect(events[1]!.payload).toEqual({ requestId, allow: false });
  });

  it('drops the pending request when the run is interrupted while waiting', async () => {
    const { fake, agent, events, types } = setup(ASKS_ONLY);
    agent.runPrompt('m1', 'p');
    fake.runAll();
    const requestId = events[0]!.payload.requestId as string;
    await agent.interrupt();
    expect(agent.pendingPermissionIds()).toEqual([]);
    expect(agent.respondPermission(requestId, true)).toBe(false);
    fake.runAll();
    expect(types()).toEqual(['permission_request', 'interrupted']);
  });

  it('accepts an answer given synchronously from inside emit', () => {
    const fake = createFakeEnv({ startMs: START_MS });
    const types: string[] = [];
    const agent: SimulatedAgent = new SimulatedAgent({
      env: fake.env,
      sessionId: 's1',
      agentOptions: { ...QUIET, ...ASKS_ONLY },
      emit: (type, payload) => {
        types.push(type);
        if (type === 'permission_request') agent.respondPermission(payload.requestId as string, true);
      },
    });
    agent.runPrompt('m1', 'p');
    fake.runAll();
    expect(types).toEqual(['permission_request', 'permission_response', 'tool_use', 'tool_result', 'result']);
  });
});

describe('SimulatedAgent interrupt, stop and dispose', () => {
  it('interrupt stops the current run, emits interrupted and starts the queued prompt', async () => {
    const { fake, agent, events } = setup();
    agent.runPrompt('m1', 'p');
    agent.runPrompt('m2', 'p');
    fake.advance(150);
    await expect(agent.interrupt()).resolves.toBeUndefined();
    expect(events.at(-1)).toMatchObject({ type: 'interrupted', payload: { clientMsgId: 'm1', reason: 'interrupt' } });
    fake.runAll();
    const afterInterrupt = events.slice(events.findIndex((e) => e.type === 'interrupted') + 1);
    expect(afterInterrupt.every((e) => e.payload.clientMsgId === 'm2')).toBe(true);
    expect(afterInterrupt.at(-1)?.type).toBe('result');
    expect(events.filter((e) => e.type === 'result')).toHaveLength(1);
  });

  it('interrupt of an idle agent resolves without an event', async () => {
    const { agent, events } = setup();
    await expect(agent.interrupt()).resolves.toBeUndefined();
    expect(events).toEqual([]);
  });

  it('interrupt rejects with the configured chance and the run goes on', async () => {
    const { fake, agent, events } = setup({ interruptFailureChance: [1, 1] });
    agent.runPrompt('m1', 'p');
    fake.advance(150);
    await expect(agent.interrupt()).rejects.toMatchObject({ code: 'interrupt_failed', sessionId: 's1' });
    await expect(agent.interrupt()).rejects.toBeInstanceOf(AgentInterruptError);
    expect(agent.isBusy()).toBe(true);
    fake.runAll();
    expect(events.map((e) => e.type)).not.toContain('interrupted');
    expect(events.at(-1)?.type).toBe('result');
  });

  it('stop ends the run and drops queued prompts', () => {
    const { fake, agent, events } = setup();
    agent.runPrompt('m1', 'p');
    agent.runPrompt('m2', 'p');
    fake.advance(150);
    agent.stop();
    expect(events.at(-1)).toMatchObject({ type: 'interrupted', payload: { clientMsgId: 'm1', reason: 'stop' } });
    expect(agent.isBusy()).toBe(false);
    const count = events.length;
    fake.runAll();
    expect(events).toHaveLength(count);
    expect(fake.logsOf(OBS.agentRunStart)).toHaveLength(1);
  });

  it('dispose clears every timer and ignores later prompts', () => {
    const { fake, agent, events } = setup();
    agent.runPrompt('m1', 'p');
    agent.runPrompt('m2', 'p');
    fake.advance(150);
    expect(fake.pendingTimerCount()).toBe(1);
    const count = events.length;
    agent.dispose();
    expect(fake.pendingTimerCount()).toBe(0);
    expect(agent.isBusy()).toBe(false);
    agent.runPrompt('m3', 'p');
    fake.advance(10_000);
    expect(events).toHaveLength(count);
    expect(fake.logsOf(OBS.agentRunStart)).toHaveLength(1);
  });

  it('abandons a run whose event cannot be stored, logs it, and goes on with the queue', () => {
    const fake = createFakeEnv({ startMs: START_MS });
    const stored: string[] = [];
    let failNext = true;
    const agent = new SimulatedAgent({
      env: fake.env,
      sessionId: 's1',
      agentOptions: QUIET,
      emit: (type, payload) => {
        if (failNext) {
          failNext = false;
          throw new Error('database is closed');
        }
        stored.push(`${type}:${String(payload.clientMsgId)}`);
      },
    });
    agent.runPrompt('m1', 'p');
    agent.runPrompt('m2', 'p');
    expect(() => fake.runAll()).not.toThrow();
    expect(fake.logsOf(OBS.serverError)[0]?.data).toMatchObject({ message: 'database is closed', sessionId: 's1' });
    expect(stored.every((entry) => entry.endsWith(':m2'))).toBe(true);
    expect(stored.at(-1)).toBe('result:m2');
  });
});

describe('normalizeAgentOptions', () => {
  it('fills defaults and repairs unusable ranges', () => {
    expect(
      normalizeAgentOptions({ stepDelayMsMin: 50, stepDelayMsMax: 10, stepsMin: -3, stepsMax: Number.NaN }),
    ).toMatchObject({
      stepDelayMsMin: 50,
      stepDelayMsMax: 50,
      stepsMin: 0,
      stepsMax: 0,
    });
    expect(normalizeAgentOptions().permissionChance).toEqual([1, 5]);
  });
});
