import { describe, expect, it } from 'vitest';
import type { Scenario } from './scenario.ts';
import { ScenarioError } from './scenario-error.ts';
import { MAX_CLIENTS, MAX_PHASE_MS, MAX_STEP_LIMIT, validateScenario } from './validate-scenario.ts';

function base(): Scenario {
  return {
    name: 'base',
    clients: 2,
    sessions: 1,
    workload: {
      promptsPerClient: 3,
      promptGapMsMin: 100,
      promptGapMsMax: 1_000,
      controlChance: [1, 10],
      permissionAnswerMsMin: 50,
      permissionAnswerMsMax: 500,
    },
    agent: { stepDelayMsMin: 50, stepDelayMsMax: 400, stepsMin: 3, stepsMax: 8, permissionChance: [1, 5] },
    network: { latencyMsMin: 5, latencyMsMax: 80 },
    faults: { request: { 'http-404': [1, 50] }, timed: { 'server-crash': 0.5 } },
    phases: { chaosMs: 10_000, healMs: 30_000 },
    stepLimit: 200_000,
  };
}

/** Applies `mutate` to a fresh valid scenario (as loose JSON) and returns the error validation throws. */
function errorFor(mutate: (s: any) => void, source?: string): ScenarioError {
  const s = base() as any;
  mutate(s);
  try {
    validateScenario(s, source);
  } catch (err) {
    expect(err).toBeInstanceOf(ScenarioError);
    return err as ScenarioError;
  }
  throw new Error('expected validateScenario to throw');
}

type Case = [label: string, mutate: (s: any) => void, field: string, messagePart: string];

function expectCases(cases: Case[]): void {
  it.each(cases)('%s', (_label, mutate, field, messagePart) => {
    const err = errorFor(mutate);
    expect(err.code).toBe('bad_scenario');
    expect(err.field).toBe(field);
    expect(err.message.startsWith(`${field}: `)).toBe(true);
    expect(err.message).toContain(messagePart);
    expect(err.message).not.toContain('\n');
  });
}

describe('validateScenario accepts', () => {
  it('a valid scenario, returning an equal copy', () => {
    const input = base();
    const out = validateScenario(input);
    expect(out).toEqual(input);
    expect(out).not.toBe(input);
  });

  it('an optional description', () => {
    const out = validateScenario({ ...base(), description: 'why' });
    expect(out.description).toBe('why');
  });

  it('fault kinds in any order, returning them in catalogue order', () => {
    const s = base();
    s.faults.request = { 'response-lost': [1, 9], 'http-404': [1, 9] };
    expect(Object.keys(validateScenario(s).faults.request)).toEqual(['http-404', 'response-lost']);
  });
});

describe('validateScenario rejects wrong types', () => {
  it.each([null, [], 'scenario', 3])('a root of %j', (root) => {
    expect(() => validateScenario(root)).toThrow(/^\(root\): expected an object/);
  });
  expectCases([
    ['clients as a string', (s) => (s.clients = '3'), 'clients', 'got "3"'],
    ['clients as a float', (s) => (s.clients = 2.5), 'clients', 'got 2.5'],
    ['clients as a boolean', (s) => (s.clients = true), 'clients', 'got true'],
    ['workload as an array', (s) => (s.workload = []), 'workload', 'expected an object'],
    ['name as a number', (s) => (s.name = 42), 'name', 'got 42'],
    ['name with a slash', (s) => (s.name = 'a/b'), 'name', 'expected a string matching'],
    ['an empty description', (s) => (s.description = ''), 'description', 'non-empty string'],
    ['storePath, which a scenario no longer names', (s) => (s.storePath = ':memory:'), 'storePath', 'run --store'],
    [
      'controlChance as a string',
      (s) => (s.workload.controlChance = '1/5'),
      'workload.controlChance',
      'expected [numerator, denominator]',
    ],
    ['a ratio of floats', (s) => (s.agent.permissionChance = [0.5, 1]), 'agent.permissionChance', 'got [0.5,1]'],
    ['a ratio of three', (s) => (s.agent.permissionChance = [1, 2, 3]), 'agent.permissionChance', 'got [1,2,3]'],
    ['a timed rate as a string', (s) => (s.faults.timed['server-crash'] = '2'), 'faults.timed.server-crash', 'got "2"'],
    ['a timed rate of NaN', (s) => (s.faults.timed['server-crash'] = NaN), 'faults.timed.server-crash', 'got NaN'],
    [
      'a timed rate of Infinity',
      (s) => (s.faults.timed['stream-drop'] = Infinity),
      'faults.timed.stream-drop',
      'got Infinity',
    ],
    ['faults.request as an array', (s) => (s.faults.request = []), 'faults.request', 'expected an object'],
    ['stepLimit as null', (s) => (s.stepLimit = null), 'stepLimit', 'got null'],
  ]);
});

describe('validateScenario rejects out-of-range values, stating the limit', () => {
  expectCases([
    ['negative clients', (s) => (s.clients = -1), 'clients', `expected an integer from 1 to ${MAX_CLIENTS}, got -1`],
    ['too many clients', (s) => (s.clients = MAX_CLIENTS + 1), 'clients', `got ${MAX_CLIENTS + 1}`],
    ['zero sessions', (s) => (s.sessions = 0), 'sessions', 'from 1 to 6, got 0'],
    [
      'a chaos phase over the limit',
      (s) => (s.phases.chaosMs = MAX_PHASE_MS + 1),
      'phases.chaosMs',
      `to ${MAX_PHASE_MS}`,
    ],
    ['a negative heal phase', (s) => (s.phases.healMs = -5), 'phases.healMs', 'got -5'],
    ['a step limit over the limit', (s) => (s.stepLimit = MAX_STEP_LIMIT + 1), 'stepLimit', `to ${MAX_STEP_LIMIT}`],
    ['a zero step limit', (s) => (s.stepLimit = 0), 'stepLimit', 'got 0'],
    ['a huge latency', (s) => (s.network.latencyMsMax = 1e9), 'network.latencyMsMax', 'got 1000000000'],
    [
      'a huge ratio denominator',
      (s) => (s.workload.controlChance = [1, 1e12]),
      'workload.controlChance',
      'denominator <=',
    ],
  ]);
});

describe('validateScenario rejects unknown fault names', () => {
  expectCases([
    [
      'an unknown request fault',
      (s) => (s.faults.request['http-418'] = [1, 2]),
      'faults.request.http-418',
      'unknown fault kind',
    ],
    [
      'a misspelt timed fault',
      (s) => (s.faults.timed['server-crsh'] = 1),
      'faults.timed.server-crsh',
      'did you mean server-crash?',
    ],
    [
      'a timed fault under request',
      (s) => (s.faults.request['server-crash'] = [1, 2]),
      'faults.request.server-crash',
      'belongs in faults.timed',
    ],
    [
      'a request fault under timed',
      (s) => (s.faults.timed['http-404'] = 1),
      'faults.timed.http-404',
      'belongs in faults.request',
    ],
  ]);

  it('lists the known kinds', () => {
    expect(errorFor((s) => (s.faults.request['http-418'] = [1, 2])).message).toContain('known: http-404, http-429');
  });
});

describe('validateScenario rejects negative and zero rates', () => {
  expectCases([
    [
      'a negative request numerator',
      (s) => (s.faults.request['http-404'] = [-1, 5]),
      'faults.request.http-404',
      'got [-1,5]',
    ],
    [
      'a negative denominator',
      (s) => (s.faults.request['http-404'] = [-1, -5]),
      'faults.request.http-404',
      'got [-1,-5]',
    ],
    ['a zero denominator', (s) => (s.workload.controlChance = [0, 0]), 'workload.controlChance', 'got [0,0]'],
    [
      'a numerator above the denominator',
      (s) => (s.agent.permissionChance = [6, 5]),
      'agent.permissionChance',
      'numerator <= denominator',
    ],
    [
      'a negative control chance',
      (s) => (s.workload.controlChance = [-1, 5]),
      'workload.controlChance',
      '0 <= numerator',
    ],
    [
      'a zero request fault rate',
      (s) => (s.faults.request['http-404'] = [0, 5]),
      'faults.request.http-404',
      '1 <= numerator',
    ],
    [
      'a negative timed rate',
      (s) => (s.faults.timed['server-crash'] = -2),
      'faults.timed.server-crash',
      'greater than 0',
    ],
    ['a zero timed rate', (s) => (s.faults.timed['server-crash'] = 0), 'faults.timed.server-crash', 'got 0'],
    [
      'a timed rate over the limit',
      (s) => (s.faults.timed['server-crash'] = 601),
      'faults.timed.server-crash',
      'at most 600',
    ],
  ]);
});

describe('validateScenario rejects missing fields', () => {
  expectCases([
    ['no phases', (s) => delete s.phases, 'phases', 'missing field'],
    ['no name', (s) => delete s.name, 'name', 'missing field'],
    ['no promptGapMsMax', (s) => delete s.workload.promptGapMsMax, 'workload.promptGapMsMax', 'missing field'],
    ['no faults.timed', (s) => delete s.faults.timed, 'faults.timed', 'missing field'],
    ['an explicitly undefined stepLimit', (s) => (s.stepLimit = undefined), 'stepLimit', 'missing field'],
  ]);

  it('says exactly "phases: missing field"', () => {
    expect(errorFor((s) => delete s.phases).message).toBe('phases: missing field');
  });
});

describe('validateScenario rejects min > max', () => {
  expectCases([
    [
      'prompt gaps',
      (s) => (s.workload.promptGapMsMin = 2_000),
      'workload.promptGapMsMin',
      'greater than workload.promptGapMsMax (1000)',
    ],
    [
      'permission answers',
      (s) => (s.workload.permissionAnswerMsMin = 501),
      'workload.permissionAnswerMsMin',
      'permissionAnswerMsMax',
    ],
    ['step delays', (s) => (s.agent.stepDelayMsMax = 10), 'agent.stepDelayMsMin', 'agent.stepDelayMsMax (10)'],
    ['agent steps', (s) => (s.agent.stepsMin = 9), 'agent.stepsMin', 'agent.stepsMax (8)'],
    ['latency', (s) => (s.network.latencyMsMin = 81), 'network.latencyMsMin', 'network.latencyMsMax (80)'],
  ]);
});

describe('validateScenario rejects unknown fields', () => {
  expectCases([
    ['a top-level typo', (s) => (s.client = 3), 'client', 'did you mean clients?'],
    ['a nested typo', (s) => (s.workload.promptGapMs = 5), 'workload.promptGapMs', 'unknown field'],
    ['an extra agent field', (s) => (s.agent.thinkHarder = true), 'agent.thinkHarder', 'known: stepDelayMsMin'],
    ['an extra faults section', (s) => (s.faults.network = {}), 'faults.network', 'known: request, timed'],
    ['an extra phase', (s) => (s.phases.warmupMs = 1_000), 'phases.warmupMs', 'unknown field'],
  ]);
});

describe('validateScenario with a source', () => {
  it('prefixes the message and keeps the field', () => {
    const err = errorFor((s) => (s.clients = -1), 'scenarios/x.json');
    expect(err.message).toBe('scenarios/x.json: clients: expected an integer from 1 to 8, got -1');
    expect(err.field).toBe('clients');
    expect(err.value).toBe(-1);
    expect(err.source).toBe('scenarios/x.json');
  });
});

describe('validateScenario reports every problem at once', () => {
  it('names each bad field, in one error and one line', () => {
    const err = errorFor((s) => {
      s.clients = 0;
      s.network.latencyMsMin = 81;
      s.agent.permissionChance = [1, 2, 3];
      s.faults.timed['server-crsh'] = 1;
    }, 'x.json');
    expect(err.problems.map((p) => p.field)).toEqual([
      'clients',
      'agent.permissionChance',
      'network.latencyMsMin',
      'faults.timed.server-crsh',
    ]);
    expect(err.problems.map((p) => p.value)).toEqual([0, [1, 2, 3], 81, 1]);
    expect(err.message).toBe(
      'x.json: clients: expected an integer from 1 to 8, got 0; ' +
        'agent.permissionChance: expected [numerator, denominator] with 0 <= numerator <= denominator, ' +
        '0 < denominator <= 1000000, got [1,2,3]; ' +
        'network.latencyMsMin: 81 is greater than network.latencyMsMax (80); ' +
        'faults.timed.server-crsh: unknown fault kind (did you mean server-crash? known: server-crash, stream-drop, ' +
        'half-open, forget-connection, latency-spike, concurrent-welcome, stale-reconnect-answer, page-reload, ' +
        'tab-hidden, client-offline, slow-reader)',
    );
  });

  it.each(['many', 1.5])('checks min <= max even when another field of the section is %j', (burstPrompts) => {
    const err = errorFor((s) => {
      s.workload.burstPrompts = burstPrompts;
      s.workload.promptGapMsMin = 2_000;
      s.agent.permissionChance = [0.5, 1];
      s.agent.stepsMin = 9;
    });
    expect(err.problems.map((p) => p.field)).toEqual([
      'workload.burstPrompts',
      'workload.promptGapMsMin',
      'agent.permissionChance',
      'agent.stepsMin',
    ]);
  });

  it('says once that a value failing several checks is bad', () => {
    const err = errorFor((s) => (s.clients = 100.5));
    expect(err.problems).toEqual([
      { field: 'clients', value: 100.5, detail: 'expected an integer from 1 to 8, got 100.5' },
    ]);
  });

  it('lists every missing field of an empty object', () => {
    expect(() => validateScenario({})).toThrow(
      /^name: missing field; clients: missing field; .*; stepLimit: missing field$/,
    );
  });
});

describe('validateScenario and $schema', () => {
  it('accepts a $schema for editors and drops it from the scenario', () => {
    const out = validateScenario({ $schema: './scenario.schema.json', ...base() });
    expect(out).toEqual(base());
    expect(Object.hasOwn(out, '$schema')).toBe(false);
  });

  it('treats an undefined optional field as absent, as JSON would', () => {
    const out = validateScenario({ ...base(), storePath: undefined });
    expect(Object.hasOwn(out, 'storePath')).toBe(false);
  });
});
