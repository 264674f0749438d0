import { describe, expect, it } from 'vitest';
import { classifyNetKind, networkMessages, requestSpans } from './network-messages.ts';
import { sampleRun } from './testing/sample-run.ts';

describe('network messages', () => {
  it('classifies the network kinds and ignores annotations and unknown kinds', () => {
    expect(classifyNetKind('net.request')).toBe('post');
    expect(classifyNetKind('net.response')).toBe('response');
    expect(classifyNetKind('net.frame-delivered')).toBe('frame');
    expect(classifyNetKind('net.frame-lost')).toBe('frame');
    for (const kind of [
      'net.request-fault',
      'net.request-failed',
      'net.stream-open',
      'net.stream-close',
      'net.welcome',
      'net.unheard-of-kind',
      'app.apply',
    ]) {
      expect(classifyNetKind(kind)).toBeNull();
    }
  });

  it('pairs a request with its response and marks an unanswered failed POST lost', () => {
    const messages = networkMessages(sampleRun().trace);
    const answered = messages.filter(
      (m) => m.client === 'c2' && m.sentMs >= 402 && m.arrivedMs <= 425 && m.direction !== 'frame',
    );
    expect(answered.map((m) => [m.direction, m.sentMs, m.arrivedMs])).toEqual([
      ['post', 402, 413.5],
      ['response', 413.5, 425],
    ]);
    const lost = messages.find((m) => m.lost);
    expect(lost).toMatchObject({ direction: 'post', client: 'c1', sentMs: 202 });
    expect(messages.find((m) => m.direction === 'frame')?.label).toBe('frame-delivered session_event');
  });

  it("draws a delivered frame from the server's write of it, found by connection, session and seq", () => {
    const run = sampleRun();
    const frames = networkMessages(run.trace).filter((m) => m.direction === 'frame');
    const c1First = frames.find((m) => m.client === 'c1' && m.tag === 'agent_step seq 1')!;
    expect([c1First.sentMs, c1First.arrivedMs]).toEqual([430, 445]);
    expect(run.trace[c1First.sentIndex!]).toMatchObject({ kind: 'server.frame.sent', details: { seq: 1 } });
    // c2's replayed seq 4 was written on conn-3 at 2120, not on conn-2 at 1600 (that write went to c1 only).
    const replayed = frames.find((m) => m.client === 'c2' && m.tag === 'agent_step seq 4')!;
    expect(replayed.sentMs).toBe(2120);
    expect(frames.every((m) => m.sentMs <= m.arrivedMs)).toBe(true);
  });

  it('gives a span per request with a start and an end', () => {
    expect(requestSpans(sampleRun().trace).map((s) => [s.client, s.requestId, s.startMs, s.endMs])).toEqual([
      ['c1', 'r3', 202, 230],
      ['c2', 'r4', 402, 425],
    ]);
  });
});
