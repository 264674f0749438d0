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

  it('gives a span per request with a start and an end', () => {
    expect(requestSpans(sampleRun().trace).map((s) => [s.client, s.requestId, s.startMs, s.endMs])).toEqual([
      ['c1', 'r3', 202, 230],
      ['c2', 'r4', 402, 425],
    ]);
  });
});
