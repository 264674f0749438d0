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
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const STRING_BODY = /(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*/y;

class Scanner {
  pos = 0;
  constructor(readonly text: string) {}

  fail(detail: string): never {
    const next = this.text[this.pos];
    throw new Found(
      this.pos,
      next === undefined ? `${detail}, found end of input` : `${detail}, found ${JSON.stringify(next)}`,
    );
  }

  skipSpace(): void {
    while (' \t\n\r'.includes(this.text[this.pos] ?? '.')) this.pos++;
  }

  expect(char: string, detail: string): void {
    this.skipSpace();
    if (this.text[this.pos] !== char) this.fail(detail);
    this.pos++;
  }

  match(pattern: RegExp): string | undefined {
    pattern.lastIndex = this.pos;
    const m = pattern.exec(this.text);
    if (m === null || m[0].length === 0) return undefined;
    this.pos += m[0].length;
    return m[0];
  }

  value(): void {
    this.skipSpace();
    const c = this.text[this.pos];
    if (c === '{') return this.object();
    if (c === '[') return this.array();
    if (c === '"') return void this.string();
    const literal = LITERALS.find((word) => this.text.startsWith(word, this.pos));
    if (literal !== undefined) return void (this.pos += literal.length);
    if (this.match(NUMBER) === undefined) this.fail('expected a value');
  }

  string(): string {
    const start = this.pos;
    this.pos++;
    this.match(STRING_BODY);
    if (this.text[this.pos] !== '"') this.fail('expected a closing quote or a valid escape');
    this.pos++;
    return JSON.parse(this.text.slice(start, this.pos)) as string;
  }

  object(): void {
    this.pos++;
    const keys = new Set<string>();
    this.skipSpace();
    if (this.text[this.pos] === '}') return void this.pos++;
    for (;;) {
      this.skipSpace();
      const keyOffset = this.pos;
      if (this.text[this.pos] !== '"') this.fail('expected a property name in double quotes');
      const key = this.string();
      if (keys.has(key)) throw new Found(keyOffset, `duplicate key ${JSON.stringify(key)}`);
      keys.add(key);
      this.expect(':', "expected ':'");
      this.value();
      this.skipSpace();
      if (this.text[this.pos] === '}') return void this.pos++;
      this.expect(',', "expected ',' or '}'");
    }
  }

  array(): void {
    this.pos++;
    this.skipSpace();
    if (this.text[this.pos] === ']') return void this.pos++;
    for (;;) {
      this.value();
      this.skipSpace();
      if (this.text[this.pos] === ']') return void this.pos++;
      this.expect(',', "expected ',' or ']'");
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
  const before = text.slice(0, offset);
  const lineStart = before.lastIndexOf('\n') + 1;
  return { line: before.split('\n').length, column: offset - lineStart + 1 };
}
