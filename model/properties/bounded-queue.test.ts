import { describe, expect, it } from 'vitest';
import { HistoryBuilder } from '../testing/history-builder.ts';
import { checkBoundedQueue } from './bounded-queue.ts';

describe('bounded-queue', () => {
  it('passes at exactly the limits', () => {
    const b = new HistoryBuilder({ maxPendingSends: 100, applyBufferLimit: 256 });
    b.queue('c1', 100);
    b.buffer('c1', 's1', 256);
    expect(checkBoundedQueue(b.build())).toEqual([]);
  });

  it('reports the first entry over each limit, with the peak', () => {
    const b = new HistoryBuilder({ maxPendingSends: 100, applyBufferLimit: 256 });
    b.queue('c1', 100);
    const queueOver = b.queue('c1', 101);
    b.queue('c1', 104);
    const bufferOver = b.buffer('c1', 's1', 257);
    const found = checkBoundedQueue(b.build());
    expect(found.map((v) => v.property)).toEqual(['bounded-queue', 'bounded-queue']);
    expect(found[0]!.subject).toEqual({ client: 'c1', queue: 'pending', length: 101, peak: 104 });
    expect(found[0]!.evidence).toEqual([queueOver]);
    expect(found[1]!.subject).toEqual({ client: 'c1', queue: 'buffer', sessionId: 's1', length: 257, peak: 257 });
    expect(found[1]!.evidence).toEqual([bufferOver]);
  });
});
