/**
 * Locates the first problem in JSON text. Node 20's JSON.parse says what is wrong but not where
 * ("Unexpected token '}', ... is not valid JSON"), and a scenario author needs a line and column.
 * The scanner also catches a duplicate key, which JSON.parse accepts by silently keeping the last
 * value: in a hand-edited scenario that is a typo as surely as an unknown field is.
 */

export interface JsonProblem {
  line: number;
  column: number;
  detail: string;
}

class Found extends Error {
  constructor(
    readonly offset: number,
    readonly detail: string,
  ) {
    super(detail);
  }
}

const LITERALS = ['true', 'false', 'null'];
/**
 * Containers open at once. Scenarios, repros and results nest a handful of levels; past this a
 * file is crafted, and code that walks parsed values recursively (hashing, printing) would run out
 * of stack on it.
 */
export const MAX_JSON_DEPTH = 100;

const isDigit = (char: string | undefined): boolean => char !== undefined && char >= '0' && char <= '9';

/** An open object (with the keys seen so far, to catch duplicates) or array. */
type Container = { kind: 'object'; keys: Set<string> } | { kind: 'array' };

/**
 * A scanner without recursion: open containers live on an explicit stack, and strings and numbers
 * are read by loops rather than regular expressions, so neither deep nesting nor a huge string can
 * exhaust the call stack.
 */
class Scanner {
  pos = 0;
  private readonly open: Container[] = [];
  constructor(readonly text: string) {}

  fail(detail: string): never {
    const next = this.text[this.pos];
    throw new Found(
      this.pos,
      next === undefined ? `${detail}, found end of input` : `${detail}, found ${JSON.stringify(next)}`,
    );
  }

  skipSpace(): void {
    for (;;) {
      const char = this.text[this.pos];
      if (char !== ' ' && char !== '\t' && char !== '\n' && char !== '\r') return;
      this.pos++;
    }
  }

  expect(char: string, detail: string): void {
    this.skipSpace();
    if (this.text[this.pos] !== char) this.fail(detail);
    this.pos++;
  }

  /** One whole JSON value, however deeply nested. */
  value(): void {
    for (;;) {
      if (this.startValue()) continue;
      if (!this.continueContainers()) return;
    }
  }

  /** Reads a scalar or opens a container; true when a container was opened and awaits its first member. */
  private startValue(): boolean {
    this.skipSpace();
    const c = this.text[this.pos];
    if (c === '{' || c === '[') {
      if (this.open.length >= MAX_JSON_DEPTH)
        throw new Found(this.pos, `nested deeper than ${MAX_JSON_DEPTH} levels (MAX_JSON_DEPTH)`);
      this.pos++;
      this.skipSpace();
      if (this.text[this.pos] === (c === '{' ? '}' : ']')) {
        this.pos++;
        return false;
      }
      const container: Container = c === '{' ? { kind: 'object', keys: new Set() } : { kind: 'array' };
      this.open.push(container);
      if (container.kind === 'object') this.member(container);
      return true;
    }
    const literal = LITERALS.find((word) => this.text.startsWith(word, this.pos));
    if (c === '"') this.string();
    else if (literal !== undefined) this.pos += literal.length;
    else this.number();
    return false;
  }

  /** After a value: closes finished containers; true when another member follows. */
  private continueContainers(): boolean {
    for (;;) {
      const top = this.open.at(-1);
      if (top === undefined) return false;
      this.skipSpace();
      const close = top.kind === 'object' ? '}' : ']';
      if (this.text[this.pos] === close) {
        this.pos++;
        this.open.pop();
        continue;
      }
      this.expect(',', `expected ',' or '${close}'`);
      if (top.kind === 'object') this.member(top);
      return true;
    }
  }

  /** A member's key and colon; the value follows. */
  private member(object: { keys: Set<string> }): void {
    this.skipSpace();
    const keyOffset = this.pos;
    if (this.text[this.pos] !== '"') this.fail('expected a property name in double quotes');
    const key = JSON.parse(this.text.slice(keyOffset, this.string())) as string;
    if (object.keys.has(key)) throw new Found(keyOffset, `duplicate key ${JSON.stringify(key)}`);
    object.keys.add(key);
    this.expect(':', "expected ':'");
  }

  /** Skips a string starting at the opening quote; returns the offset just past its closing quote. */
  string(): number {
    const { text } = this;
    this.pos++;
    for (;;) {
      const code = text.charCodeAt(this.pos);
      if (code === 0x22) return ++this.pos;
      if (code === 0x5c) {
        const escaped = text[this.pos + 1];
        if (escaped !== undefined && '"\\/bfnrt'.includes(escaped)) this.pos += 2;
        else if (escaped === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(this.pos + 2, this.pos + 6))) this.pos += 6;
        else this.fail('expected a closing quote or a valid escape');
      } else if (Number.isNaN(code) || code < 0x20) {
        this.fail('expected a closing quote or a valid escape');
      } else {
        this.pos++;
      }
    }
  }

  /** `-?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?`; a part that does not follow the grammar is left unread. */
  number(): void {
    const { text } = this;
    const start = this.pos;
    if (text[this.pos] === '-') this.pos++;
    if (text[this.pos] === '0') this.pos++;
    else if (isDigit(text[this.pos])) while (isDigit(text[this.pos])) this.pos++;
    else {
      this.pos = start;
      this.fail('expected a value');
    }
    if (text[this.pos] === '.' && isDigit(text[this.pos + 1])) {
      this.pos++;
      while (isDigit(text[this.pos])) this.pos++;
    }
    if (text[this.pos] === 'e' || text[this.pos] === 'E') {
      const sign = text[this.pos + 1] === '+' || text[this.pos + 1] === '-' ? 1 : 0;
      if (isDigit(text[this.pos + 1 + sign])) {
        this.pos += 1 + sign;
        while (isDigit(text[this.pos])) this.pos++;
      }
    }
  }
}

/** The first syntax error or duplicate key in `text`, or undefined when it is clean JSON. */
export function findJsonProblem(text: string): JsonProblem | undefined {
  const scanner = new Scanner(text);
  try {
    scanner.value();
    scanner.skipSpace();
    if (scanner.pos < text.length) scanner.fail('expected end of input after the JSON value');
    return undefined;
  } catch (err) {
    if (!(err instanceof Found)) throw err;
    return { ...lineColumn(text, err.offset), detail: err.detail };
  }
}

/** 1-based line and column of a character offset, as editors count them. */
function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}
