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
export { isStillOwned, ownedFile, rewriteOwnedFile } from './owned-file.ts';
export type { OwnedFile } from './owned-file.ts';
export { validateRepro } from './repro-check.ts';
export { ReproError } from './repro-error.ts';
export { replayRepro, reproTransport } from './replay.ts';
export type { ReplayOptions } from './replay.ts';
export {
  readRepro,
  readReproTrace,
  reproTexts,
  reproCommand,
  shellWord,
  traceSidecarPath,
  writeRepro,
  writeReproFile,
} from './repro.ts';
export type { Repro, WriteReproOptions, WrittenRepro } from './repro.ts';
export { TransportModuleError, loadTransportModule, transportModuleOf } from './transport-module.ts';
export type { TransportModule, TransportModuleOptions, TransportModuleRecord } from './transport-module.ts';
