/**
 * Prints one line per run, `<label> <seed> <verdict> <traceHash>`, over a fixed set of runs:
 * generated campaign runs on every version, the named scenarios, and every regression file with
 * its defect on and off. A refactor that claims to change no behaviour shows the same output
 * before and after (`npm run hashes > before.txt`, change, `npm run hashes | diff before.txt -`).
 */
import { resolveVersion, VERSION_NAMES } from '../transport/index.ts';
import { listScenarioFiles, resolveScenario } from '../scenarios/index.ts';
import { runScenario } from '../sim/index.ts';
import { campaignScenario } from '../sim/campaign/index.ts';
import { runVersionOf } from '../sim/index.ts';
import { listRegressionFiles, readRegression, regressionControl, regressionVersion } from '../sim/files/index.ts';

const GENERATED_SEEDS_PER_VERSION = Number(process.argv[2] ?? 40);

for (const name of VERSION_NAMES) {
  const version = resolveVersion(name, []);
  const spec = { version: runVersionOf(version), baseSeed: 1 };
  for (let index = 0; index < GENERATED_SEEDS_PER_VERSION; index++) {
    const result = await runScenario({ scenario: campaignScenario(spec, index), seed: 1 + index, version });
    console.log(`generated/${name} ${result.seed} ${result.verdict} ${result.traceHash}`);
  }
}
for (const { name } of listScenarioFiles()) {
  for (const seed of [1, 2, 3]) {
    const result = await runScenario({ scenario: resolveScenario(name), seed, version: resolveVersion('fixed', []) });
    console.log(`scenario/${name} ${seed} ${result.verdict} ${result.traceHash}`);
  }
}
for (const file of listRegressionFiles()) {
  const regression = readRegression(file);
  for (const [label, version] of [
    ['on', regressionVersion(regression)],
    ['off', regressionControl(regression)],
  ] as const) {
    const result = await runScenario({ scenario: regression.scenario, seed: regression.seed, version });
    console.log(`regression/${regression.defect}/${label} ${regression.seed} ${result.verdict} ${result.traceHash}`);
  }
}
