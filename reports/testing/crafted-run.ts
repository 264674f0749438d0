/**
 * A run result as someone crafting a result.json would write it: markup in every string a report
 * shows (names, messages, trace entries, keys), each of which would retitle the page if it ran.
 * Numbers stay numbers here, since `report` refuses a result.json whose numbers are not; the
 * renderer tests also put markup where the numbers go, to show the escaping does not rely on that.
 */
import { sampleRun } from './sample-run.ts';

export const HOSTILE_TITLE = 'pwned';
export const MARKUP =
  `"'></title></code><script>document.title='${HOSTILE_TITLE}'</script>` +
  `<img src=x onerror="document.title='${HOSTILE_TITLE}'"><svg onload="document.title='${HOSTILE_TITLE}'">`;

/** Every string leaf and key gets the markup appended; the scenario keeps its checked fields. */
function marked(value: unknown, keepKeys: ReadonlySet<string>): unknown {
  if (typeof value === 'string') return `${value}${MARKUP}`;
  if (Array.isArray(value)) return value.map((item) => marked(item, keepKeys));
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, field]) => [keepKeys.has(key) ? key : `${key}${MARKUP}`, marked(field, keepKeys)]),
  );
}

/** The field names of the result's own shape, which the checks fix. */
const SHAPE_KEYS = new Set([
  ...['scenario', 'scenarioHash', 'seed', 'version', 'verdict', 'violations', 'faultCounts', 'traceHash'],
  ...['virtualMs', 'wallMs', 'steps', 'harnessError', 'traceLength', 'trace', 'history', 'entries', 'end', 'limits'],
  ...['name', 'defects', 'sendPath', 'property', 'message', 'subject', 'evidence', 'index', 't', 'actor', 'kind'],
  ...['details', 'phase', 'client', 'sessionId', 'length', 'cursor', 'seq', 'via', 'connectionId'],
]);

/** sampleRun as parsed JSON with markup in every shown string; a valid result.json for `report`. */
export function craftedResultJson(): Record<string, unknown> {
  const run = JSON.parse(JSON.stringify({ ...sampleRun(), harnessError: 'crashed' })) as Record<string, unknown>;
  const { scenario, verdict, faultCounts, ...rest } = run;
  return {
    ...(marked(rest, SHAPE_KEYS) as Record<string, unknown>),
    scenario: { ...(scenario as object), description: `fixture${MARKUP}` },
    verdict,
    faultCounts,
    // Kinds the plots and phases read must stay what they are, so their string fields get rendered.
    history: markedHistory(run.history as { entries: Record<string, unknown>[] }),
  };
}

function markedHistory(history: { entries: Record<string, unknown>[] }): unknown {
  return {
    ...history,
    entries: history.entries.map((entry) => ({ ...(marked(entry, SHAPE_KEYS) as object), kind: entry.kind })),
  };
}
