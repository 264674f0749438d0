/**
 * The benchmark's peer and floor do the work they stand for: the fake-timers drive persists and
 * delivers what the ssesim run of the same seed had its users send, and the floor recording holds
 * the run's SQLite writes and replays on a fresh database every time.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveScenario } from '../scenarios/index.ts';
import { runScenario, type RunResult } from '../sim/index.ts';
import { resolveVersion } from '../transport/index.ts';
import { driveWithFakeTimers, workloadOfRun, type DriveWorkload } from './fake-timers-drive.ts';
import { countsOf, floorProgram, recordFloor, replayFloor, type FloorRecording } from './floor.ts';

const scenario = resolveScenario('default');
const version = resolveVersion('fixed');
let result: RunResult;
let recording: FloorRecording;
let workload: DriveWorkload;
const stringify = JSON.stringify;

beforeAll(async () => {
  ({ value: result, recording } = await recordFloor(() => runScenario({ scenario, seed: 1, version })));
  workload = workloadOfRun(result);
});

describe('the fake-timers drive', () => {
  it('sends every prompt of the run and persists each once, with nothing lost on the way', async () => {
    const prompts = result.history.entries.filter((entry) => entry.kind === 'prompt').length;
    expect(workload.actions.filter((action) => action.message.type === 'send')).toHaveLength(prompts);
    const outcome = await driveWithFakeTimers(workload);
    expect(outcome.userMessages).toBe(result.history.end.userMessages.length);
    expect(outcome.eventsStored).toBeGreaterThan(outcome.userMessages);
    // No faults: every client's app is handed every stored event of the sessions it watches.
    expect(outcome.appliedPerClient).toEqual(Array(scenario.clients).fill(outcome.eventsStored));
    expect(outcome.permissionAnswers).toBeGreaterThan(0);
  });

  it('does less with fewer prompts, and leaves the real timers in place', async () => {
    const prompts = workload.actions.map((action, i) => (action.message.type === 'send' ? i : -1));
    const lastPrompt = Math.max(...prompts);
    const fewer = { ...workload, actions: workload.actions.filter((_, i) => i !== lastPrompt) };
    const outcome = await driveWithFakeTimers(fewer);
    expect(outcome.userMessages).toBe(result.history.end.userMessages.length - 1);
    // Were the fake timers still installed, this would never resolve and the test would time out.
    await new Promise((resolve) => setTimeout(resolve, 1));
  });
});

describe('the floor', () => {
  it('holds one event insert per stored event, and the end-state reads as the harness’s', () => {
    const stored = Object.values(result.history.end.sessionSeqs).reduce((sum, seqs) => sum + seqs.length, 0);
    const sqlOf = new Map<number, string>();
    for (const op of recording.ops) if (op.op === 'prepare') sqlOf.set(op.statement, op.sql);
    const inserts = recording.ops.filter(
      (op) => op.op === 'run' && sqlOf.get(op.statement)?.startsWith('INSERT INTO events') && op.owner === 'transport',
    );
    expect(inserts).toHaveLength(stored);
    const harnessSql = recording.ops.filter((op) => op.owner === 'harness' && !['stringify', 'parse'].includes(op.op));
    expect(harnessSql.length).toBeGreaterThan(0);
    expect(harnessSql.every((op) => op.op === 'all')).toBe(true);
  });

  it('replays on a fresh database each time, the transport’s calls a part of all of them', () => {
    const transport = floorProgram(recording, 'transport');
    const all = floorProgram(recording, 'all');
    // A second replay on the same database would break the sessions' primary key.
    expect(replayFloor(transport)).toEqual(replayFloor(transport));
    expect(replayFloor(all).rows).toBeGreaterThan(replayFloor(transport).rows);
    expect(countsOf(transport).jsonCalls).toBeGreaterThan(0);
    expect(countsOf(all).jsonCalls).toBeGreaterThan(countsOf(transport).jsonCalls);
  });

  it('puts JSON and better-sqlite3 back as they were', () => {
    expect(JSON.stringify).toBe(stringify);
    expect(JSON.stringify.name).toBe('stringify');
  });
});
