/**
 * The trace of one run: every step the simulator took, in order, as structured entries. Each
 * entry is serialised to one canonical JSON line (sorted keys) when it is appended, so the hash
 * is a pure function of what happened: two runs of the same seed hash the same, and the first
 * differing line explains a divergence.
 */
import { createHash, type Hash } from 'node:crypto';

export interface TraceEntry {
  readonly index: number;
  /** Virtual milliseconds (the caller decides the origin, usually the start of the run). */
  readonly t: number;
  readonly actor: string;
  readonly kind: string;
  readonly details: Record<string, unknown>;
}

/** Where an appended step landed: its index (evidence for violations) and its time. */
export type TraceRef = Pick<TraceEntry, 'index' | 't'>;

export type TraceInput = Omit<TraceEntry, 'index' | 'details'> & { details?: Record<string, unknown> };

export interface Divergence {
  index: number;
  left: TraceEntry | null;
  right: TraceEntry | null;
}

export class Trace {
  /** Entries parsed back from their lines, on demand: most runs never look at them. */
  private readonly items: TraceEntry[] = [];
  private readonly lines: string[] = [];
  private readonly digest: Hash = createHash('sha256');

  static fromEntries(entries: readonly TraceInput[]): Trace {
    const trace = new Trace();
    for (const entry of entries) trace.append(entry);
    return trace;
  }

  /** Parses the output of `toJsonLines`. */
  static fromJsonLines(text: string): Trace {
    const entries = text
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as TraceInput);
    return Trace.fromEntries(entries);
  }

  /**
   * Records one step. The canonical line is written now, so a caller mutating its details object
   * later cannot rewrite history; the entry objects of `entries()` are parsed from these lines.
   */
  append(input: TraceInput): TraceRef;
  append(t: number, actor: string, kind: string, details?: Record<string, unknown>): TraceRef;
  append(first: TraceInput | number, actor?: string, kind?: string, details?: Record<string, unknown>): TraceRef {
    const input: TraceInput = typeof first === 'number' ? { t: first, actor: actor ?? '', kind: kind ?? '', details } : first;
    const index = this.lines.length;
    const line = entryLine(index, input);
    this.lines.push(line);
    this.digest.update(line);
    this.digest.update('\n');
    return { index, t: input.t };
  }

  entries(): readonly TraceEntry[] {
    for (let index = this.items.length; index < this.lines.length; index++) {
      this.items.push(JSON.parse(this.lines[index]!) as TraceEntry);
    }
    return this.items;
  }

  get length(): number {
    return this.lines.length;
  }

  /** Canonical JSON lines, one per entry. */
  canonicalLines(): readonly string[] {
    return this.lines;
  }

  toJsonLines(): string {
    return this.lines.map((line) => `${line}\n`).join('');
  }

  /** sha256 hex of the canonical lines, each followed by a newline. */
  hash(): string {
    return this.digest.copy().digest('hex');
  }
}

/** First index where the two traces differ (an entry missing on one side counts), or null. */
export function firstDivergence(a: Trace | readonly TraceEntry[], b: Trace | readonly TraceEntry[]): Divergence | null {
  const left = linesOf(a);
  const right = linesOf(b);
  const leftEntries = a instanceof Trace ? a.entries() : a;
  const rightEntries = b instanceof Trace ? b.entries() : b;
  const length = Math.max(left.length, right.length);
  for (let index = 0; index < length; index++) {
    if (left[index] !== right[index]) {
      return { index, left: leftEntries[index] ?? null, right: rightEntries[index] ?? null };
    }
  }
  return null;
}

function linesOf(source: Trace | readonly TraceEntry[]): readonly string[] {
  return source instanceof Trace ? source.canonicalLines() : source.map((entry) => canonicalJson(entry));
}

/**
 * The canonical line of one entry, written with its five members in their sorted order; the same
 * text `canonicalJson` gives for the whole entry, without sorting the entry's own keys each time.
 */
function entryLine(index: number, input: TraceInput): string {
  const actor = member('actor', input.actor);
  const details = member('details', input.details ?? {});
  const kind = member('kind', input.kind);
  const t = member('t', input.t);
  // Members are always present in practice; the general path keeps JSON's dropping of undefined.
  if (actor && details && kind && t) return `{${actor},${details},"index":${index},${kind},${t}}`;
  return `{${[actor, details, member('index', index), kind, t].filter((text) => text !== '').join(',')}}`;
}

function member(key: string, value: unknown): string {
  const text = canonicalJson(value) as string | undefined;
  return text === undefined ? '' : `"${key}":${text}`;
}

/**
 * JSON with object keys sorted at every level. Follows JSON.stringify for everything else
 * (undefined members dropped, non-finite numbers as null, toJSON honoured), except that an
 * Error keeps its name and message instead of becoming `{}`. Every trace line goes through it,
 * so it is kept lean: ancestors for the cycle check live in a short array, not a Set.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value, []));
}

function sortKeys(value: unknown, ancestors: object[]): unknown {
  if (value === null || typeof value !== 'object') {
    return typeof value === 'bigint' ? value.toString() : value;
  }
  if (ancestors.includes(value)) throw new Error('canonicalJson: cyclic value');
  const withJson = value as { toJSON?: () => unknown };
  if (typeof withJson.toJSON === 'function') return sortKeys(withJson.toJSON(), ancestors);
  ancestors.push(value);
  const sorted = Array.isArray(value) ? sortItems(value, ancestors) : value instanceof Error ? { message: value.message, name: value.name } : sortMembers(value as Record<string, unknown>, ancestors);
  ancestors.pop();
  return sorted;
}

function sortItems(items: readonly unknown[], ancestors: object[]): unknown[] {
  const sorted = new Array<unknown>(items.length);
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    sorted[i] = item === undefined ? null : sortKeys(item, ancestors);
  }
  return sorted;
}

function sortMembers(source: Record<string, unknown>, ancestors: object[]): Record<string, unknown> {
  const sorted: Record<string, unknown> = {};
  const keys = Object.keys(source).sort();
  for (const key of keys) {
    const member = source[key];
    if (member === undefined || typeof member === 'function' || typeof member === 'symbol') continue;
    sorted[key] = typeof member === 'object' || typeof member === 'bigint' ? sortKeys(member, ancestors) : member;
  }
  return sorted;
}
