/**
 * The transport's own cost for a run's history, with no simulator: the same number of streams,
 * prompts and agent events driven straight into the real ChatServer (routes, SQLite EventStore,
 * ConnectionRegistry broadcast, SSE frame encoding) with sinks that only count what is written.
 * What a simulated run costs beyond this is the simulator's overhead.
 */
import type { RunResult } from '../sim/run-result.ts';
import { wallClockMs } from '../sim/clock.ts';
import { silentLogger } from '../transport/env.ts';
import type { HttpRequest, StreamSink } from '../transport/http.ts';
import { CONNECTION_HEADER, EVENTS_PATH, POST_PREFIX } from '../transport/protocol.ts';
import { ChatServer } from '../transport/server/chat-server.ts';
import { EventStore } from '../transport/server/event-store.ts';
import { createFakeEnv } from '../transport/testing/fake-env.ts';
import { scriptedAgentFactory } from '../transport/testing/scripted-agent.ts';

export interface DirectWorkload {
  clients: number;
  sessions: number;
  /** Prompts persisted as user_message events. */
  prompts: number;
  /** Every other stored event (agent output and state changes), emitted as agent events. */
  agentEvents: number;
}

export interface DirectCost {
  wallMs: number;
  framesWritten: number;
  eventsStored: number;
}

/** What the server did in a run, read from its end state. */
export function workloadOf(result: RunResult): DirectWorkload {
  const { end } = result.history;
  const stored = Object.values(end.sessionSeqs).reduce((sum, seqs) => sum + seqs.length, 0);
  const prompts = end.userMessages.length;
  return { clients: result.scenario.clients, sessions: result.scenario.sessions, prompts, agentEvents: stored - prompts };
}

/** A sink that accepts every frame and keeps only a count. */
function countingSink(onWrite: (chunk: string) => void): StreamSink {
  const handlers: Array<() => void> = [];
  let closed = false;
  return {
    write: (chunk) => (onWrite(chunk), !closed),
    close: () => {
      closed = true;
      for (const handler of handlers.splice(0)) handler();
    },
    onClose: (handler) => void handlers.push(handler),
    get closed() {
      return closed;
    },
  };
}

export async function driveTransportDirect(workload: DirectWorkload): Promise<DirectCost> {
  const fake = createFakeEnv({ seed: 1 });
  // The fake env's timers never fire unless asked: no sync tick or heartbeat runs behind our back.
  const env = { ...fake.env, logger: silentLogger };
  const agents = scriptedAgentFactory();
  let framesWritten = 0;
  const startMs = wallClockMs();
  const store = new EventStore({ env, path: ':memory:' });
  const server = new ChatServer({ env, store, agentFactory: agents.factory });
  const post = (endpoint: string, connectionId: string, body: Record<string, unknown>) => {
    const request: HttpRequest = { method: 'POST', path: `${POST_PREFIX}${endpoint}`, headers: { [CONNECTION_HEADER]: connectionId }, body: JSON.stringify(body) };
    return server.handle(request);
  };
  const sessionIds = Array.from({ length: workload.sessions }, (_, i) => `s${i + 1}`);
  const connectionIds: string[] = [];
  for (let c = 0; c < workload.clients; c++) {
    const response = await server.handle({ method: 'GET', path: EVENTS_PATH, headers: {}, body: '' });
    if (response.kind !== 'stream') throw new Error(`transport-direct: expected a stream, got status ${response.status}`);
    let connectionId = '';
    response.start(countingSink((chunk) => {
      framesWritten += 1;
      connectionId ||= /"connectionId":"([^"]+)"/.exec(chunk)?.[1] ?? '';
    }));
    connectionIds.push(connectionId);
    for (const sessionId of sessionIds) await post('watch', connectionId, { type: 'watch', sessionId });
  }
  for (let p = 0; p < workload.prompts; p++) {
    const sessionId = sessionIds[p % sessionIds.length]!;
    await post('send', connectionIds[p % connectionIds.length]!, { type: 'send', sessionId, clientMsgId: `direct-${p}`, prompt: `prompt ${p}` });
  }
  for (let e = 0; e < workload.agentEvents; e++) {
    const agent = agents.agents.get(sessionIds[e % sessionIds.length]!);
    agent?.emitNow('assistant_delta', { clientMsgId: `direct-${e % Math.max(1, workload.prompts)}`, text: `part ${e}` });
  }
  const eventsStored = sessionIds.reduce((sum, sessionId) => sum + store.getSessionEvents(sessionId).length, 0);
  server.stop();
  store.close();
  return { wallMs: wallClockMs() - startMs, framesWritten, eventsStored };
}
