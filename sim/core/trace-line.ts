/**
 * A trace line's text and its UTF-8 bytes. A line is `[t,"actor","kind",{details}]`: the text
 * JSON.stringify gives for that array, except that an Error among the details keeps its name and
 * message instead of becoming `{}`, and a bigint is written as a string instead of throwing.
 *
 * `LineBytes` writes lines straight into a byte buffer as steps are recorded, thousands per run:
 * building each line as strings first (the quoted names looked up in maps, numbers turned into
 * strings, everything encoded again afterwards) was most of the trace's cost.
 */

/** The line of one entry, as a string: for entries read back, compared or shown. */
export function entryLine(t: number, actor: string, kind: string, details: Record<string, unknown> = {}): string {
  const time = Number.isFinite(t) ? String(t) : 'null';
  return `[${time},${JSON.stringify(String(actor))},${JSON.stringify(String(kind))},${detailsJson(details)}]`;
}

const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const COMMA = 0x2c;
const COLON = 0x3a;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const NEWLINE = 0x0a;
const DIGIT_ZERO = 0x30;
/** Code units from this on are not ASCII: encoded in more than one byte, or escaped if lone surrogates. */
const PLAIN_END = 0x80;
/** Below this a code unit is a control character, which JSON escapes. */
const PLAIN_START = 0x20;

/** The two-character escapes JSON.stringify uses for these control characters; the others are `\\u00xx`. */
const SHORT_ESCAPES: Readonly<Record<number, number>> = { 0x08: 0x62, 0x09: 0x74, 0x0a: 0x6e, 0x0c: 0x66, 0x0d: 0x72 };
const HEX_DIGITS = '0123456789abcdef';

/**
 * Longer strings are written from JSON.stringify's text: copying one reserves room for its
 * longest escaping, which would grow the block for good.
 */
const COPIED_CHARS_MAX = 4096;

/** Integers up to this are written digit by digit; String() writes them the same way. */
const DIGITS_MAX = Number.MAX_SAFE_INTEGER;

/** Lines, each followed by a newline, as UTF-8 in a buffer outside the JavaScript heap. */
export class LineBytes {
  private bytes: Buffer;
  /** Bytes written so far. */
  length = 0;

  constructor(initialBytes: number) {
    this.bytes = Buffer.allocUnsafeSlow(initialBytes);
  }

  /** The bytes written since the last `clear`: valid until the next write. */
  view(): Buffer {
    return this.bytes.subarray(0, this.length);
  }

  text(): string {
    return this.bytes.toString('utf8', 0, this.length);
  }

  clear(): void {
    this.length = 0;
  }

  /** Appends the line of one entry and a newline. */
  writeLine(t: number, actor: string, kind: string, details: Record<string, unknown> = {}): void {
    this.byte(OPEN_BRACKET);
    if (Number.isFinite(t)) this.number(t);
    else this.ascii('null');
    this.byte(COMMA);
    this.string(typeof actor === 'string' ? actor : String(actor));
    this.byte(COMMA);
    this.string(typeof kind === 'string' ? kind : String(kind));
    this.byte(COMMA);
    if (isFlat(details)) this.flat(details);
    else this.utf8(detailsJson(details));
    this.byte(CLOSE_BRACKET);
    this.byte(NEWLINE);
  }

  /** JSON.stringify's text of a flat object (`isFlat`), member by member. */
  private flat(details: Record<string, unknown>): void {
    let first = true;
    // A plain object's for-in walks its own keys in Object.keys order, without building their array.
    for (const key in details) {
      if (!Object.hasOwn(details, key)) continue;
      const value = details[key];
      const type = typeof value;
      if (type !== 'string' && type !== 'number' && type !== 'boolean' && value !== null) continue;
      this.byte(first ? OPEN_BRACE : COMMA);
      this.string(key);
      this.byte(COLON);
      if (type === 'string') this.string(value as string);
      else if (type === 'number') {
        if (Number.isFinite(value)) this.number(value as number);
        else this.ascii('null');
      } else if (type === 'boolean') this.ascii(value ? 'true' : 'false');
      else this.ascii('null');
      first = false;
    }
    if (first) this.byte(OPEN_BRACE);
    this.byte(CLOSE_BRACE);
  }

  /** A finite number as JSON (String's text): whole ones digit by digit, without a string. */
  private number(value: number): void {
    if (!(Number.isInteger(value) && value >= 0 && value <= DIGITS_MAX)) {
      this.ascii(String(value));
      return;
    }
    let digits = 1;
    for (let bound = 10; value >= bound && digits < 16; bound *= 10) digits += 1;
    this.room(digits);
    const bytes = this.bytes;
    let at = this.length + digits;
    let rest = value;
    do {
      bytes[--at] = DIGIT_ZERO + (rest % 10);
      rest = Math.floor(rest / 10);
    } while (rest > 0);
    this.length += digits;
  }

  /**
   * A string as JSON, escaped as JSON.stringify escapes it, written code unit by code unit while
   * it is ASCII; a string with any other character is written from JSON.stringify's text.
   */
  private string(value: string): void {
    const chars = value.length;
    if (chars > COPIED_CHARS_MAX) {
      this.utf8(JSON.stringify(value));
      return;
    }
    // Every ASCII unit takes at most six bytes escaped (\u00xx), plus the quotes.
    this.room(chars * 6 + 2);
    const bytes = this.bytes;
    let at = this.length;
    bytes[at++] = QUOTE;
    for (let index = 0; index < chars; index++) {
      const code = value.charCodeAt(index);
      if (code >= PLAIN_START && code < PLAIN_END) {
        if (code === QUOTE || code === BACKSLASH) bytes[at++] = BACKSLASH;
        bytes[at++] = code;
      } else if (code < PLAIN_START) {
        at = writeControlEscape(bytes, at, code);
      } else {
        this.utf8(JSON.stringify(value));
        return;
      }
    }
    bytes[at++] = QUOTE;
    this.length = at;
  }

  /** Text known to be ASCII (a number's or a literal's). */
  private ascii(text: string): void {
    this.room(text.length);
    const bytes = this.bytes;
    let at = this.length;
    for (let index = 0; index < text.length; index++) bytes[at++] = text.charCodeAt(index);
    this.length = at;
  }

  /** Any text, as UTF-8 (well-formed: JSON.stringify escapes lone surrogates). */
  private utf8(text: string): void {
    this.room(text.length * 3);
    this.length += this.bytes.write(text, this.length, 'utf8');
  }

  private byte(value: number): void {
    this.room(1);
    this.bytes[this.length++] = value;
  }

  /** Makes room for `bytes` more bytes (UTF-8 takes at most three per UTF-16 unit). */
  private room(bytes: number): void {
    if (this.length + bytes <= this.bytes.length) return;
    const larger = Buffer.allocUnsafeSlow(Math.max(this.length + bytes, this.bytes.length * 2));
    this.bytes.copy(larger, 0, 0, this.length);
    this.bytes = larger;
  }
}

/** A control character's escape at `at`; returns the index after it. */
function writeControlEscape(bytes: Buffer, at: number, code: number): number {
  bytes[at++] = BACKSLASH;
  const short = SHORT_ESCAPES[code];
  if (short !== undefined) {
    bytes[at++] = short;
    return at;
  }
  bytes[at++] = 0x75; // u
  bytes[at++] = DIGIT_ZERO;
  bytes[at++] = DIGIT_ZERO;
  bytes[at++] = HEX_DIGITS.charCodeAt(code >> 4);
  bytes[at++] = HEX_DIGITS.charCodeAt(code & 0xf);
  return at;
}

/**
 * A plain object whose members are all strings, numbers, booleans or null (or what JSON leaves
 * out: undefined, a function, a symbol): written member by member.
 */
function isFlat(details: Record<string, unknown>): boolean {
  for (const key in details) {
    const value = details[key];
    if (typeof value === 'bigint' || (typeof value === 'object' && value !== null)) return false;
  }
  return Object.getPrototypeOf(details) === Object.prototype && !('toJSON' in details);
}

/** JSON.stringify's text of the details, a bigint or an Error among them made readable. */
function detailsJson(details: Record<string, unknown>): string {
  for (const key in details) {
    const value = details[key];
    if (typeof value === 'bigint' || value instanceof Error) return JSON.stringify(details, readable);
  }
  try {
    return JSON.stringify(details);
  } catch (error) {
    // A bigint deeper down; a cycle throws again, naming itself.
    if (error instanceof TypeError && /BigInt/.test(error.message)) return JSON.stringify(details, readable);
    throw error;
  }
}

function readable(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Error) return { name: value.name, message: value.message };
  return value;
}
