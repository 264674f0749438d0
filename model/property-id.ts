/**
 * The names of the properties the harness checks. The model owns them: checkers, verdicts and
 * every file format name properties by these ids, and the system under test knows none of them.
 */
export const PROPERTY_IDS = [
  'no-silent-loss',
  'send-order',
  'at-most-once',
  'session-order',
  'no-duplicates',
  'no-silent-gap',
  'cursor-monotonic',
  'bounded-replay',
  'bounded-queue',
  'bounded-retries',
  'liveness',
  'server-survives',
  'delivery',
  'timeliness',
  'retry-after',
] as const;

export type PropertyId = (typeof PROPERTY_IDS)[number];
