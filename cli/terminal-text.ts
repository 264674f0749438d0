/**
 * Text from files (a repro's version name, a violation message, a trace entry) reaches the
 * terminal through here. Control characters would let a crafted file move the cursor, recolour or
 * retitle the terminal, or hide text (escape sequences start with ESC or the one-byte CSI), and
 * bidirectional overrides reorder what a reader sees; each is shown as a visible escape instead.
 */

// C0 controls, DEL, C1 controls, line and paragraph separators, bidirectional marks and overrides.
// eslint-disable-next-line no-control-regex
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
// The same set without newline and tab, for output whose own lines are separated by newlines.
// eslint-disable-next-line no-control-regex
const INVISIBLE_BUT_LINES =
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

// What JSON.stringify leaves raw inside strings: it escapes C0 controls itself.
const RAW_IN_JSON = /[\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function visibleForm(char: string): string {
  const code = char.charCodeAt(0);
  return NAMED[char] ?? (code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16)}`);
}

/** One line of text, every control character escaped: for a value inserted into a message. */
export function visibleText(text: string): string {
  return text.replace(INVISIBLE, visibleForm);
}

/** Lines of output: control characters escaped, the newlines and tabs that lay it out kept. */
export function visibleLines(text: string): string {
  return text.replace(INVISIBLE_BUT_LINES, visibleForm);
}

/**
 * JSON whose strings hold only printable characters: JSON.stringify already escapes C0 controls,
 * but writes DEL, C1 controls and bidirectional overrides raw. Outside strings JSON is ASCII
 * punctuation, so a `\uXXXX` escape here is always inside a string and keeps the same value.
 */
export function visibleJson(json: string): string {
  return json.replace(RAW_IN_JSON, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
