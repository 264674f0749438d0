import { describe, expect, it } from 'vitest';
import { violation } from '../model/violation.ts';
import { CAUSAL_WINDOW_MAX, causalWindow, isRoutine } from './notable-entries.ts';
import { RunFixture } from './testing/run-fixture.ts';
import { sampleRun } from './testing/sample-run.ts';

describe('causalWindow', () => {
  it("lists the entries of the violation's client before it, routine ones included, and no other client's", () => {
    const run = sampleRun();
    const v = run.violations[0]!;
    const window = causalWindow(run.trace, v);
    const kinds = window.map((entry) => `${entry.actor} ${entry.kind}`);
    // The queue change and the request on the wire are routine or uncited, yet they explain the loss.
    expect(kinds).toContain('c1 client.queue.length');
    expect(kinds).toContain('net:c1 net.request');
    expect(kinds).toContain('net:c1 net.request-failed');
    expect(kinds).toContain('faults fault.request-lost');
    expect(window.some((entry) => isRoutine(entry))).toBe(true);
    for (const index of v.evidence) expect(window.map((entry) => entry.index)).toContain(index);
    expect(window.some((entry) => entry.actor === 'c2' || entry.actor === 'net:c2')).toBe(false);
    expect(Math.max(...window.map((entry) => entry.index))).toBe(Math.max(...v.evidence));
  });

  it("takes the server's writes to the client's connections, and the latest entries when there are many", () => {
    const run = new RunFixture();
    run.record(0, 'c1', 'net.welcome', { connectionId: 'conn-a' });
    const early = run.fault(1, 'stream-drop', { client: 'c1' });
    for (let i = 0; i < CAUSAL_WINDOW_MAX * 2; i++) {
      run.record(10 + i, 'server', 'server.frame.sent', { connectionId: 'conn-a', sessionId: 's1', seq: i + 1 });
      run.record(10 + i, 'server', 'server.frame.sent', { connectionId: 'conn-b', sessionId: 's1', seq: i + 1 });
      run.record(10 + i, 'c1', 'client.cursor', { sessionId: 's1', cursor: i + 1 });
    }
    const last = run.record(100, 'c1', 'app.apply', { sessionId: 's1', seq: 3 });
    const v = violation('cursor-monotonic', 'went back', { client: 'c1', sessionId: 's1' }, [last]);
    const window = causalWindow(run.build().trace, v);
    expect(window.some((entry) => entry.details.connectionId === 'conn-b')).toBe(false);
    expect(window.some((entry) => entry.details.connectionId === 'conn-a')).toBe(true);
    expect(window.map((entry) => entry.index)).toContain(early);
    expect(window.length).toBeLessThanOrEqual(CAUSAL_WINDOW_MAX + 2);
    expect(window.at(-1)!.index).toBe(last);
  });
});
