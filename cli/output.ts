/**
 * Where the CLI writes. stdout carries results (one JSON object with --json), stderr carries
 * everything for people: progress, notices, errors.
 */

export function printOut(line: string): void {
  process.stdout.write(`${line}\n`);
}

export function printErr(line: string): void {
  process.stderr.write(`${line}\n`);
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
