import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type SseItem, SseParser } from './sse-parser.ts';

function parseAll(chunks: string[], parser = new SseParser()): SseItem[] {
  return chunks.flatMap((chunk) => parser.push(chunk));
}

function events(chunks: string[]) {
  return parseAll(chunks).filter((item) => item.kind === 'event');
}

/** Every way of cutting `text` into two chunks must parse like the whole. */
function expectSplitInvariant(text: string): void {
  const whole = parseAll([text]);
  for (let cut = 0; cut <= text.length; cut++) {
    expect(parseAll([text.slice(0, cut), text.slice(cut)]), `cut at ${cut}`).toEqual(whole);
  }
  expect(parseAll([...text])).toEqual(whole);
}

describe('SseParser', () => {
  it('parses a welcome and a message frame of the transport', () => {
    const text =
      'event: welcome\ndata: {"type":"welcome","connectionId":"conn-1"}\n\nid: 7\nevent: message\ndata: {"seq":7}\n\n';
    expect(events([text])).toEqual([
      { kind: 'event', type: 'welcome', data: '{"type":"welcome","connectionId":"conn-1"}', lastEventId: '' },
      { kind: 'event', type: 'message', data: '{"seq":7}', lastEventId: '7' },
    ]);
  });

  it('defaults the type to message and joins multi-line data with LF', () => {
    expect(events(['data: one\ndata:two\ndata\ndata:  three\n\n'])).toEqual([
      { kind: 'event', type: 'message', data: 'one\ntwo\n\n three', lastEventId: '' },
    ]);
  });

  it('accepts CR, LF and CRLF line endings alike', () => {
    const expected = events(['event: a\ndata: x\n\n']);
    expect(events(['event: a\rdata: x\r\r'])).toEqual(expected);
    expect(events(['event: a\r\ndata: x\r\n\r\n'])).toEqual(expected);
    expect(events(['event: a\r\ndata: x\n\r'])).toEqual(expected);
  });

  it('handles a CRLF split across chunks as one line end', () => {
    expect(events(['data: x\r', '\n', '\r', '\n'])).toEqual([
      { kind: 'event', type: 'message', data: 'x', lastEventId: '' },
    ]);
    // A lone CR followed by a chunk starting with a non-LF is still a line end.
    expect(events(['data: x\r', 'data: y\r\r'])).toEqual([
      { kind: 'event', type: 'message', data: 'x\ny', lastEventId: '' },
    ]);
  });

  it('parses the same whatever the chunk boundaries', () => {
    expectSplitInvariant(': hi\r\nid: 3\r\nevent: e\r\ndata: a\r\ndata: b\r\n\r\nretry: 250\rdata: c\r\r');
    expectSplitInvariant('\ufeffdata: first\n\n:heartbeat\n\ndata: second\n\n');
  });

  it('parses any stream of mixed line endings the same whatever the chunk boundaries', () => {
    const piece = fc.constantFrom(
      '\r',
      '\n',
      '\r\n',
      'data: x',
      'data:y',
      'id: 4',
      'event: e',
      ': c',
      'retry: 9',
      'zz',
    );
    const stream = fc.array(piece, { maxLength: 30 }).map((pieces) => pieces.join(''));
    fc.assert(
      fc.property(stream, fc.array(fc.nat(), { maxLength: 6 }), (text, cuts) => {
        const at = [...new Set(cuts.map((cut) => cut % (text.length + 1)))].sort((a, b) => a - b);
        const chunks = [0, ...at].map((from, i, all) => text.slice(from, all[i + 1] ?? text.length));
        expect(parseAll(chunks)).toEqual(parseAll([text]));
        expect(parseAll([...text])).toEqual(parseAll([text]));
      }),
    );
  });

  it('reports comments and ignores them for dispatch', () => {
    expect(parseAll([':heartbeat\n\n'])).toEqual([{ kind: 'comment', text: 'heartbeat' }]);
  });

  it('does not dispatch an event without data, and resets its type', () => {
    expect(events(['event: lonely\n\ndata: x\n\n'])).toEqual([
      { kind: 'event', type: 'message', data: 'x', lastEventId: '' },
    ]);
  });

  it('treats a field without colon as an empty value and ignores unknown fields', () => {
    expect(events(['data\n\n'])).toEqual([{ kind: 'event', type: 'message', data: '', lastEventId: '' }]);
    expect(events(['foo: bar\nevent\ndata: x\n\n'])).toEqual([
      { kind: 'event', type: 'message', data: 'x', lastEventId: '' },
    ]);
  });

  it('strips exactly one leading space and keeps colons in the value', () => {
    expect(events(['data:  two spaces: kept\n\n'])[0]).toMatchObject({ data: ' two spaces: kept' });
    expect(events(['data:no-space\n\n'])[0]).toMatchObject({ data: 'no-space' });
  });

  it('keeps the last event id across events, lets an empty id reset it, and ignores ids with NUL', () => {
    const found = events(['id: 5\ndata: a\n\ndata: b\n\nid: bad\u0000id\ndata: c\n\nid\ndata: d\n\n']);
    expect(found.map((event) => event.lastEventId)).toEqual(['5', '5', '5', '']);
  });

  it('honours retry only when it is all ASCII digits', () => {
    const items = parseAll(['retry: 2500\nretry: 12ms\nretry: -1\nretry:  300\nretry: 0\n\n']);
    expect(items).toEqual([
      { kind: 'retry', retryMs: 2500 },
      { kind: 'retry', retryMs: 0 },
    ]);
  });

  it('strips a byte order mark only at the start of the stream', () => {
    // A later BOM is part of the field name, which makes the field unknown.
    const parser = new SseParser();
    expect(
      parseAll(['\ufeffdata: a\n\n', '\ufeffdata: b\n\n'], parser).map((item) => (item as { data: string }).data),
    ).toEqual(['a']);
    expect(events(['\ufeffdata: a\n\n\ufeffdata: b\n\n'])).toHaveLength(1);
  });

  it('waits for the blank line and drops an unterminated event at end of stream', () => {
    const parser = new SseParser();
    expect(parser.push('id: 9\ndata: partial\n')).toEqual([]);
    expect(parser.lastEventId).toBe('');
    parser.end();
    expect(parser.push('data: next\n\n')).toEqual([{ kind: 'event', type: 'message', data: 'next', lastEventId: '' }]);
  });

  it('starts from a carried-over last event id', () => {
    const parser = new SseParser({ lastEventId: '41' });
    expect(parser.lastEventId).toBe('41');
    expect(parser.push('data: x\n\n')).toEqual([{ kind: 'event', type: 'message', data: 'x', lastEventId: '41' }]);
  });
});
