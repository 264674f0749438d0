/**
 * ssesim command-line entry: `npx tsx cli.ts <command>` (or the `ssesim` bin). The commands live
 * in cli/; this file only runs them and sets the exit code.
 */
import { INTERRUPTED_EXIT_CODE, isWatchingInterrupts, STOP_SIGNALS } from './cli/interrupt.ts';
import { main } from './cli/program.ts';

// A reader that stops early (`ssesim list | head`) closes the pipe: that ends the output, not the
// program with a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

// Installed before the command runs, so no moment is left in which a signal kills the process
// without an exit code: a campaign watching signals decides for itself; any other command ends as
// interrupted (130); once the command is done, a signal while the process winds down (worker
// threads ending) ends it with the code already decided.
let done = false;
for (const signal of STOP_SIGNALS) {
  process.on(signal, () => {
    if (isWatchingInterrupts()) return;
    process.exit(done ? process.exitCode : INTERRUPTED_EXIT_CODE);
  });
}
process.exitCode = await main(process.argv.slice(2));
done = true;
