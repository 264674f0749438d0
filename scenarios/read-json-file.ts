/**
 * Reading a JSON file a user named (a scenario, a repro, a regression, a run result). A missing
 * file, an unreadable one, bad JSON and a duplicate key each end as one problem of the caller's
 * error class naming the file (with a line and column for bad JSON), never as a raw fs or parse
 * error.
 */
import { FILE_FIELD } from './input-error.ts';
import { findJsonProblem } from './json-problem.ts';
import { readUserFile } from './read-user-file.ts';
import type { InputErrorClass } from './schema-problems.ts';

export function readJsonFile(path: string, ErrorClass: InputErrorClass): unknown {
  const file = readUserFile(path);
  if (!file.ok) throw new ErrorClass([{ field: FILE_FIELD, detail: file.reason, value: path }], path);
  const problem = findJsonProblem(file.text);
  if (problem !== undefined) {
    const detail = `invalid JSON at line ${problem.line} column ${problem.column}: ${problem.detail}`;
    throw new ErrorClass([{ field: FILE_FIELD, detail, value: path }], path);
  }
  return JSON.parse(file.text);
}
