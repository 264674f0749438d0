/**
 * Reading a JSON file a user named (a repro, a result): a missing file, an unreadable one and bad
 * JSON each end as one ReproError naming the file, never as a raw fs or parse error.
 */
import { readFileSync } from 'node:fs';
import { ReproError } from './repro-error.ts';

export function readJsonFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ReproError('(file)', code === 'ENOENT' ? 'no such file' : `cannot read file (${(err as Error).message})`, path);
  }
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new ReproError('(file)', `invalid JSON (${(err as Error).message})`, path);
  }
}
