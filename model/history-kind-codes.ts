/**
 * A small integer per history kind, and sets of kinds as bit masks over those codes: a history
 * log stores a kind as its code in one byte, and a reader asking for some kinds tests a row's
 * code against a mask instead of looking its kind up in a Set (once per row per check).
 */
import type { HistoryKind } from './history.ts';

/** Every kind, by its code. At most 31 of them, so a mask of kinds is one int32. */
export const KINDS = [
  'phase',
  'prompt',
  'signal',
  'applied',
  'cursor',
  'queue',
  'buffer',
  'send-attempt',
  'send-outcome',
  'welcome',
  'frame-received',
  'frame-sent',
  'reconnect-replay',
  'agent-run',
  'permission-answer',
  'fault',
  'server-down',
  'server-up',
  'reload',
] as const satisfies readonly HistoryKind[];
/** Fails to compile when a kind is missing above: its entries would be given another's code. */
const EVERY_KIND: Exclude<HistoryKind, (typeof KINDS)[number]> extends never ? true : never = true;
void EVERY_KIND;

const KIND_CODES = new Map<HistoryKind, number>(KINDS.map((kind, code) => [kind, code]));

export function kindCode(kind: HistoryKind): number {
  return KIND_CODES.get(kind)!;
}

/** A set of kinds as a mask: bit `kindCode(kind)` set for each. */
export type KindMask = number;

export function kindMask(kinds: Iterable<HistoryKind>): KindMask {
  let mask = 0;
  for (const kind of kinds) mask |= 1 << kindCode(kind);
  return mask;
}

/** Whether a kind code is in the mask. */
export function maskHas(mask: KindMask, code: number): boolean {
  return ((mask >>> code) & 1) !== 0;
}
