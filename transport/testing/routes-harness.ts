/**
 * Wires the real server parts (store, registry, streams, sessions, routes) on a fake Env with
 * scripted agents, and offers one-line helpers to open streams and post messages.
 */
import { Defects, type DefectId } from '../defects.ts';
import type { BodyResponse, HttpResponse } from '../http.ts';
import { CONNECTION_HEADER, EVENTS_PATH, POST_PREFIX } from '../protocol.ts';
import { createFakeEnv } from './fake-env.ts';
import { FakeStreamSink } from './fake-stream-sink.ts';
import { scriptedAgentFactory } from './scripted-agent.ts';
import { ChatSessions } from '../server/chat-sessions.ts';
import { ConnectionRegistry } from '../server/connection-registry.ts';
import { EventStore } from '../server/event-store.ts';
import { createRoutes } from '../server/routes.ts';
import { SseStreams } from '../server/sse-streams.ts';

export function createRoutesHarness(defectIds: DefectId[] = []) {
  const fake = createFakeEnv();
  const env = fake.env;
  const defects = new Defects(defectIds);
  const store = new EventStore({ env, path: ':memory:' });
  const registry = new ConnectionRegistry({ env, store, defects });
  const { factory, agents } = scriptedAgentFactory();
  const sessions = new ChatSessions({ env, store, registry, agentFactory: factory });
  const streams = new SseStreams({
    env,
    registry,
    onStreamClosed: (_id, watched) => sessions.detachUnwatched(watched),
  });
  const handle = createRoutes({ env, store, registry, streams, sessions, defects });

  async function openStream(): Promise<{ sink: FakeStreamSink; connectionId: string }> {
    const response = await handle({ method: 'GET', path: EVENTS_PATH, headers: {}, body: '' });
    if (response.kind !== 'stream') throw new Error(`expected a stream, got ${response.status}`);
    const sink = new FakeStreamSink();
    response.start(sink);
    return { sink, connectionId: sink.frames()[0]!.connectionId as string };
  }

  /** POSTs `body` (JSON-encoded unless it is a string) with the connection header when given. */
  async function post(endpoint: string, body: unknown, connectionId?: string): Promise<BodyResponse> {
    const headers: Record<string, string> = connectionId === undefined ? {} : { [CONNECTION_HEADER]: connectionId };
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    return asBody(await handle({ method: 'POST', path: `${POST_PREFIX}${endpoint}`, headers, body: text }));
  }

  /** GETs `path` with the connection header when given. */
  async function get(path: string, connectionId?: string): Promise<BodyResponse> {
    const headers: Record<string, string> = connectionId === undefined ? {} : { [CONNECTION_HEADER]: connectionId };
    return asBody(await handle({ method: 'GET', path, headers, body: '' }));
  }

  const eventTypes = (sessionId: string) => store.getSessionEvents(sessionId).map((event) => event.type);
  const states = (sessionId: string) =>
    store
      .getSessionEvents(sessionId)
      .filter((event) => event.type === 'session_state_changed')
      .map((event) => (event.payload as { to: string }).to);

  return { fake, env, store, registry, sessions, streams, agents, handle, openStream, post, get, eventTypes, states };
}

export function asBody(response: HttpResponse): BodyResponse {
  if (response.kind !== 'body') throw new Error('expected a body response');
  return response;
}

export function bodyOf(response: BodyResponse): Record<string, unknown> {
  return JSON.parse(response.body) as Record<string, unknown>;
}
