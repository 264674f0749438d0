/**
 * What the app may hand to `SseConnection.send`: any client message, with prompts given without
 * a clientMsgId (the connection assigns one). Checked before anything is queued, so bad input
 * becomes an `error` signal naming the field.
 */
import { ENDPOINT_BY_TYPE, type ClientMessage } from '../protocol.ts';

export type OutgoingMessage =
  Exclude<ClientMessage, { type: 'send' }> | { type: 'send'; sessionId: string; prompt: string };

function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value !== '';
}

export function outgoingMessageProblem(value: unknown): string | null {
  if (typeof value !== 'object' || value === null) return 'message must be an object';
  const message = value as Record<string, unknown>;
  if (typeof message.type !== 'string' || !Object.hasOwn(ENDPOINT_BY_TYPE, message.type)) {
    return `type must be one of ${Object.keys(ENDPOINT_BY_TYPE).join(', ')}`;
  }
  if (message.type === 'reconnect') return Array.isArray(message.sessions) ? null : 'sessions must be an array';
  if (!isNonEmptyString(message.sessionId)) return 'sessionId must be a non-empty string';
  if (message.type === 'send' && typeof message.prompt !== 'string') return 'prompt must be a string';
  if (message.type === 'permission_response') {
    if (!isNonEmptyString(message.requestId)) return 'requestId must be a non-empty string';
    if (typeof message.allow !== 'boolean') return 'allow must be a boolean';
  }
  if (message.type === 'set_mode' && !isNonEmptyString(message.mode)) return 'mode must be a non-empty string';
  return null;
}
