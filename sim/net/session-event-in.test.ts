import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatSseFrame } from '../../transport/server/sse-streams.ts';
import { toSessionEventFrame } from '../../transport/server/session-event-frame.ts';
import { sessionEventIn } from './session-event-in.ts';

/** What a full parse of the frame's data line says: the reference the text reading must match. */
function byFullParse(chunk: string): { sessionId: string; seq: number } | null {
  const line = chunk.split('\n').find((candidate) => candidate.startsWith('data: '));
  if (line === undefined) return null;
  try {
    const frame = JSON.parse(line.slice('data: '.length)) as Record<string, unknown>;
    if (frame.type !== 'session_event' || typeof frame.sessionId !== 'string' || typeof frame.seq !== 'number')
      return null;
    return { sessionId: frame.sessionId, seq: frame.seq };
  } catch {
    return null;
  }
}

describe('sessionEventIn', () => {
  it('reads what a full parse reads from every frame the transport writes', () => {
    const event = fc.record({
      seq: fc.nat(),
      sessionId: fc.string(),
      prevSessionSeq: fc.nat(),
      type: fc.string(),
      payload: fc.jsonValue(),
      createdAt: fc.nat(),
    });
    fc.assert(
      fc.property(event, (stored) => {
        const chunk = formatSseFrame(toSessionEventFrame(stored));
        expect(sessionEventIn(chunk)).toEqual({ sessionId: stored.sessionId, seq: stored.seq });
      }),
    );
  });

  it.each([
    ['welcome', formatSseFrame({ type: 'welcome', protocolVersion: 2, connectionId: 'conn-1' })],
    ['members in another order', 'data: {"seq":4,"type":"session_event","sessionId":"s1"}\n\n'],
    ['an escaped session id', 'data: {"type":"session_event","seq":4,"sessionId":"a\\"b","payload":{}}\n\n'],
    ['a fractional seq', 'data: {"type":"session_event","seq":4.5,"sessionId":"s1"}\n\n'],
    ['a cut frame', 'data: {"type":"session_event","seq":4,"sessionId":"s1","payload":{"te\n\n'],
    ['not JSON', 'data: {"type":"session_event","seq":4,"sessionId":"s1"\n\n'],
    ['no data line', 'event: message\nid: 4\n\n'],
    [
      'a comment before the data',
      ': keep-alive\nevent: message\ndata: {"type":"session_event","seq":9,"sessionId":"s2"}\n\n',
    ],
  ])('agrees with a full parse on %s', (_name, chunk) => {
    expect(sessionEventIn(chunk)).toEqual(byFullParse(chunk));
  });
});
