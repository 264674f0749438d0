import { afterEach, describe, expect, it } from 'vitest';
import { Defects } from '../defects.ts';
import type { BodyResponse, HttpRequest } from '../http.ts';
import { CONNECTION_HEADER, EVENTS_PATH, POST_PREFIX, SYNC_INTERVAL_MS } from '../protocol.ts';
import { createFakeEnv } from '../testing/fake-env.ts';
import { FakeStreamSink } from '../testing/fake-stream-sink.ts';
import { scriptedAgentFactory } from '../testing/scripted-agent.ts';
import { ChatServer, type ChatServerOptions } from './chat-server.ts';
import { EventStore } from './event-store.ts';

const stores: EventStore[] = [];
afterEach(() => {
  for (const store of stores.splice(0)) store.close();
});

function setup(options: Partial<ChatServerOptions> = {}) {
  const fake = createFakeEnv({ seed: 7 });
  const store = new EventStore({ env: fake.env, path: ':memory:' });
  stores.push(store);
  const server = new ChatServer({ env: fake.env, store, ...options });

  async function openStream() {
    const response = await server.handle({ method: 'GET', path: EVENTS_PATH, headers: {}, body: '' });
    if (response.kind !== 'stream') throw new Error('expected a stream');
    const sink = new FakeStreamSink();
    response.start(sink);
    return { sink, connectionId: sink.frames()[0]!.connectionId as string };
  }

  async function post(endpoint: string, connectionId: string, body: Record<string, unknown>) {
    const request: HttpRequest = {
      method: 'POST',
      path: `${POST_PREFIX}${endpoint}`,
      headers: { [CONNECTION_HEADER]: connectionId },
      body: JSON.stringify(body),
    };
    return (await server.handle(request)) as BodyResponse;
  }
  return { fake, store, server, openStream, post };
}

describe('ChatServer', () => {
  it('start ends sessions a previous process left running, once', () => {
    const { store, server } = setup();
    store.setSessionState('left-active', 'ACTIVE', { force: true });
    store.setSessionState('left-closing', 'CLOSING', { force: true });
    store.setSessionState('ended', 'ENDED', { force: true });
    server.start();
    server.start();
    expect(store.listSessions().map((session) => session.state)).toEqual(['ENDED', 'ENDED', 'ENDED']);
    const reasons = store.getSessionEvents('left-active').map((event) => (event.payload as { reason?: string }).reason);
    expect(reasons.filter((reason) => reason === 'server_restart')).toHaveLength(1);
  });

  it('runs periodic sync on the configured interval once started', async () => {
    const { fake, store, server, openStream } = setup({ syncIntervalMs: 1000 });
    server.start();
    const { sink, connectionId } = await openStream();
    store.setSessionState('s1', 'ACTIVE', { force: true });
    server.registry.watch(connectionId, 's1', 0);
    fake.advance(999);
    expect(sink.sessionSeqs('s1')).toEqual([]);
    fake.advance(1);
    expect(sink.sessionSeqs('s1')).toEqual([1]);
    expect(SYNC_INTERVAL_MS).toBe(5000);
  });

  it('runs a prompt end to end with the default simulated agent, streaming every stored event in order', async () => {
    const { fake, store, server, openStream, post } = setup();
    server.start();
    const { sink, connectionId } = await openStream();
    await post('watch', connectionId, { type: 'watch', sessionId: 's1' });
    const response = await post('send', connectionId, {
      type: 'send',
      sessionId: 's1',
      clientMsgId: 'm1',
      prompt: 'go',
    });
    expect(response.status).toBe(202);
    const agent = server.agentFor('s1');
    expect(agent).toBeDefined();
    for (let step = 0; step < 60 && !store.getSessionEvents('s1').some((event) => event.type === 'result'); step += 1) {
      for (const requestId of agent!.pendingPermissionIds()) {
        await post('permission', connectionId, {
          type: 'permission_response',
          sessionId: 's1',
          requestId,
          allow: true,
        });
      }
      fake.advance(500);
    }
    const stored = store.getSessionEvents('s1');
    expect(stored.at(-1)?.type).toBe('result');
    expect(stored.some((event) => event.type === 'assistant_delta')).toBe(true);
    expect(sink.sessionSeqs('s1')).toEqual(stored.map((event) => event.seq));
    expect(fake.logsOf('agent.run.start')).toHaveLength(1);
  });

  it('stop closes streams, disposes agents and timers, and leaves the store open', async () => {
    const { fake, store, server, openStream, post } = setup();
    server.start();
    const { sink, connectionId } = await openStream();
    await post('watch', connectionId, { type: 'watch', sessionId: 's1' });
    await post('send', connectionId, { type: 'send', sessionId: 's1', clientMsgId: 'm1', prompt: 'go' });
    const headBeforeStop = store.getHeadSeq('s1');
    server.stop();
    expect(sink.closed).toBe(true);
    expect(server.registry.connectionIds()).toEqual([]);
    expect(fake.pendingTimerCount()).toBe(0);
    expect(store.getHeadSeq('s1')).toBe(headBeforeStop);
    expect(store.getSessionState('s1')).toBe('ACTIVE');
    server.start();
    expect(fake.pendingTimerCount()).toBe(0);
  });

  it('creates agents with the given factory, one per session, on demand', async () => {
    const { factory, agents } = scriptedAgentFactory();
    const { server, openStream, post } = setup({ agentFactory: factory, defects: Defects.none() });
    const { connectionId } = await openStream();
    await post('send', connectionId, { type: 'send', sessionId: 's1', clientMsgId: 'm1', prompt: 'go' });
    expect(server.agentFor('s1')).toBe(agents.get('s1'));
    expect(agents.get('s1')?.prompts).toEqual([{ clientMsgId: 'm1', prompt: 'go' }]);
    expect(server.agentFor('other')).toBeUndefined();
  });
});
