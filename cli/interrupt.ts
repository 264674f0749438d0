/**
 * Ctrl-C during a campaign: the first SIGINT asks the campaign to stop dispatching runs, so the
 * runs in flight finish, their repros get written and the summary so far is printed (exit 130).
 * A second SIGINT exits at once; repros are written atomically, so none is left half-written.
 */
import { printErr } from './output.ts';

export const INTERRUPTED_EXIT_CODE = 130;

export interface InterruptWatch {
  stopRequested: () => boolean;
  dispose: () => void;
}

export function watchInterrupt(): InterruptWatch {
  let requested = false;
  const onSigint = () => {
    if (requested) process.exit(INTERRUPTED_EXIT_CODE);
    requested = true;
    printErr('\ninterrupted: finishing the runs in flight (Ctrl-C again to quit at once)');
  };
  process.on('SIGINT', onSigint);
  return {
    stopRequested: () => requested,
    dispose: () => {
      process.off('SIGINT', onSigint);
    },
  };
}
