import { describe, expect, it } from 'vitest';
import type { PropertyId } from '../property-id.ts';
import { HistoryBuilder } from '../testing/history-builder.ts';
import { PROPERTY_IDS } from '../property-id.ts';
import { checkAll, checkProperties, PROPERTIES, unfinishedProperties } from './index.ts';

/** For each property, the smallest history that breaks it (a Record: a new id needs one). */
const BREAKS: Record<PropertyId, (b: HistoryBuilder) => unknown> = {
  'no-silent-loss': (b) => b.prompt('c1', 's1', 'lost', { clientMsgId: 'm1' }),
  'send-order': (b) => {
    b.prompt('c1', 's1', 'first', { clientMsgId: 'm1' });
    b.prompt('c1', 's1', 'second', { clientMsgId: 'm2' });
    b.persisted('s1', 8, 'm1', 'first').persisted('s1', 6, 'm2', 'second');
  },
  'at-most-once': (b) => {
    b.agentRun('s1', 'm1', 'twice');
    b.agentRun('s1', 'm1-again', 'twice');
  },
  'session-order': (b) => {
    b.stored('s1', [2, 4, 5, 7]);
    b.applied('c1', 's1', 4, 2);
    b.applied('c1', 's1', 7, 5);
  },
  'no-duplicates': (b) => {
    b.applied('c1', 's1', 3, 0);
    b.applied('c1', 's1', 3, 0);
  },
  'no-silent-gap': (b) => {
    b.stored('s1', [1, 2]);
    b.applied('c1', 's1', 1, 0);
    b.client('c1', { sessions: [{ sessionId: 's1', cursor: 2 }] });
  },
  'cursor-monotonic': (b) => {
    b.cursor('c1', 's1', 8);
    b.cursor('c1', 's1', 4);
  },
  'bounded-replay': (b) => {
    b.welcome('c1', 'conn-1');
    b.frameSent('conn-1', 's1', 4);
    b.applied('c1', 's1', 4, 0);
    b.frameSent('conn-1', 's1', 4, null, 'sync');
  },
  'bounded-queue': (b) => b.queue('c1', b.build().limits.maxPendingSends + 1),
  'bounded-retries': (b) => {
    b.prompt('c1', 's1', 'a', { clientMsgId: 'm1' });
    b.sendAttempt('c1', 'm1', 's1', b.build().limits.sendAttemptBudget + 1);
  },
  liveness: (b) => b.client('c1', { connected: false }),
  'server-survives': (b) => b.serverDown(false),
  delivery: (b) => {
    b.prompt('c1', 's1', 'given up', { clientMsgId: 'm1' });
    b.phase('heal');
    b.sendAttempt('c1', 'm1', 's1', 1);
    b.sendOutcome('c1', 'm1', 's1', 503);
    b.sendFailed('c1', 'm1', 's1');
  },
  timeliness: (b) => {
    b.prompt('c1', 's1', 'slow', { clientMsgId: 'm1' });
    b.phase('heal');
    b.at(200_000, { kind: 'send-outcome', client: 'c1', clientMsgId: 'm1', sessionId: 's1', status: 202, attempt: 1 });
    b.persisted('s1', 1, 'm1', 'slow');
  },
  'retry-after': (b) => {
    b.prompt('c1', 's1', 'hasty', { clientMsgId: 'm1' });
    b.at(1000, { kind: 'send-attempt', client: 'c1', clientMsgId: 'm1', sessionId: 's1', attempt: 1 });
    b.at(1050, {
      kind: 'send-outcome',
      client: 'c1',
      clientMsgId: 'm1',
      sessionId: 's1',
      status: 429,
      attempt: 1,
      retryAfterMs: 5000,
    });
    b.at(2050, { kind: 'send-attempt', client: 'c1', clientMsgId: 'm1', sessionId: 's1', attempt: 2 });
  },
};

describe('the property table', () => {
  it('holds exactly the property ids, each once', () => {
    expect(new Set(PROPERTY_IDS).size).toBe(PROPERTY_IDS.length);
    expect(Object.keys(PROPERTIES).sort()).toEqual([...PROPERTY_IDS].sort());
  });

  it.each(PROPERTY_IDS)('%s: its checker finds a history that breaks it, under that id', (id) => {
    const b = new HistoryBuilder();
    BREAKS[id](b);
    const history = b.build();
    expect(PROPERTIES[id].check(history).map((violation) => violation.property)).toContain(id);
    const only = checkAll(history, [id]).map((violation) => violation.property);
    expect(only.length).toBeGreaterThan(0);
    expect(new Set(only)).toEqual(new Set([id]));
  });
});

describe('checkAll', () => {
  it('passes a clean history', () => {
    const b = new HistoryBuilder();
    b.welcome('c1', 'conn-1');
    b.prompt('c1', 's1', 'hi', { clientMsgId: 'm1' });
    b.sendAttempt('c1', 'm1', 's1', 1);
    b.agentRun('s1', 'm1', 'hi');
    b.frameSent('conn-1', 's1', 1);
    b.applied('c1', 's1', 1, 0);
    b.cursor('c1', 's1', 1);
    b.persisted('s1', 1, 'm1', 'hi').client('c1', { sessions: [{ sessionId: 's1', cursor: 1 }] });
    expect(checkAll(b.build())).toEqual([]);
  });

  it('sorts violations by first evidence and honours `only`', () => {
    const b = new HistoryBuilder();
    const died = b.serverDown(false);
    const run1 = b.agentRun('s1', 'm1', 'x');
    b.agentRun('s1', 'm2', 'x');
    const high = b.cursor('c1', 's1', 5);
    b.cursor('c1', 's1', 2);
    const history = b.build();
    expect(checkAll(history).map((v) => [v.property, v.evidence[0]])).toEqual([
      ['server-survives', died],
      ['at-most-once', run1],
      ['cursor-monotonic', high],
    ]);
    expect(checkAll(history, ['cursor-monotonic']).map((v) => v.property)).toEqual(['cursor-monotonic']);
  });
});

describe('checkProperties', () => {
  it('says what became of every property: passed or violated', () => {
    const b = new HistoryBuilder();
    BREAKS['cursor-monotonic'](b);
    const { violations, properties } = checkProperties(b.build());
    expect(violations.map((v) => v.property)).toEqual(['cursor-monotonic']);
    expect(properties['cursor-monotonic']).toEqual({ status: 'violated' });
    expect(Object.keys(properties).sort()).toEqual([...PROPERTY_IDS].sort());
    const others = PROPERTY_IDS.filter((id) => id !== 'cursor-monotonic');
    expect(others.map((id) => properties[id])).toEqual(others.map(() => ({ status: 'passed' })));
  });

  const needy = PROPERTY_IDS.filter((id) => PROPERTIES[id].needs.length > 0);

  it.each(needy)('%s: not checked, naming what it needs, when the transport does not report it', (id) => {
    const b = new HistoryBuilder().without(...PROPERTIES[id].needs);
    BREAKS[id](b);
    const history = b.build();
    const { violations, properties } = checkProperties(history);
    expect(properties[id]).toEqual({ status: 'not-checked', needs: PROPERTIES[id].needs });
    expect(violations.filter((v) => v.property === id)).toEqual([]);
    expect(checkAll(history, [id])).toEqual([]);
  });

  it('names only the observations missing, and checks properties that need nothing', () => {
    const b = new HistoryBuilder().without('buffer-length');
    BREAKS['bounded-retries'](b);
    const { properties } = checkProperties(b.build());
    expect(properties['bounded-queue']).toEqual({ status: 'not-checked', needs: ['buffer-length'] });
    expect(properties['bounded-retries']).toEqual({ status: 'violated' });
  });

  it('marks every property unfinished for a run that ended early', () => {
    expect(Object.values(unfinishedProperties())).toEqual(PROPERTY_IDS.map(() => ({ status: 'unfinished' })));
  });
});
