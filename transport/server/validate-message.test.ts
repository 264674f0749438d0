import { describe, expect, it } from 'vitest';
import { ENDPOINT_BY_TYPE } from '../protocol.ts';
import {
  MAX_ID_LENGTH,
  MAX_RECONNECT_SESSIONS,
  messageTypeForEndpoint,
  parseJsonBody,
  validateMessage,
} from './validate-message.ts';

describe('validateMessage', () => {
  it('maps every endpoint to its message type', () => {
    for (const [type, endpoint] of Object.entries(ENDPOINT_BY_TYPE))
      expect(messageTypeForEndpoint(endpoint)).toBe(type);
    expect(messageTypeForEndpoint('events')).toBeUndefined();
  });

  it('accepts each message type and keeps only the fields it knows', () => {
    const cases: [string, Record<string, unknown>][] = [
      ['send', { type: 'send', sessionId: 's', clientMsgId: 'c', prompt: 'p', extra: 1 }],
      ['stop', { type: 'stop', sessionId: 's' }],
      ['interrupt', { type: 'interrupt', sessionId: 's' }],
      ['permission', { type: 'permission_response', sessionId: 's', requestId: 'r', allow: false }],
      ['mode', { type: 'set_mode', sessionId: 's', mode: 'plan' }],
      ['watch', { type: 'watch', sessionId: 's', lastSeq: 4 }],
      ['unwatch', { type: 'unwatch', sessionId: 's' }],
      ['switch', { type: 'switch_session', sessionId: 's' }],
      ['suspend', { type: 'session_suspend', sessionId: 's' }],
      ['close', { type: 'session_close', sessionId: 's' }],
      ['reconnect', { type: 'reconnect', sessions: [{ sessionId: 's', lastSeq: 0 }] }],
    ];
    for (const [endpoint, body] of cases) {
      const result = validateMessage(endpoint, body);
      expect(result.ok, endpoint).toBe(true);
      if (result.ok) expect(result.value).not.toHaveProperty('extra');
    }
  });

  it.each([
    ['send', null, 'body'],
    ['send', 'text', 'body'],
    ['send', { type: 7 }, 'type'],
    ['stop', { type: 'send', sessionId: 's' }, 'type'],
    ['stop', { type: 'stop', sessionId: '' }, 'sessionId'],
    ['stop', { type: 'stop', sessionId: 'x'.repeat(MAX_ID_LENGTH + 1) }, 'sessionId'],
    ['send', { type: 'send', sessionId: 's', prompt: 'p' }, 'clientMsgId'],
    ['send', { type: 'send', sessionId: 's', clientMsgId: 'c', prompt: 5 }, 'prompt'],
    ['permission', { type: 'permission_response', sessionId: 's', allow: true }, 'requestId'],
    ['mode', { type: 'set_mode', sessionId: 's', mode: '' }, 'mode'],
    ['watch', { type: 'watch', sessionId: 's', lastSeq: 1.5 }, 'lastSeq'],
    ['switch', { type: 'switch_session', sessionId: 's', lastSeq: '3' }, 'lastSeq'],
    ['reconnect', { type: 'reconnect', sessions: {} }, 'sessions'],
    ['reconnect', { type: 'reconnect', sessions: [null] }, 'sessions[0]'],
    ['reconnect', { type: 'reconnect', sessions: [{ sessionId: 3, lastSeq: 0 }] }, 'sessions[0].sessionId'],
    ['nowhere', { type: 'send' }, 'endpoint'],
  ])('rejects %s %j naming %s', (endpoint, body, field) => {
    const result = validateMessage(endpoint, body);
    expect(result).toMatchObject({ ok: false, field });
    if (!result.ok) expect(result.error.length).toBeGreaterThan(0);
  });

  it('caps the number of sessions in one reconnect', () => {
    const sessions = Array.from({ length: MAX_RECONNECT_SESSIONS + 1 }, (_, index) => ({
      sessionId: `s${index}`,
      lastSeq: 0,
    }));
    const result = validateMessage('reconnect', { type: 'reconnect', sessions });
    expect(result).toMatchObject({ ok: false, field: 'sessions' });
    if (!result.ok) expect(result.error).toContain(String(MAX_RECONNECT_SESSIONS));
  });
});

describe('parseJsonBody', () => {
  it('parses JSON and rejects anything else with field body', () => {
    expect(parseJsonBody('{"a":1}')).toEqual({ ok: true, value: { a: 1 } });
    expect(parseJsonBody('')).toMatchObject({ ok: false, field: 'body' });
    expect(parseJsonBody('{oops')).toMatchObject({ ok: false, field: 'body' });
  });
});
