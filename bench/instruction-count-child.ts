/**
 * One process of the instruction count (instruction-count.ts), run under callgrind: it reads the
 * seeds' cases the parent prepared, runs the named contender over them once to warm up (under
 * `node --predictable` the JIT compiles the same code at the same points in every such process),
 * then for the given number of passes. Two processes that differ only in that number differ only
 * in those passes' instructions.
 *
 * Usage: node --predictable --import tsx bench/instruction-count-child.ts <contender> <passes> <cases.v8>
 */
import { readFileSync } from 'node:fs';
import { deserialize } from 'node:v8';
import { resolveScenario } from '../scenarios/index.ts';
import { resolveVersion } from '../transport/index.ts';
import { CONTENDERS, emptyWork, runners, type Contender, type SeedCase } from './peer-comparison.ts';

const [contender, passesText, casesPath] = process.argv.slice(2);
if (!CONTENDERS.includes(contender as Contender)) throw new Error(`no contender ${contender}`);
const cases = deserialize(readFileSync(casesPath!)) as SeedCase[];
const run = runners(resolveScenario('default'), resolveVersion('fixed'))[contender as Contender];
const work = emptyWork();
for (let pass = 0; pass < 1 + Number(passesText); pass++) for (const seedCase of cases) await run(seedCase, work);
