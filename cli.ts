/**
 * ssesim command-line entry: `npx tsx cli.ts <command>` (or the `ssesim` bin). The commands live
 * in cli/; this file only runs them and sets the exit code.
 */
import { main } from './cli/program.ts';

process.exitCode = await main(process.argv.slice(2));
