/**
 * Bad files for the reliability suite: scenarios, repros and run results, each a good file with
 * one field broken (see mutations.ts), plus files broken as files (empty, not JSON, not UTF-8,
 * nested a million levels deep, a 20 MB string, past the size limit, a directory, a device). Each
 * case is a command line that must end as a bad input: exit 2, one line, nothing written.
 */
import { closeSync, ftruncateSync, mkdirSync, openSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveScenario } from '../../scenarios/load-scenario.ts';
import { validateScenario } from '../../scenarios/validate-scenario.ts';
import { MAX_INPUT_FILE_BYTES } from '../../scenarios/read-user-file.ts';
import { validateRepro } from '../../sim/files/repro-check.ts';
import { toRepro } from '../../sim/files/repro.ts';
import { runScenario } from '../../sim/run.ts';
import { resolveVersion } from '../../transport/defects.ts';
import { TINY_FAULTY } from '../../sim/testing/tiny-scenarios.ts';
import { RunResultSchema } from '../run-result-schema.ts';
import { mutationsOf, pathsOf, type Path } from './mutations.ts';

export interface ArgvCase {
  name: string;
  argv: string[];
}

export interface CaseDirs {
  /** Where the bad files are written. */
  inputs: string;
  /** The working directory of every case: whatever a case writes lands here or in an out-N folder. */
  work: string;
}

type Commands = (file: string, out: string) => string[][];

const SCENARIO_COMMANDS: Commands = (file, out) => [
  ['run', file],
  ['run', file, '--out', out, '--json'],
  ['fuzz', '--scenario', file, '--runs', '1', '--out', out],
];
const REPRO_COMMANDS: Commands = (file, out) => [
  ['replay', file],
  ['shrink', file],
  ['report', file, '--out', out],
];
const RESULT_COMMANDS: Commands = (file, out) => [['report', file, '--out', out]];

function rejects(validate: (value: unknown) => unknown, value: unknown): boolean {
  try {
    validate(value);
    return false;
  } catch {
    return true;
  }
}

/** A good run of the tiny scenario: the base of the repro and result families. */
async function baseRun(): Promise<{ repro: unknown; result: unknown }> {
  const result = await runScenario({ scenario: TINY_FAULTY, seed: 1, version: resolveVersion('base') });
  return {
    repro: JSON.parse(JSON.stringify(toRepro(result, 'repro.json'))),
    result: JSON.parse(JSON.stringify(result)),
  };
}

/** Paths worth breaking in a run result: its own fields, and a sample of each list rather than every entry. */
function resultPaths(result: unknown): Path[] {
  const value = result as { history: { entries: { kind: string }[] } };
  const kinds = ['phase', 'queue', 'cursor', 'frame-sent'];
  const historyIndexes = kinds.map((kind) => value.history.entries.findIndex((entry) => entry.kind === kind));
  return [
    ...pathsOf(result, 1),
    ...pathsOf(result, 2).filter((path) => ['version', 'history'].includes(path[0] as string) && path.length === 2),
    ...pathsOf(result, 3).filter((path) => path[0] === 'violations' && path[1] === 0 && path.length === 3),
    ...pathsOf(result, 3).filter((path) => path[0] === 'trace' && path[1] === 0 && path.length === 3),
    ...historyIndexes
      .filter((i) => i >= 0)
      .flatMap((i) => pathsOf(value.history.entries[i], 1).map((path) => ['history', 'entries', i, ...path])),
  ];
}

interface Family {
  name: string;
  base: unknown;
  paths: Path[];
  validate: (value: unknown) => unknown;
  commands: Commands;
}

/** A good result.json in the inputs folder, for cases whose only fault is elsewhere (an --out path). */
export const GOOD_RESULT_FILE = 'good-result.json';
export const GOOD_REPRO_FILE = 'good-repro.json';

export async function fieldCases(dirs: CaseDirs): Promise<ArgvCase[]> {
  const scenario = resolveScenario('default');
  const { repro, result } = await baseRun();
  writeFileSync(join(dirs.inputs, GOOD_RESULT_FILE), JSON.stringify(result));
  writeFileSync(join(dirs.inputs, GOOD_REPRO_FILE), JSON.stringify(repro));
  const families: Family[] = [
    {
      name: 'scenario',
      base: scenario,
      paths: pathsOf(scenario, 4),
      validate: validateScenario,
      commands: SCENARIO_COMMANDS,
    },
    { name: 'repro', base: repro, paths: pathsOf(repro, 2), validate: validateRepro, commands: REPRO_COMMANDS },
    {
      name: 'result',
      base: result,
      paths: resultPaths(result),
      validate: (value) => RunResultSchema.parse(value),
      commands: RESULT_COMMANDS,
    },
  ];
  const cases: ArgvCase[] = [];
  for (const family of families) {
    let n = 0;
    for (const mutation of mutationsOf(family.base, family.paths)) {
      if (!rejects(family.validate, mutation.value)) continue;
      const file = join(dirs.inputs, `${family.name}-${n}.json`);
      writeFileSync(file, JSON.stringify(mutation.value, null, 2));
      const commands = family.commands(file, join(dirs.work, `out-${family.name}-${n}`));
      const argv = commands[n % commands.length]!;
      cases.push({ name: `${family.name} ${mutation.label}: ${argv[0]}`, argv });
      n++;
    }
  }
  return cases;
}

/** Files broken as files rather than as data; `null` content means the path is made some other way. */
function brokenFiles(dirs: CaseDirs): [string, string | Buffer | null][] {
  const depth = 1_000_000;
  const twentyMb = 20 * 1024 * 1024;
  return [
    ['empty', ''],
    ['whitespace', ' \n\t '],
    ['bom-only', '\uFEFF'],
    ['null', 'null'],
    ['array', '[]'],
    ['string', '"default"'],
    ['number', '42'],
    ['truncated', '{"name": "x", "clients": '],
    ['trailing-garbage', '{} x'],
    ['duplicate-key', '{"name": "a", "name": "b"}'],
    ['single-quotes', "{'name': 'x'}"],
    ['not-utf8', Buffer.from([0x7b, 0x22, 0x6e, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d])],
    ['overlong-utf8', Buffer.from([0x7b, 0x22, 0xc0, 0xaf, 0x22, 0x3a, 0x31, 0x7d])],
    ['deep-arrays', '['.repeat(depth) + ']'.repeat(depth)],
    ['deep-objects', '{"a":'.repeat(100_000) + '1' + '}'.repeat(100_000)],
    ['huge-string', `{"name": "${'x'.repeat(twentyMb)}"}`],
    ['huge-number', `{"clients": ${'9'.repeat(twentyMb)}}`],
    ['control-chars', '{"name": "a\u0001b"}'],
    ['over-size-limit', null],
    ['a-directory', null],
    ['missing', null],
  ].map(([name, content]) => [join(dirs.inputs, `file-${name}.json`), content as string | Buffer | null]);
}

export function brokenFileCases(dirs: CaseDirs): ArgvCase[] {
  const files = brokenFiles(dirs);
  for (const [path, content] of files) if (content !== null) writeFileSync(path, content);
  // Sparse: past the limit without writing a quarter gigabyte.
  const fd = openSync(join(dirs.inputs, 'file-over-size-limit.json'), 'w');
  ftruncateSync(fd, MAX_INPUT_FILE_BYTES + 1);
  closeSync(fd);
  mkdirSync(join(dirs.inputs, 'file-a-directory.json'));
  const plain = join(dirs.inputs, 'file-null.json');
  const special = [join(plain, 'under-a-file.json'), '/dev/null', '/dev/zero', `${'x/'.repeat(3000)}long.json`];
  const cases: ArgvCase[] = [];
  [...files.map(([path]) => path), ...special].forEach((path, n) => {
    const out = join(dirs.work, `out-file-${n}`);
    const commands = [...SCENARIO_COMMANDS(path, out), ...REPRO_COMMANDS(path, out)];
    for (const argv of commands) cases.push({ name: `file ${path.slice(-40)}: ${argv[0]}`, argv });
  });
  return cases;
}
