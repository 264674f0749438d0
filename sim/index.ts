/**
 * The public surface of sim/: what other folders may import from it. Everything else in
 * the folder is internal and may change without notice.
 */
export { runSignatures, signatureProperty, violationSignature } from './failure-signature.ts';
export type { RunResult, RunVersion } from './run-result.ts';
export { runVersionOf, transportVersionOf } from './run-version.ts';
export { runScenario } from './run.ts';
export type { RunOptions } from './run.ts';
