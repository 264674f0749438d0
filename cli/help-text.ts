/** What `--help` says besides the options: the exit codes every command shares, and one example per command. */

export const EXIT_CODES_HELP = [
  'Exit codes:',
  '  0    passed (no finding)',
  '  1    a property failed (a violation, a crash, a finding of a campaign)',
  '  2    bad input or usage',
  '  3    internal error',
  '  130  interrupted (Ctrl-C or SIGTERM; a campaign still writes its summary)',
].join('\n');

export const COMMAND_EXAMPLES: Record<string, string> = {
  list: 'ssesim list --json',
  run: 'ssesim run default --seed 7 --transport-version base --out out/seed7',
  replay: 'ssesim replay .ssesim/repros/repro-pr396-5-no-silent-loss.json',
  fuzz: 'ssesim fuzz --transport-version pr396 --runs 300 --shard 2/3 --out out/shard-2',
  shrink: 'ssesim shrink .ssesim/repros/repro-pr396-5-no-silent-loss.json --promote',
  score: 'ssesim score --defect no-retry-budget --runs 500 --json',
  report: 'ssesim report out/seed7/result.json --out out/seed7-report',
  merge: 'ssesim merge out/shard-1 out/shard-2 out/shard-3 --out out/merged',
  clean: 'ssesim clean',
};
