/**
 * ssesim command-line entry: `npx tsx cli.ts <command>` (or the `ssesim` bin). The commands live
 * in cli/; this file only runs them and sets the exit code.
 */
import { main } from './cli/program.ts';

// A reader that stops early (`ssesim list | head`) closes the pipe: that ends the output, not the
// program with a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

process.exitCode = await main(process.argv.slice(2));
// The command is done and its output written; a signal while the process winds down (worker
// threads ending) ends it with the code already decided rather than as killed.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => process.exit(process.exitCode));
