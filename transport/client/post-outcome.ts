/**
 * One POST of a client message, reduced to what the senders decide on. The answer is raced
 * against a timeout from the injected timers, so a request that never answers counts as a
 * transient failure. On timeout the fetch is aborted: the browser then drops the connection, so a
 * late answer is never delivered and a request still on its way is never sent. Never rejects.
 */
import type { Env } from '../env.ts';
import { OBS } from '../observations.ts';
import {
  CONNECTION_HEADER,
  ENDPOINT_BY_TYPE,
  POST_PREFIX,
  SEND_TIMEOUT_MS,
  type ClientMessageType,
} from '../protocol.ts';
import type { FetchLike, FetchResponseLike } from './browser-io.ts';

export type PostOutcome =
  | { kind: 'ok'; status: number; body: unknown }
  | { kind: 'http-error'; status: number; message: string; retryAfterMs?: number }
  | { kind: 'network-error'; message: string }
  | { kind: 'timeout'; timeoutMs: number };

export interface PostRequest {
  fetch: FetchLike;
  env: Env;
  baseUrl: string;
  connectionId: string;
  /** A client message; its `type` picks the endpoint. */
  body: { type: ClientMessageType };
  timeoutMs?: number;
  /**
   * Collects a way to drop this request's timeout timer when its owner is disposed (the request
   * then never settles).
   */
  cancellers?: Set<() => void>;
}

/** Longest error body text kept in a message. */
const ERROR_TEXT_LIMIT = 200;

function postUrl(baseUrl: string, type: ClientMessageType): string {
  return `${baseUrl}${POST_PREFIX}${ENDPOINT_BY_TYPE[type]}`;
}

/** `Retry-After` in seconds as milliseconds; an HTTP date or junk yields undefined. */
function parseRetryAfterMs(value: string | null): number | undefined {
  if (value === null || !/^\s*\d+\s*$/.test(value)) return undefined;
  return Number(value.trim()) * 1000;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function readOutcome(response: FetchResponseLike): Promise<PostOutcome> {
  if (response.ok) {
    let body: unknown;
    try {
      body = await response.json();
    } catch {
      // A 2xx without a JSON body is still a success; callers that need a receipt check it.
      body = undefined;
    }
    return { kind: 'ok', status: response.status, body };
  }
  let text = '';
  try {
    text = (await response.text()).slice(0, ERROR_TEXT_LIMIT);
  } catch {
    text = '';
  }
  const retryAfterMs = parseRetryAfterMs(response.headers.get('retry-after'));
  const message = text === '' ? `status ${response.status}` : `status ${response.status}: ${text}`;
  return retryAfterMs === undefined
    ? { kind: 'http-error', status: response.status, message }
    : { kind: 'http-error', status: response.status, message, retryAfterMs };
}

/** Cancels every request registered in `cancellers`: their timers stop and they never settle. */
export function cancelAll(cancellers: Set<() => void>): void {
  for (const cancel of [...cancellers]) cancel();
}

export function postClientMessage(request: PostRequest): Promise<PostOutcome> {
  const { env } = request;
  const timeoutMs = request.timeoutMs ?? SEND_TIMEOUT_MS;
  return new Promise<PostOutcome>((resolve) => {
    let settled = false;
    const cancel = () => {
      settled = true;
      env.timers.clearTimeout(timer);
      request.cancellers?.delete(cancel);
    };
    const settle = (outcome: PostOutcome) => {
      if (settled) return;
      cancel();
      logSendOutcome(request, outcome);
      resolve(outcome);
    };
    const abort = new AbortController();
    const timer = env.timers.setTimeout(() => {
      settle({ kind: 'timeout', timeoutMs });
      abort.abort();
    }, timeoutMs);
    request.cancellers?.add(cancel);
    let pending: Promise<FetchResponseLike>;
    try {
      pending = request.fetch(postUrl(request.baseUrl, request.body.type), {
        method: 'POST',
        headers: { 'content-type': 'application/json', [CONNECTION_HEADER]: request.connectionId },
        body: JSON.stringify(request.body),
        signal: abort.signal,
      });
    } catch (error) {
      settle({ kind: 'network-error', message: errorMessage(error) });
      return;
    }
    pending.then(
      (response) => readOutcome(response).then(settle),
      (error: unknown) => settle({ kind: 'network-error', message: errorMessage(error) }),
    );
  });
}

/** Prompts' answers are observable: a definitive refusal must end the prompt, not start a retry. */
function logSendOutcome(request: PostRequest, outcome: PostOutcome): void {
  const body = request.body as { type: string; clientMsgId?: unknown; sessionId?: unknown };
  if (body.type !== 'send') return;
  const status = outcomeStatus(outcome);
  request.env.logger.log('info', OBS.clientSendOutcome, {
    clientMsgId: body.clientMsgId,
    sessionId: body.sessionId,
    outcome: outcome.kind,
    ...(status === undefined ? {} : { status }),
  });
}

/** Short text for logs and failure signals. */
export function describeOutcome(outcome: PostOutcome): string {
  switch (outcome.kind) {
    case 'ok':
      return `status ${outcome.status}`;
    case 'http-error':
      return outcome.message;
    case 'network-error':
      return `network error: ${outcome.message}`;
    case 'timeout':
      return `no answer within ${outcome.timeoutMs} ms`;
  }
}

export function outcomeStatus(outcome: PostOutcome): number | undefined {
  return outcome.kind === 'ok' || outcome.kind === 'http-error' ? outcome.status : undefined;
}
