/**
 * The command-line program: commands, their options and the exit code contract (0 passed,
 * 1 a property failed, 2 bad input or usage, 130 interrupted, 3 an internal error). Every error a
 * user can cause ends as one line on stderr; commander's own errors are routed through here too.
 * `--version` before a command is the package's version; after one, the old spelling of
 * `--transport-version`, which scripts written before the rename still pass.
 */
import { Command, CommanderError, Option } from 'commander';
import { InputError } from '../scenarios/index.ts';
import { DEFAULT_SHRINK_RUNS } from '../sim/shrink/index.ts';
import { CULPRIT_RUNS_MAX } from '../sim/campaign/index.ts';
import {
  collectDefect,
  parseRunCount,
  parseSeconds,
  parseSeed,
  parseShard,
  parseShrinkRuns,
  parseCulpritRuns,
  parseVersionName,
  parseWorkers,
} from './parse-options.ts';
import { UsageError } from './usage-error.ts';
import { printErr, printJson } from './output.ts';
import { visibleText } from './terminal-text.ts';
import { runCommand } from './run-command.ts';
import { replayCommand } from './replay-command.ts';
import { fuzzCommand } from './fuzz-command.ts';
import { shrinkCommand } from './shrink-command.ts';
import { reportCommand } from './report-command.ts';
import { listCommand } from './list-command.ts';
import { scoreCommand } from './score-command.ts';
import { DEFAULT_SCORE_RUNS, DEFAULT_SCORE_SHRINK_RUNS } from '../sim/campaign/index.ts';
import { mainJob } from './main-job.ts';
import { mergeCommand } from './merge-command.ts';
import { cleanCommand } from './clean-command.ts';
import { packageVersion } from './package-version.ts';
import { COMMAND_EXAMPLES, EXIT_CODES_HELP } from './help-text.ts';

export const USAGE_EXIT_CODE = 2;
const INTERNAL_ERROR_EXIT_CODE = 3;

const TRANSPORT_HELP = 'a module whose default export is a TransportFactory (default: the bundled transport)';
const RECORDED_TRANSPORT_HELP = 'a transport module to use instead of the one the repro recorded';
/** The commands that run a transport, and what `--transport` means to each. */
const TRANSPORT_OPTION_HELP: Record<string, string> = {
  run: TRANSPORT_HELP,
  fuzz: TRANSPORT_HELP,
  score: TRANSPORT_HELP,
  replay: RECORDED_TRANSPORT_HELP,
  shrink: RECORDED_TRANSPORT_HELP,
  report: RECORDED_TRANSPORT_HELP,
};

function addTransportOptions(program: Command): Command {
  for (const command of program.commands) {
    const help = TRANSPORT_OPTION_HELP[command.name()];
    if (help !== undefined) command.option('--transport <module>', help);
  }
  return program;
}

function versionOptions(command: Command): Command {
  return command
    .addOption(
      new Option(
        '--transport-version <name>',
        'transport version: base, pr396-r1, pr396, fixed (default fixed)',
      ).argParser(parseVersionName),
    )
    .addOption(
      new Option('--version <name>', 'the old spelling of --transport-version').argParser(parseVersionName).hideHelp(),
    )
    .addOption(
      new Option('--defect <id>', 'switch on one more defect (repeatable; see ssesim list)').argParser(collectDefect),
    );
}

type SetCode = (code: number) => void;

function buildProgram(setCode: SetCode): Command {
  const program = new Command('ssesim')
    .description(
      'Deterministic simulation and chaos testing of the SSE chat transport.\n' +
        'With no command: a short fuzz campaign on the fixed version (the main job).',
    )
    .version(packageVersion(), '-V, --version', "print ssesim's version")
    .enablePositionalOptions()
    .exitOverride()
    .configureOutput({ outputError: () => {} })
    .showSuggestionAfterError(true)
    .addHelpText('after', `\n${EXIT_CODES_HELP}`);
  addRunCommands(program, setCode);
  addFuzzCommand(program, setCode);
  addFileCommands(program, setCode);
  addCampaignFileCommands(program, setCode);
  for (const command of program.commands) {
    command.exitOverride().configureOutput({ outputError: () => {} });
    const example = COMMAND_EXAMPLES[command.name()];
    if (example) command.addHelpText('after', `\nExample:\n  ${example}\n\n${EXIT_CODES_HELP}`);
  }
  return addTransportOptions(program);
}

/** merge and clean: the commands over the folders campaigns leave. */
function addCampaignFileCommands(program: Command, setCode: SetCode): void {
  program
    .command('merge')
    .description("combine the --out folders of a sharded campaign's shards into one summary, JUnit file and findings")
    .argument('<dirs...>', 'the folders `fuzz --shard I/N --out DIR` wrote')
    .requiredOption('--out <dir>', 'folder for the merged summary.json, summary.txt, junit.xml and repros')
    .option('--json', 'one JSON object on stdout')
    .action(async (dirs: string[], options) => setCode(await mergeCommand(dirs, options)));
  program
    .command('clean')
    .description('remove what ssesim wrote in .ssesim/ (job reports, repros); nothing else, and it asks nothing')
    .argument('[dir]', 'the ssesim folder (default .ssesim)')
    .option('--json', 'one JSON object on stdout')
    .action((dir: string | undefined, options) => setCode(cleanCommand(dir, options)));
}

/** list, run and replay: the commands of one run. */
function addRunCommands(program: Command, setCode: SetCode): void {
  program
    .command('list')
    .description('list scenarios, versions, defects and properties')
    .option('--json', 'one JSON object on stdout')
    .action((options) => setCode(listCommand(options)));
  versionOptions(
    program
      .command('run')
      .description('run one scenario under one seed; with --seed alone, the generated run a campaign made from it')
      .argument(
        '[scenario]',
        'a scenario name (ssesim list), a scenario JSON file, or `generated` (default with --seed)',
      ),
  )
    .option('--seed <n>', 'PRNG seed (default 1)', parseSeed)
    .option('--json', 'one JSON object on stdout')
    .option('--out <dir>', 'write the HTML report, Perfetto trace, timeline, result.json and any repro here')
    .option('--check-determinism', 'run twice and fail unless the traces are identical')
    .option(
      '--store <file>',
      "keep the server's SQLite database in this file (default in memory); " +
        'an existing file must be a store an earlier run wrote, and is replaced',
    )
    .action(async (scenario: string | undefined, options) => setCode(await runCommand(scenario, options)));
  program
    .command('replay')
    .description('rerun a repro file and say whether its trace is identical')
    .argument('<repro>', 'a repro JSON file')
    .option('--json', 'one JSON object on stdout')
    .action(async (path: string, options) => setCode(await replayCommand(path, options)));
}

function addFuzzCommand(program: Command, setCode: SetCode): void {
  versionOptions(
    program
      .command('fuzz')
      .description('a fuzzing campaign: generated scenarios (or --scenario) under consecutive seeds'),
  )
    .addOption(new Option('--runs <n>', 'number of runs (default 100)').argParser(parseRunCount).conflicts('time'))
    .addOption(new Option('--time <seconds>', 'run until this much wall time has passed').argParser(parseSeconds))
    .option('--seed <n>', 'seed of run 0; run i uses seed + i (default 1)', parseSeed)
    .option(
      '--workers <k>',
      'threads running runs, this one and k-1 worker threads (default 1, at most the core count); ' +
        'the findings do not depend on it',
      parseWorkers,
    )
    .option('--force-workers', 'allow more --workers than cores (slower; for testing the pool)')
    .option('--shard <i/n>', 'run only the indexes i with i % n = i-1 (CI split)', parseShard)
    .option('--scenario <name>', 'fuzz this scenario under varying seeds instead of generated ones')
    .option(
      '--steer',
      'steer generated scenarios toward rarely hit coverage probes, in epochs; the runs do not depend on --workers',
    )
    .option(
      '--shrink-runs <n>',
      `run budget for shrinking each finding, 0 to skip (default ${DEFAULT_SHRINK_RUNS})`,
      parseShrinkRuns,
    )
    .option(
      '--culprit-runs <n>',
      `experiment runs per finding for finding its culprits, 0 to skip (default ${CULPRIT_RUNS_MAX})`,
      parseCulpritRuns,
    )
    .option(
      '--out <dir>',
      "write repros, summary.txt, junit.xml and the first finding's report here (default repros in .ssesim/repros)",
    )
    .option('--json', 'one JSON object on stdout')
    .action(async (options) => setCode(await fuzzCommand(options)));
}

/** shrink, score and report: the commands that work from repros and results, and the score. */
function addFileCommands(program: Command, setCode: SetCode): void {
  program
    .command('shrink')
    .description('shrink a repro to a smaller scenario that fails the same way (same seed)')
    .argument('<repro>', 'a repro JSON file')
    .option('--out <file>', 'write the shrunk repro to this file (default: beside the input, named -shrunk)')
    .option('--runs <n>', `run budget (default ${DEFAULT_SHRINK_RUNS})`, parseShrinkRuns)
    .option('--property <p>', 'the violated property to keep failing (default: the one the repro is named after)')
    .option('--json', 'one JSON object on stdout')
    .option(
      '--promote',
      'also save the shrunk run as scenarios/regressions/<defect>.json ' +
        '(a repro of one defect on fixed; never overwrites)',
    )
    .action(async (path: string, options) => setCode(await shrinkCommand(path, options)));
  program
    .command('score')
    .description("how well fuzzing finds each catalogued defect alone on fixed, and each version's defects")
    .option(
      '--runs <n>',
      `runs per defect and per version campaign before giving up (default ${DEFAULT_SCORE_RUNS})`,
      parseRunCount,
    )
    .option(
      '--budget-s <seconds>',
      'also give up after this many wall seconds per defect and per version campaign (default: no time limit)',
      parseSeconds,
    )
    .option('--seed <n>', 'seed of run 0; run i uses seed + i (default 1)', parseSeed)
    .addOption(
      new Option('--defect <id>', 'score only this defect (repeatable); skips the version campaigns').argParser(
        collectDefect,
      ),
    )
    .option(
      '--shrink-runs <n>',
      `run budget for shrinking each finding, 0 to skip (default ${DEFAULT_SCORE_SHRINK_RUNS})`,
      parseShrinkRuns,
    )
    .option('--no-versions', 'skip the campaigns on whole versions')
    .option('--steer', 'steer generated scenarios toward rarely hit coverage probes, in epochs')
    .option('--promote', 'write each shrunk finding to scenarios/regressions/<defect>.json (never overwrites)')
    .option('--json', 'one JSON object on stdout')
    .action(async (options) => setCode(await scoreCommand(options)));
  program
    .command('report')
    .description('write the HTML report, Perfetto trace and text timeline of a run')
    .argument('<file>', 'a repro file or a result.json from run --out')
    .requiredOption('--out <dir>', 'folder for the report files')
    .option('--json', 'one JSON object on stdout')
    .action(async (path: string, options) => setCode(await reportCommand(path, options)));
}

export async function main(argv: readonly string[]): Promise<number> {
  let code = 0;
  try {
    if (argv.length === 0) return await mainJob();
    await buildProgram((c) => (code = c)).parseAsync([...argv], { from: 'user' });
    return code;
  } catch (err) {
    const code = exitCodeForError(err);
    // Under --json, stdout is always one JSON object: a script reads the error there too.
    if (code !== 0 && argv.includes('--json')) printJson(errorObject(err, code));
    return code;
  }
}

/** The error as data: what went wrong, each problem of a bad file with its field, the exit code. */
function errorObject(err: unknown, exitCode: number): { error: Record<string, unknown>; exitCode: number } {
  if (err instanceof InputError) {
    const problems = err.problems.map(({ field, detail }) => ({ field, detail }));
    return { error: { kind: 'bad-input', code: err.code, message: err.message, problems }, exitCode };
  }
  if (err instanceof CommanderError) return { error: { kind: 'usage', message: oneLine(err.message) }, exitCode };
  const message = err instanceof Error ? err.message : String(err);
  return { error: { kind: exitCode === USAGE_EXIT_CODE ? 'usage' : 'internal', message }, exitCode };
}

/** Commander's first line is the error; ours are one line by construction, shown whole and escaped. */
function oneLine(text: string): string {
  return visibleText(text.split('\n')[0]!.replace(/^error: /, ''));
}

function exitCodeForError(err: unknown): number {
  if (err instanceof CommanderError) {
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version') return 0;
    // A bare `ssesim <unknown>` or a missing subcommand prints the help itself.
    if (err.code !== 'commander.help') printErr(`ssesim: ${oneLine(err.message)}`);
    return USAGE_EXIT_CODE;
  }
  if (err instanceof UsageError || err instanceof InputError) {
    printErr(`ssesim: ${visibleText(err.message)}`);
    return USAGE_EXIT_CODE;
  }
  const error = err instanceof Error ? err : new Error(String(err));
  printErr(`ssesim: internal error: ${error.stack ?? error.message}`);
  return INTERNAL_ERROR_EXIT_CODE;
}
