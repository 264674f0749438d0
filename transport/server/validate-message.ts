/**
 * Validation of POST bodies: turns untrusted JSON into a typed client message or a rejection
 * that names the offending field. Nothing here touches state, so a rejected request can never
 * leave anything half-done.
 */
import {
  ENDPOINT_BY_TYPE,
  type ClientMessage,
  type ClientMessageType,
  type SwitchSessionMessage,
  type WatchMessage,
} from '../protocol.ts';

export const MAX_ID_LENGTH = 256;
const MAX_MODE_LENGTH = 64;
/** Most sessions one reconnect may name; the body limit bounds it too, this keeps the work small. */
export const MAX_RECONNECT_SESSIONS = 1000;

/** `watch` and `switch_session` may carry the seq the client already has. */
export type WatchRequest = WatchMessage & { lastSeq?: number };
export type SwitchSessionRequest = SwitchSessionMessage & { lastSeq?: number };
export type ValidatedMessage =
  Exclude<ClientMessage, WatchMessage | SwitchSessionMessage> | WatchRequest | SwitchSessionRequest;

export interface Rejection {
  ok: false;
  error: string;
  field: string;
}
export type Validated<T> = { ok: true; value: T } | Rejection;

const TYPE_BY_ENDPOINT: ReadonlyMap<string, ClientMessageType> = new Map(
  Object.entries(ENDPOINT_BY_TYPE).map(([type, endpoint]) => [endpoint, type as ClientMessageType]),
);

export function messageTypeForEndpoint(endpoint: string): ClientMessageType | undefined {
  return TYPE_BY_ENDPOINT.get(endpoint);
}

export function parseJsonBody(body: string): Validated<unknown> {
  try {
    return { ok: true, value: JSON.parse(body) as unknown };
  } catch {
    return reject('body', 'body is not valid JSON');
  }
}

/** Validates a parsed body posted to `endpoint` (the path segment after /api/chat/). */
export function validateMessage(endpoint: string, body: unknown): Validated<ValidatedMessage> {
  const expectedType = messageTypeForEndpoint(endpoint);
  if (expectedType === undefined) return reject('endpoint', `unknown endpoint ${JSON.stringify(endpoint)}`);
  if (!isRecord(body)) return reject('body', 'body must be a JSON object');
  if (typeof body.type !== 'string') return reject('type', 'type must be a string');
  if (body.type !== expectedType) {
    return reject(
      'type',
      `message type ${JSON.stringify(body.type)} does not belong to endpoint ${endpoint} (expects ${expectedType})`,
    );
  }
  if (expectedType === 'reconnect') return validateReconnect(body);
  const sessionId = checkId(body, 'sessionId');
  if (!sessionId.ok) return sessionId;
  return validateSessionMessage(expectedType, body, sessionId.value);
}

function validateSessionMessage(
  type: Exclude<ClientMessageType, 'reconnect'>,
  body: Record<string, unknown>,
  sessionId: string,
): Validated<ValidatedMessage> {
  switch (type) {
    case 'send': {
      const clientMsgId = checkId(body, 'clientMsgId');
      if (!clientMsgId.ok) return clientMsgId;
      if (typeof body.prompt !== 'string' || body.prompt.length === 0)
        return reject('prompt', 'prompt must be a non-empty string');
      return accept({ type, sessionId, clientMsgId: clientMsgId.value, prompt: body.prompt });
    }
    case 'permission_response': {
      const requestId = checkId(body, 'requestId');
      if (!requestId.ok) return requestId;
      if (typeof body.allow !== 'boolean') return reject('allow', 'allow must be a boolean');
      return accept({ type, sessionId, requestId: requestId.value, allow: body.allow });
    }
    case 'set_mode': {
      const mode = body.mode;
      if (typeof mode !== 'string' || mode.length === 0 || mode.length > MAX_MODE_LENGTH) {
        return reject('mode', `mode must be a string of 1 to ${MAX_MODE_LENGTH} characters`);
      }
      return accept({ type, sessionId, mode });
    }
    case 'watch':
    case 'switch_session': {
      if (body.lastSeq === undefined) return accept({ type, sessionId });
      if (!isSeq(body.lastSeq)) return reject('lastSeq', 'lastSeq must be a non-negative integer');
      return accept({ type, sessionId, lastSeq: body.lastSeq });
    }
    case 'stop':
    case 'interrupt':
    case 'unwatch':
    case 'session_suspend':
    case 'session_close':
      return accept({ type, sessionId });
  }
}

function validateReconnect(body: Record<string, unknown>): Validated<ValidatedMessage> {
  const sessions = body.sessions;
  if (!Array.isArray(sessions)) return reject('sessions', 'sessions must be an array');
  if (sessions.length > MAX_RECONNECT_SESSIONS) {
    return reject('sessions', `sessions holds ${sessions.length} entries, limit ${MAX_RECONNECT_SESSIONS}`);
  }
  const seen = new Set<string>();
  const valid: { sessionId: string; lastSeq: number }[] = [];
  for (const [index, entry] of sessions.entries()) {
    const at = `sessions[${index}]`;
    if (!isRecord(entry)) return reject(at, `${at} must be an object`);
    const sessionId = checkId(entry, 'sessionId', at);
    if (!sessionId.ok) return sessionId;
    if (seen.has(sessionId.value)) return reject(`${at}.sessionId`, `session ${sessionId.value} is listed twice`);
    if (!isSeq(entry.lastSeq)) return reject(`${at}.lastSeq`, `${at}.lastSeq must be a non-negative integer`);
    seen.add(sessionId.value);
    valid.push({ sessionId: sessionId.value, lastSeq: entry.lastSeq });
  }
  return accept({ type: 'reconnect', sessions: valid });
}

function checkId(record: Record<string, unknown>, key: string, parent?: string): Validated<string> {
  const field = parent === undefined ? key : `${parent}.${key}`;
  const value = record[key];
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_ID_LENGTH) {
    return reject(field, `${field} must be a string of 1 to ${MAX_ID_LENGTH} characters`);
  }
  return { ok: true, value };
}

function isSeq(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function accept(value: ValidatedMessage): Validated<ValidatedMessage> {
  return { ok: true, value };
}

export function reject(field: string, error: string): Rejection {
  return { ok: false, error, field };
}
