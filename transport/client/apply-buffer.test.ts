import { describe, expect, it } from 'vitest';
import type { SessionEventFrame } from '../protocol.ts';
import { ApplyBuffer } from './apply-buffer.ts';

function frame(seq: number, prevSessionSeq: number): SessionEventFrame {
  return {
    type: 'session_event',
    seq,
    sessionId: 's1',
    prevSessionSeq,
    eventType: 'result',
    payload: null,
    createdAt: 0,
  };
}

describe('ApplyBuffer', () => {
  it('hands out the event that follows the cursor', () => {
    const buffer = new ApplyBuffer();
    buffer.add(frame(9, 7));
    buffer.add(frame(7, 4));
    expect(buffer.takeNext(3)).toBeUndefined();
    expect(buffer.takeNext(4)?.seq).toBe(7);
    expect(buffer.takeNext(7)?.seq).toBe(9);
    expect(buffer.size).toBe(0);
  });

  it('recognises a second copy by its predecessor', () => {
    const buffer = new ApplyBuffer();
    buffer.add(frame(9, 7));
    expect(buffer.holds(frame(9, 7))).toBe(true);
    expect(buffer.holds(frame(8, 6))).toBe(false);
  });

  it('drops events the cursor covers and finds one whose predecessor lies below a skipped cursor', () => {
    const buffer = new ApplyBuffer();
    buffer.add(frame(5, 3));
    buffer.add(frame(12, 10));
    buffer.add(frame(15, 12));
    expect(buffer.lowestPrevSeq()).toBe(3);
    expect(buffer.takeNext(11)?.seq).toBe(12);
    expect(buffer.size).toBe(1);
    expect(buffer.lowestPrevSeq()).toBe(12);
  });
});
