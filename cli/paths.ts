/** Where the CLI writes when not told otherwise: one hidden folder in the working directory. */
export const SSESIM_DIR = '.ssesim';
/** Repros are kept across runs (never overwritten), so a failing seed found once stays on disk. */
export const DEFAULT_REPRO_DIR = `${SSESIM_DIR}/repros`;
/** The main job's reports, replaced on every `npm run sim`. */
export const LATEST_DIR = `${SSESIM_DIR}/latest`;
