/**
 * Escaping for HTML and XML text and attribute values. Every string that came from a run (prompt
 * text, error messages, details) passes through here, so a payload can never become markup.
 */

const REPLACEMENTS: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

// XML 1.0 forbids most C0 controls even as character references, so they are replaced, not encoded.
// Lone surrogates (a high half without its low half, or a low half without its high) go too.
const INVALID_XML_CHARS = new RegExp(
  [
    // eslint-disable-next-line no-control-regex
    /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/.source,
    /[\uD800-\uDBFF](?![\uDC00-\uDFFF])/.source,
    /(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.source,
  ].join('|'),
  'g',
);

/** Safe in element text and in quoted attribute values, for both HTML and XML. */
export function escapeMarkup(value: unknown): string {
  return String(value)
    .replace(INVALID_XML_CHARS, '\uFFFD')
    .replace(/[&<>"']/g, (ch) => REPLACEMENTS[ch]!);
}
