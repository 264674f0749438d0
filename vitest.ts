/**
 * The package's test helpers (`import ... from 'ssesim/vitest'`): a fast-check property that runs
 * generated scenarios against a transport and, when one fails, leaves a repro and an HTML report
 * and names the command that replays it. It needs only fast-check (a peer dependency), so it works
 * under any test runner; the entry is named for the one a TypeScript project most likely uses.
 */
export { DEFAULT_PROPERTY_OUT_DIR, TransportPropertyFailure, transportProperty } from './reports/index.ts';
export type { FailureFilePaths, TransportPropertyOptions } from './reports/index.ts';
