/**
 * The HTTP surface of the chat server, framework-free: `GET /api/chat/events` opens a stream,
 * `GET /api/chat/history` pages through stored events, `POST /api/chat/<endpoint>` carries client
 * messages. Every request is answered with a status; nothing a client sends can throw past here.
 */
import { Defects } from '../defects.ts';
import type { Env } from '../env.ts';
import { jsonResponse, type HttpRequest, type HttpResponse, type RequestHandler } from '../http.ts';
import { OBS, PROBE, hitProbe } from '../observations.ts';
import {
  CONNECTION_HEADER,
  EVENTS_PATH,
  HISTORY_PATH,
  MAX_BODY_BYTES,
  POST_PREFIX,
  PROMPT_QUEUE_RETRY_AFTER_S,
  type HistoryResponse,
  type ReconnectMessage,
} from '../protocol.ts';
import type { Agent } from './agent.ts';
import type { ChatSessions, LifecycleOutcome, QueueFull } from './chat-sessions.ts';
import type { ConnectionRegistry } from './connection-registry.ts';
import { InvalidTransitionError, type EventStore } from './event-store.ts';
import { toSessionEventFrame } from './session-event-frame.ts';
import type { SseStreams } from './sse-streams.ts';
import { validateHistoryQuery } from './validate-history-query.ts';
import { messageTypeForEndpoint, parseJsonBody, validateMessage, type ValidatedMessage } from './validate-message.ts';

export interface RoutesDeps {
  env: Env;
  store: EventStore;
  registry: ConnectionRegistry;
  streams: SseStreams;
  sessions: ChatSessions;
  defects?: Defects;
}

export function createRoutes(deps: RoutesDeps): RequestHandler {
  const routes = new ChatRoutes(deps);
  return (request) => routes.handle(request);
}

/** Message types that act on the agent and so need a stream to report back on. */
const NEEDS_OPEN_STREAM: ReadonlySet<string> = new Set(['send', 'interrupt']);

const ok = (status = 200, extra: Record<string, unknown> = {}) => jsonResponse(status, { ok: true, ...extra });
const fail = (status: number, error: string, extra: Record<string, unknown> = {}) =>
  jsonResponse(status, { error, ...extra });

class ChatRoutes {
  private readonly defects: Defects;

  constructor(private readonly deps: RoutesDeps) {
    this.defects = deps.defects ?? Defects.none();
  }

  async handle(request: HttpRequest): Promise<HttpResponse> {
    try {
      return await this.route(request);
    } catch (error) {
      this.logError(`${request.method} ${request.path}`, error);
      return fail(500, 'internal_error');
    }
  }

  private async route(request: HttpRequest): Promise<HttpResponse> {
    const url = new URL(request.path, 'http://server.invalid');
    const method = request.method.toUpperCase();
    if (url.pathname === EVENTS_PATH) {
      return method === 'GET' ? this.deps.streams.open() : methodNotAllowed('GET');
    }
    if (url.pathname === HISTORY_PATH) {
      return method === 'GET' ? this.history(url.searchParams, request) : methodNotAllowed('GET');
    }
    const endpoint = url.pathname.startsWith(POST_PREFIX) ? url.pathname.slice(POST_PREFIX.length) : undefined;
    if (endpoint === undefined || messageTypeForEndpoint(endpoint) === undefined) {
      return fail(404, 'not_found', { path: url.pathname });
    }
    return method === 'POST' ? this.post(endpoint, request) : methodNotAllowed('POST');
  }

  private async post(endpoint: string, request: HttpRequest): Promise<HttpResponse> {
    const connectionId = request.headers[CONNECTION_HEADER];
    if (!connectionId) return fail(400, 'missing X-Connection-ID header', { field: CONNECTION_HEADER });
    const bodyBytes = Buffer.byteLength(request.body, 'utf8');
    if (bodyBytes > MAX_BODY_BYTES) return fail(413, 'body_too_large', { limitBytes: MAX_BODY_BYTES, bodyBytes });
    const parsed = parseJsonBody(request.body);
    if (!parsed.ok) return fail(400, parsed.error, { field: parsed.field });
    const validated = validateMessage(endpoint, parsed.value);
    if (!validated.ok) return fail(400, validated.error, { field: validated.field });
    const message = validated.value;
    if (!this.deps.registry.has(connectionId)) {
      hitProbe(this.deps.env.logger, PROBE.staleConnectionRefused);
      return unknownConnection(connectionId);
    }
    if (NEEDS_OPEN_STREAM.has(message.type) && !this.deps.registry.isOpen(connectionId)) {
      return fail(404, 'connection has no open stream', { field: CONNECTION_HEADER, connectionId });
    }
    return this.dispatch(connectionId, message);
  }

  private async dispatch(connectionId: string, message: ValidatedMessage): Promise<HttpResponse> {
    const { registry, sessions } = this.deps;
    switch (message.type) {
      case 'send': {
        const result = sessions.send(message.sessionId, message.clientMsgId, message.prompt);
        if (result.kind === 'conflict') {
          return fail(409, 'clientMsgId was already used with another payload', { field: 'clientMsgId' });
        }
        if (result.kind === 'duplicate') hitProbe(this.deps.env.logger, PROBE.promptDuplicate);
        if (result.kind === 'queue_full') hitProbe(this.deps.env.logger, PROBE.promptQueueFull);
        if (result.kind === 'queue_full') return queueFull(message.sessionId, result);
        return jsonResponse(202, result.receipt);
      }
      case 'stop':
        sessions.stop(message.sessionId);
        return ok();
      case 'interrupt': {
        const agent = sessions.agentOfKnownSession(message.sessionId);
        if (agent) await this.interruptAgent(message.sessionId, agent);
        return ok(202);
      }
      case 'permission_response':
        return jsonResponse(200, {
          ok: sessions.respondPermission(message.sessionId, message.requestId, message.allow),
        });
      case 'set_mode':
        return ok(200, { mode: sessions.setMode(message.sessionId, message.mode) });
      case 'watch':
        registry.watch(connectionId, message.sessionId, message.lastSeq);
        return ok(200, { cursor: registry.getCursor(connectionId, message.sessionId) ?? null });
      case 'switch_session':
        registry.setActive(connectionId, message.sessionId, message.lastSeq);
        return ok(200, { cursor: registry.getCursor(connectionId, message.sessionId) ?? null });
      case 'unwatch':
        registry.unwatch(connectionId, message.sessionId);
        return ok();
      case 'session_suspend':
        return this.lifecycle(message.sessionId, () => sessions.suspend(message.sessionId));
      case 'session_close':
        return this.lifecycle(message.sessionId, () => sessions.close(message.sessionId));
      case 'reconnect':
        return this.reconnect(connectionId, message);
    }
  }

  /**
   * The agent's interrupt may reject. The handled path waits for it and logs a failure; the
   * `interrupt-unhandled` path fires it off uncaught, so a rejection escapes as unhandled.
   */
  private async interruptAgent(sessionId: string, agent: Agent): Promise<void> {
    if (this.defects.has('interrupt-unhandled')) {
      void agent.interrupt();
      return;
    }
    try {
      await agent.interrupt();
    } catch (error) {
      hitProbe(this.deps.env.logger, PROBE.interruptFailed);
      this.logError(`interrupt ${sessionId}`, error);
    }
  }

  private lifecycle(sessionId: string, change: () => LifecycleOutcome): HttpResponse {
    try {
      const outcome = change();
      if (outcome.kind === 'unknown_session') return fail(404, 'unknown session', { field: 'sessionId', sessionId });
      return ok(200, { state: outcome.state });
    } catch (error) {
      if (!(error instanceof InvalidTransitionError)) throw error;
      return fail(409, error.message, { code: error.code, field: 'sessionId', from: error.from, to: error.to });
    }
  }

  /** Watch, replay (bounded) per session, then one `reconnected` frame; answered after the writes. */
  private reconnect(connectionId: string, message: ReconnectMessage): HttpResponse {
    const { registry, env } = this.deps;
    const summary: { sessionId: string; replayed: number }[] = [];
    for (const { sessionId, lastSeq } of message.sessions) {
      registry.watch(connectionId, sessionId, lastSeq);
      registry.resetCursor(connectionId, sessionId, lastSeq);
      const replayed = registry.replay(connectionId, sessionId, lastSeq);
      env.logger.log('info', OBS.serverReconnect, { connectionId, sessionId, lastSeq, replayed });
      summary.push({ sessionId, replayed });
    }
    registry.sendTo(connectionId, { type: 'reconnected', sessions: summary });
    return ok(200, { sessions: summary });
  }

  /**
   * Only a connection that watches the session may read its history. Anything else gets the very
   * answer an unknown connection gets, so a probe learns nothing about which ids exist.
   */
  private history(params: URLSearchParams, request: HttpRequest): HttpResponse {
    const query = validateHistoryQuery(params);
    if (!query.ok) return fail(400, query.error, { field: query.field });
    const { sessionId, afterSeq, limit, toSeq } = query.value;
    const connectionId = request.headers[CONNECTION_HEADER] ?? '';
    if (!this.deps.registry.isWatching(connectionId, sessionId)) return unknownConnection(connectionId);
    const stored = this.deps.store.getEventsAfter(sessionId, afterSeq, limit);
    const events = (toSeq === undefined ? stored : stored.filter((event) => event.seq <= toSeq)).map(
      toSessionEventFrame,
    );
    for (const event of events) {
      this.deps.env.logger.log('info', OBS.serverFrameSent, {
        connectionId,
        sessionId,
        seq: event.seq,
        via: 'history',
      });
    }
    const lastEvent = events.at(-1);
    if (lastEvent) this.deps.registry.markFetched(connectionId, sessionId, afterSeq, lastEvent.seq);
    const response: HistoryResponse = { sessionId, events, headSeq: this.deps.store.getHeadSeq(sessionId) };
    return jsonResponse(200, response);
  }

  private logError(where: string, error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    this.deps.env.logger.log('error', OBS.serverError, { where, message });
  }
}

function unknownConnection(connectionId: string): HttpResponse {
  return fail(404, 'unknown connection', { field: CONNECTION_HEADER, connectionId });
}

/** The prompt was not recorded: the client retries it (same clientMsgId) after Retry-After. */
function queueFull(sessionId: string, full: QueueFull): HttpResponse {
  const { kind: _kind, message, ...figures } = full;
  return jsonResponse(
    429,
    { error: message, sessionId, ...figures },
    { 'retry-after': String(PROMPT_QUEUE_RETRY_AFTER_S) },
  );
}

function methodNotAllowed(allowed: string): HttpResponse {
  return jsonResponse(405, { error: 'method_not_allowed', allowed }, { allow: allowed });
}
