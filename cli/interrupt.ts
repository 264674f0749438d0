/**
 * Ctrl-C (SIGINT) or SIGTERM during a campaign: the first signal asks the campaign to stop
 * dispatching runs, so the runs in flight finish, their repros get written and the summary of the
 * runs done is printed and saved (exit 130). Signals often come in pairs (`npx` forwards the one
 * the terminal already sent to the whole process group), so a second signal before the summary is
 * out does not cut it short; once the summary is out, any further signal quits at once. Repros are
 * written atomically, so none is left half-written either way.
 */
import { printErr } from './output.ts';

export const INTERRUPTED_EXIT_CODE = 130;

const STOP_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];

export interface InterruptWatch {
  stopRequested: () => boolean;
  /** The summary is printed and saved: from now on a signal quits at once. */
  summaryWritten: () => void;
  dispose: () => void;
}

export function watchInterrupt(): InterruptWatch {
  let signals = 0;
  let quitOnSignal = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (quitOnSignal) process.exit(INTERRUPTED_EXIT_CODE);
    signals += 1;
    if (signals === 1)
      printErr(`\ninterrupted (${signal}): finishing the runs in flight, then the summary of the runs done`);
    else if (signals === 2) printErr(`${signal} again: the summary comes first; a signal after it quits at once`);
  };
  for (const signal of STOP_SIGNALS) process.on(signal, onSignal);
  return {
    stopRequested: () => signals > 0,
    summaryWritten: () => {
      quitOnSignal = true;
    },
    dispose: () => {
      for (const signal of STOP_SIGNALS) process.off(signal, onSignal);
    },
  };
}
