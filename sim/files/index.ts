/**
 * The public surface of sim/files/: what other folders may import from it. Everything else in
 * the folder is internal and may change without notice.
 */
export { writeNew } from './exclusive-write.ts';
export {
  listRegressionFiles,
  readRegression,
  regressionControl,
  regressionVersion,
  writeRegression,
} from './regression.ts';
export { validateRepro } from './repro-check.ts';
export { ReproError } from './repro-error.ts';
export { readRepro, readReproTrace, traceSidecarPath, writeRepro, writeReproFile } from './repro.ts';
export type { Repro, WrittenRepro } from './repro.ts';
