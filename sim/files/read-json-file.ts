/**
 * Reading a JSON file a user named (a repro, a result): a missing file, an unreadable one and bad
 * JSON each end as one ReproError naming the file, never as a raw fs or parse error.
 */
import { readUserFile } from '../../scenarios/read-user-file.ts';
import { ReproError } from './repro-error.ts';

export function readJsonFile(path: string): unknown {
  const file = readUserFile(path);
  if (!file.ok) throw new ReproError('(file)', file.reason, path);
  try {
    return JSON.parse(file.text);
  } catch (err) {
    throw new ReproError('(file)', `invalid JSON (${(err as Error).message})`, path);
  }
}
