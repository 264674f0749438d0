import { describe, expect, it } from 'vitest';
import { HistoryBuilder } from '../testing/history-builder.ts';
import { checkBoundedReplay } from './bounded-replay.ts';

describe('bounded-replay', () => {
  it('passes for in-flight duplicates, resends on a new connection and a small reconnect replay', () => {
    const b = new HistoryBuilder();
    b.welcome('c1', 'conn-1');
    b.frameSent('conn-1', 's1', 1);
    b.frameSent('conn-1', 's1', 1); // sent before the client applied it: in flight
    b.applied('c1', 's1', 1, 0);
    b.welcome('c1', 'conn-2');
    b.reconnectReplay('conn-2', 's1', 0, 1);
    b.frameSent('conn-2', 's1', 1, null, 'replay'); // applied on conn-1, not on this connection
    b.applied('c1', 's1', 2, 1);
    b.frameSent('conn-2', 's1', 2, null, 'history'); // a page the client asked for before the apply
    b.applied('c1', 's1', 3, 2); // from the client's buffer: never delivered on conn-2
    b.frameSent('conn-2', 's1', 3, null, 'sync'); // the server only knew the announced cursor
    expect(checkBoundedReplay(b.build())).toEqual([]);
  });

  it('reports a frame resent on the connection where the client already applied it', () => {
    const b = new HistoryBuilder();
    b.welcome('c1', 'conn-1');
    b.frameSent('conn-1', 's1', 4);
    const applied = b.applied('c1', 's1', 4, 0);
    const resent = b.frameSent('conn-1', 's1', 4, null, 'sync');
    b.frameSent('conn-1', 's1', 4, null, 'sync');
    const [v, ...rest] = checkBoundedReplay(b.build());
    expect(rest).toEqual([]);
    expect(v!.property).toBe('bounded-replay');
    expect(v!.subject).toEqual({ client: 'c1', connectionId: 'conn-1', sessionId: 's1', seq: 4, resent: 2 });
    expect(v!.evidence).toEqual([applied, resent]);
  });

  it('reports replay amplification over the limit once the client needed enough events', () => {
    const b = new HistoryBuilder({ replayAmplificationMax: 1.5 });
    b.welcome('c1', 'conn-1');
    for (let seq = 1; seq <= 30; seq++) {
      b.frameReceived('c1', 's1', seq);
      b.applied('c1', 's1', seq, seq - 1);
    }
    b.welcome('c1', 'conn-2');
    const waste: number[] = [];
    for (let seq = 1; seq <= 20; seq++) waste.push(b.frameSent('conn-2', 's1', seq, 'c1', 'sync'));
    for (let seq = 1; seq <= 20; seq++) b.frameReceived('c1', 's1', seq);
    const [v, ...rest] = checkBoundedReplay(b.build());
    expect(rest).toEqual([]);
    expect(v!.subject).toEqual({ client: 'c1', frames: 50, neededFrames: 30 });
    expect(v!.evidence).toEqual(waste.slice(0, 10));
  });

  it('counts a push of an event the client holds but has not applied as needed', () => {
    const b = new HistoryBuilder({ replayAmplificationMax: 1.5 });
    b.welcome('c1', 'conn-1');
    for (let seq = 1; seq <= 20; seq++) b.frameReceived('c1', 's1', seq); // buffered behind a failed apply
    b.welcome('c1', 'conn-2');
    for (let seq = 1; seq <= 20; seq++) b.frameSent('conn-2', 's1', seq, 'c1', 'replay');
    for (let seq = 1; seq <= 20; seq++) b.applied('c1', 's1', seq, seq - 1); // from the buffer, after the replay left
    for (let seq = 1; seq <= 20; seq++) b.frameReceived('c1', 's1', seq);
    expect(checkBoundedReplay(b.build())).toEqual([]);
  });

  it('ignores amplification while fewer than 20 frames were needed', () => {
    const b = new HistoryBuilder();
    b.welcome('c1', 'conn-1');
    for (let seq = 1; seq <= 19; seq++) {
      b.frameReceived('c1', 's1', seq);
      b.applied('c1', 's1', seq, seq - 1);
    }
    b.welcome('c1', 'conn-2');
    for (let round = 0; round < 2; round++) {
      for (let seq = 1; seq <= 19; seq++) {
        b.frameSent('conn-2', 's1', seq, 'c1', 'sync');
        b.frameReceived('c1', 's1', seq);
      }
    }
    expect(checkBoundedReplay(b.build())).toEqual([]);
  });

  it('reports a reconnect that replays more than the limit', () => {
    const b = new HistoryBuilder({ reconnectReplayLimit: 200 });
    b.welcome('c1', 'conn-1');
    b.reconnectReplay('conn-1', 's1', 0, 200);
    const big = b.reconnectReplay('conn-1', 's2', 10, 201);
    const [v, ...rest] = checkBoundedReplay(b.build());
    expect(rest).toEqual([]);
    expect(v!.subject).toEqual({ client: 'c1', connectionId: 'conn-1', sessionId: 's2', replayed: 201, lastSeq: 10 });
    expect(v!.evidence).toEqual([big]);
  });
});

describe('bounded-replay across reloads', () => {
  it('counts an event needed again after a reload as needed, not as amplification', () => {
    const b = new HistoryBuilder();
    b.welcome('c1', 'conn-1');
    for (let seq = 1; seq <= 20; seq++) b.frameReceived('c1', 's1', seq);
    b.reload('c1');
    b.welcome('c1', 'conn-2');
    for (let seq = 1; seq <= 20; seq++) b.frameReceived('c1', 's1', seq);
    expect(checkBoundedReplay(b.build())).toEqual([]);
  });
});
