/**
 * Bad command lines for the reliability suite: every numeric flag just outside its range and
 * malformed, unknown commands, options and names, seeds past MAX_SEED alone and as seed + runs,
 * more workers than cores, and output paths that cannot be folders (a file, under a file, empty,
 * on a read-only pseudo file system).
 */
import { availableParallelism } from 'node:os';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MAX_SEED } from '../../scenarios/seed-range.ts';
import { GOOD_RESULT_FILE, type ArgvCase, type CaseDirs } from './file-cases.ts';

const BAD_INTEGERS = ['-1', '1.5', 'seven', '', ' ', '1e3', '0x10', '1 2', 'NaN', '9'.repeat(30)];

function perValue(prefix: string[], flag: string, values: readonly string[]): ArgvCase[] {
  return values.map((value) => ({
    name: `${prefix.join(' ')} ${flag} ${JSON.stringify(value)}`,
    argv: [...prefix, flag, value],
  }));
}

function numericFlagCases(): ArgvCase[] {
  const seeds = [...BAD_INTEGERS, String(MAX_SEED + 1), String(2 ** 32), String(2 ** 53)];
  return [
    ...perValue(['run', 'calm'], '--seed', seeds),
    ...perValue(['fuzz', '--runs', '1'], '--seed', seeds),
    ...perValue(['score', '--defect', 'send-silent-drop'], '--seed', seeds),
    ...perValue(['fuzz'], '--runs', [...BAD_INTEGERS, '0', '100000001']),
    ...perValue(['fuzz'], '--time', ['0', '-1', 'abc', '', 'NaN', 'Infinity', '-Infinity']),
    ...perValue(['fuzz', '--runs', '1'], '--workers', [...BAD_INTEGERS, '0', '65', String(availableParallelism() + 1)]),
    ...perValue(['fuzz', '--runs', '1'], '--shard', [
      '0/1',
      '2/1',
      '1/0',
      'a/b',
      '1/1000001',
      '1',
      '1/2/3',
      '-1/2',
      '',
    ]),
    ...perValue(['fuzz', '--runs', '1'], '--shrink-runs', [...BAD_INTEGERS, '100001']),
    ...perValue(['score'], '--budget-s', ['0', '-5', 'x']),
    ...perValue(['score'], '--runs', [...BAD_INTEGERS, '0']),
  ];
}

function seedRangeCases(): ArgvCase[] {
  return [
    ['fuzz', '--seed', String(MAX_SEED), '--runs', '2'],
    ['fuzz', '--seed', String(MAX_SEED - 5), '--runs', '10'],
    ['fuzz', '--seed', String(MAX_SEED)],
    ['fuzz', '--seed', '1', '--runs', String(MAX_SEED + 1)],
    ['fuzz', '--seed', String(MAX_SEED - 1), '--runs', '3', '--shard', '2/2'],
  ].map((argv) => ({ name: `seed range: ${argv.join(' ')}`, argv }));
}

function namingCases(): ArgvCase[] {
  return [
    ['frobnicate'],
    ['run'],
    ['run', 'no-such-scenario'],
    ['run', 'calm', '--bogus'],
    ['run', 'calm', '--version', 'v9'],
    ['run', 'calm', '--version', ''],
    ['run', 'calm', '--defect', 'nope'],
    ['run', 'calm', '--defect', ''],
    ['run', 'calm', 'extra-argument'],
    ['run', 'calm', '--seed'],
    ['run', '\u001b[31mred'],
    ['fuzz', '--runs', '3', '--time', '2'],
    ['fuzz', '--scenario', 'no-such-scenario', '--runs', '1'],
    ['fuzz', '--version', 'nope'],
    ['replay'],
    ['replay', 'a.json', 'b.json'],
    ['shrink'],
    ['report', 'x.json'],
    ['list', '--bogus'],
    ['score', '--defect', 'nope'],
    ['--bogus'],
  ].map((argv) => ({ name: `naming: ${argv.join(' ')}`, argv }));
}

/** Output paths no command can write to; each command must refuse them before it runs anything. */
function outPathCases(dirs: CaseDirs): ArgvCase[] {
  const file = join(dirs.work, '..', 'a-file.txt');
  writeFileSync(file, 'x');
  const outs = ['', ' ', file, join(file, 'under'), '/proc/ssesim-x', '/proc/ssesim-x/deeper', '/proc', '/dev/null'];
  const result = join(dirs.inputs, GOOD_RESULT_FILE);
  const commands = (out: string) => [
    ['run', 'calm', '--out', out],
    ['fuzz', '--runs', '1', '--scenario', 'calm', '--out', out],
    ['report', result, '--out', out],
    ['run', 'calm', '--store', out],
    // A blank folder name is a fine relative folder for a store file; only the others are bad.
    ...(out.trim() === '' ? [] : [['run', 'calm', '--store', join(out, 'store.db')]]),
  ];
  return outs.flatMap((out) =>
    commands(out).map((argv) => ({
      name: `out path ${JSON.stringify(out.slice(-30))}: ${argv.slice(0, 3).join(' ')}`,
      argv,
    })),
  );
}

export function flagCases(dirs: CaseDirs): ArgvCase[] {
  return [...numericFlagCases(), ...seedRangeCases(), ...namingCases(), ...outPathCases(dirs)];
}
