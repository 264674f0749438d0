/**
 * The transport's own cost for a run's history, with no simulator: the same number of streams,
 * reconnects, prompt POSTs (retries included) and agent events driven straight into the real
 * ChatServer (routes, SQLite EventStore, ConnectionRegistry broadcast, replay and periodic sync,
 * SSE frame encoding), over the same span of (manual, instantly advanced) time. Each stream's
 * frames go straight into the browser half a client does per frame: the text/event-stream parse
 * an EventSource does, the frame parse and the in-order delivery of AppliedDelivery, whose
 * cursors a reconnect reports as a real client does. Not driven: control messages, history
 * fetches, crashes and the client classes around delivery (SseConnection, the send outbox), so
 * that part of the run's transport work still counts as simulator overhead: the ratio errs high.
 */
import type { RunResult } from '../sim/index.ts';
import { wallClockMs } from '../sim/core/index.ts';
import { silentLogger, type Env } from '../transport/index.ts';
import { AppliedDelivery } from '../transport/index.ts';
import { parseServerFrame } from '../transport/index.ts';
import { SseParser } from '../sim/net/index.ts';
import type { HttpRequest, StreamSink } from '../transport/index.ts';
import { CONNECTION_HEADER, EVENTS_PATH, POST_PREFIX, SYNC_INTERVAL_MS } from '../transport/index.ts';
import { ChatServer } from '../transport/index.ts';
import { EventStore } from '../transport/index.ts';
import { createFakeEnv } from '../transport/index.ts';
import { scriptedAgentFactory } from '../transport/index.ts';

export interface DirectWorkload {
  clients: number;
  sessions: number;
  /** Prompts persisted as user_message events. */
  prompts: number;
  /** Prompt POSTs the clients made, retries included (at least `prompts`). */
  sendAttempts: number;
  /** Streams the clients opened and were welcomed on, each followed by a reconnect POST. */
  connections: number;
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

/** What the server did in a run, read from its history and end state. */
export function workloadOf(result: RunResult): DirectWorkload {
  const { end, entries } = result.history;
  const stored = Object.values(end.sessionSeqs).reduce((sum, seqs) => sum + seqs.length, 0);
  const prompts = end.userMessages.length;
  let sendAttempts = 0;
  let connections = 0;
  for (const entry of entries) {
    if (entry.kind === 'send-attempt') sendAttempts += 1;
    else if (entry.kind === 'welcome') connections += 1;
  }
  const { clients, sessions } = result.scenario;
  return {
    clients,
    sessions,
    prompts,
    sendAttempts: Math.max(prompts, sendAttempts),
    connections: Math.max(clients, connections),
    agentEvents: stored - prompts,
    virtualMs: result.virtualMs,
  };
}

/**
 * A sink that hands every frame to `onWrite` and keeps nothing (FakeStreamSink keeps every chunk,
 * which a ~100k-entry drive would pay for). Like any StreamSink it closes once, refuses writes
 * after, and runs a close handler registered late at once.
 */
function forwardingSink(onWrite: (chunk: string) => void): StreamSink {
  const handlers: Array<() => void> = [];
  let closed = false;
  return {
    write: (chunk) => {
      if (closed) return false;
      onWrite(chunk);
      return true;
    },
    close: () => {
      if (closed) return;
      closed = true;
      for (const handler of handlers.splice(0)) handler();
    },
    onClose: (handler) => (closed ? handler() : void handlers.push(handler)),
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
    const request: HttpRequest = {
      method: 'POST',
      path: `${POST_PREFIX}${endpoint}`,
      headers: { [CONNECTION_HEADER]: connectionId },
      body: JSON.stringify(body),
    };
    return server.handle(request);
  };
  const sessionIds = Array.from({ length: workload.sessions }, (_, i) => `s${i + 1}`);
  const clients = Array.from({ length: workload.clients }, () => new DirectClient(env, sessionIds));
  const connect = async (client: DirectClient) => {
    await client.connect(server);
    await post('reconnect', client.connectionId, { type: 'reconnect', sessions: client.cursors() });
  };
  for (const client of clients) await connect(client);
  const windows = Math.max(1, Math.ceil(workload.virtualMs / SYNC_INTERVAL_MS));
  const upTo = (total: number, window: number) => Math.round((total * window) / windows);
  let reconnects = 0;
  let attempt = 0;
  let event = 0;
  for (let window = 1; window <= windows; window++) {
    for (; reconnects < upTo(workload.connections - workload.clients, window); reconnects++)
      await connect(clients[reconnects % clients.length]!);
    for (; attempt < upTo(workload.sendAttempts, window); attempt++) {
      // Retries spread over the attempts repeat an earlier clientMsgId: the duplicate path.
      const prompt = Math.floor((attempt * workload.prompts) / workload.sendAttempts);
      const sessionId = sessionIds[prompt % sessionIds.length]!;
      await post('send', clients[prompt % clients.length]!.connectionId, {
        type: 'send',
        sessionId,
        clientMsgId: `direct-${prompt}`,
        prompt: `prompt ${prompt}`,
      });
    }
    for (; event < upTo(workload.agentEvents, window); event++) {
      const agent = agents.agents.get(sessionIds[event % sessionIds.length]!);
      agent?.emitNow('assistant_delta', { clientMsgId: `direct-${event}`, text: `part ${event}` });
    }
    fake.advance(SYNC_INTERVAL_MS);
  }
  const eventsStored = sessionIds.reduce((sum, sessionId) => sum + store.getSessionEvents(sessionId).length, 0);
  server.stop();
  store.close();
  const framesWritten = clients.reduce((sum, client) => sum + client.frames, 0);
  return { wallMs: wallClockMs() - startMs, framesWritten, eventsStored };
}

/**
 * The browser half of one client: its current stream, the text/event-stream parse of it, the
 * frame parse and in-order delivery, with cursors that outlive a stream as a real client's do.
 */
class DirectClient {
  connectionId = '';
  frames = 0;
  private readonly delivery: AppliedDelivery;
  private sink: StreamSink | null = null;

  constructor(
    env: Env,
    private readonly sessionIds: string[],
  ) {
    this.delivery = new AppliedDelivery({
      env,
      apply: () => {},
      fetchHistory: async (sessionId) => ({ sessionId, events: [], headSeq: 0 }),
      onGap: () => {},
    });
    for (const sessionId of sessionIds) this.delivery.track(sessionId, 0);
  }

  cursors(): { sessionId: string; lastSeq: number }[] {
    return this.sessionIds.map((sessionId) => ({ sessionId, lastSeq: this.delivery.getCursor(sessionId) }));
  }

  /** Drops the current stream, if any, and opens a new one; the welcome names its connection. */
  async connect(server: ChatServer): Promise<void> {
    this.sink?.close();
    const response = await server.handle({ method: 'GET', path: EVENTS_PATH, headers: {}, body: '' });
    if (response.kind !== 'stream')
      throw new Error(`transport-direct: expected a stream, got status ${response.status}`);
    const parser = new SseParser();
    this.connectionId = '';
    this.sink = forwardingSink((chunk) => {
      this.frames += 1;
      this.connectionId ||= /"connectionId":"([^"]+)"/.exec(chunk)?.[1] ?? '';
      for (const item of parser.push(chunk)) {
        if (item.kind !== 'event') continue;
        const parsed = parseServerFrame(item.data);
        if (parsed.ok && parsed.frame.type === 'session_event') this.delivery.receive(parsed.frame);
      }
    });
    response.start(this.sink);
  }
}
