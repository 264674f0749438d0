/**
 * A version as plain data (name, defect ids, send path) and back. Repro files and worker threads
 * carry versions as data; the transport needs the Defects set.
 */
import { Defects, type TransportVersion } from '../transport/index.ts';
import type { RunVersion } from './run-result.ts';

export function runVersionOf(version: TransportVersion): RunVersion {
  return { name: version.name, defects: version.defects.list(), sendPath: version.sendPath };
}

export function transportVersionOf(version: RunVersion): TransportVersion {
  return { name: version.name, defects: new Defects(version.defects), sendPath: version.sendPath };
}
