/**
 * Where the CLI writes. stdout carries results (one JSON object with --json), stderr carries
 * everything for people: progress, notices, errors. Every line goes through the terminal-text
 * escaping, since much of what is printed comes from files a user was handed.
 */
import { visibleJson, visibleLines } from './terminal-text.ts';

export function printOut(line: string): void {
  process.stdout.write(`${visibleLines(line)}\n`);
}

export function printErr(line: string): void {
  process.stderr.write(`${visibleLines(line)}\n`);
}

export function printJson(value: unknown): void {
  process.stdout.write(`${visibleJson(JSON.stringify(value, null, 2))}\n`);
}
