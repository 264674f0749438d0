/**
 * The transport's own cost for a run's history, with no simulator: the same number of streams,
 * prompts and agent events driven straight into the real ChatServer (routes, SQLite EventStore,
 * ConnectionRegistry broadcast and periodic sync, SSE frame encoding), over the same span of
 * (manual, instantly advanced) time. Each stream's frames go straight into the browser half a
 * client does per frame: the text/event-stream parse an EventSource does, the frame parse and
 * the in-order delivery of AppliedDelivery. The client's sends and reconnects are not driven, so
 * that part of its work still counts as simulator overhead: the ratio errs high.
 */
import type { RunResult } from '../sim/run-result.ts';
import { wallClockMs } from '../sim/clock.ts';
import { silentLogger, type Env } from '../transport/env.ts';
import { AppliedDelivery } from '../transport/client/applied-delivery.ts';
import { parseServerFrame } from '../transport/client/server-frame.ts';
import { SseParser } from '../sim/sse-parser.ts';
import type { HttpRequest, StreamSink } from '../transport/http.ts';
import { CONNECTION_HEADER, EVENTS_PATH, POST_PREFIX, SYNC_INTERVAL_MS } from '../transport/protocol.ts';
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
  /** Virtual time the run covered: the server's sync ticks and heartbeats run over as long. */
  virtualMs: number;
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
  return { clients: result.scenario.clients, sessions: result.scenario.sessions, prompts, agentEvents: stored - prompts, virtualMs: result.virtualMs };
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
  // Timers fire only when the drive advances the manual clock: sync ticks and heartbeats run
  // as often as in the simulated run, but no time is spent waiting for them.
  const env = { ...fake.env, logger: silentLogger };
  const agents = scriptedAgentFactory();
  const startMs = wallClockMs();
  const store = new EventStore({ env, path: ':memory:' });
  const server = new ChatServer({ env, store, agentFactory: agents.factory });
  server.start();
  const post = (endpoint: string, connectionId: string, body: Record<string, unknown>) => {
    const request: HttpRequest = { method: 'POST', path: `${POST_PREFIX}${endpoint}`, headers: { [CONNECTION_HEADER]: connectionId }, body: JSON.stringify(body) };
    return server.handle(request);
  };
  const sessionIds = Array.from({ length: workload.sessions }, (_, i) => `s${i + 1}`);
  const streams = await openStreams(server, env, workload.clients, sessionIds);
  for (const { connectionId } of streams) for (const sessionId of sessionIds) await post('watch', connectionId, { type: 'watch', sessionId });
  const windows = Math.max(1, Math.ceil(workload.virtualMs / SYNC_INTERVAL_MS));
  let prompt = 0;
  let event = 0;
  for (let window = 1; window <= windows; window++) {
    for (; prompt < Math.round((workload.prompts * window) / windows); prompt++) {
      const sessionId = sessionIds[prompt % sessionIds.length]!;
      await post('send', streams[prompt % streams.length]!.connectionId, { type: 'send', sessionId, clientMsgId: `direct-${prompt}`, prompt: `prompt ${prompt}` });
    }
    for (; event < Math.round((workload.agentEvents * window) / windows); event++) {
      const agent = agents.agents.get(sessionIds[event % sessionIds.length]!);
      agent?.emitNow('assistant_delta', { clientMsgId: `direct-${Math.max(0, prompt - 1)}`, text: `part ${event}` });
    }
    fake.advance(SYNC_INTERVAL_MS);
  }
  const eventsStored = sessionIds.reduce((sum, sessionId) => sum + store.getSessionEvents(sessionId).length, 0);
  server.stop();
  store.close();
  const framesWritten = streams.reduce((sum, stream) => sum + stream.frames(), 0);
  return { wallMs: wallClockMs() - startMs, framesWritten, eventsStored };
}

/** The browser half of one stream: parse the SSE text and the frame, deliver session events in order. */
function browserReceiver(env: Env, sessionIds: string[]): (chunk: string) => void {
  const parser = new SseParser();
  const delivery = new AppliedDelivery({
    env,
    apply: () => {},
    fetchHistory: async (sessionId) => ({ sessionId, events: [], headSeq: 0 }),
    onGap: () => {},
  });
  for (const sessionId of sessionIds) delivery.track(sessionId, 0);
  return (chunk) => {
    for (const item of parser.push(chunk)) {
      if (item.kind !== 'event') continue;
      const parsed = parseServerFrame(item.data);
      if (parsed.ok && parsed.frame.type === 'session_event') delivery.receive(parsed.frame);
    }
  };
}

/** One event stream per client, each into a counting sink feeding its browser half; the welcome names its connection. */
async function openStreams(server: ChatServer, env: Env, clients: number, sessionIds: string[]): Promise<{ connectionId: string; frames: () => number }[]> {
  const streams: { connectionId: string; frames: () => number }[] = [];
  for (let c = 0; c < clients; c++) {
    const response = await server.handle({ method: 'GET', path: EVENTS_PATH, headers: {}, body: '' });
    if (response.kind !== 'stream') throw new Error(`transport-direct: expected a stream, got status ${response.status}`);
    let connectionId = '';
    let frames = 0;
    const receive = browserReceiver(env, sessionIds);
    response.start(
      countingSink((chunk) => {
        frames += 1;
        connectionId ||= /"connectionId":"([^"]+)"/.exec(chunk)?.[1] ?? '';
        receive(chunk);
      }),
    );
    streams.push({ connectionId, frames: () => frames });
  }
  return streams;
}
