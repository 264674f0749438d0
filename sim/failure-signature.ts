/**
 * Failure signatures: what makes two failing runs "the same bug". Seeds, prompts, clients and
 * seqs differ from run to run for one bug, so they are left out; what stays is the property, the
 * shape of the violation (the names of its subject fields, which tell the checker's cases apart,
 * e.g. a resent frame from a replay amplification) and the subject fields that are categories
 * rather than instances (`problem`, `queue`).
 */
import type { Violation } from '../model/index.ts';
import type { VerdictKind } from '../model/index.ts';
import { assert } from './core/index.ts';

/** Subject fields whose values name a kind of failure, not a particular message or client. */
const CATEGORY_KEYS: ReadonlySet<string> = new Set(['problem', 'queue']);

export function violationSignature(v: Pick<Violation, 'property' | 'subject'>): string {
  const keys = Object.keys(v.subject).sort();
  const categories = keys.filter((key) => CATEGORY_KEYS.has(key)).map((key) => `${key}=${v.subject[key]}`);
  return [v.property, `{${keys.join(',')}}`, ...categories].join(' ');
}

/**
 * The distinct signatures of one run, in order of first appearance. A crash or a step limit has
 * no trustworthy violations, so the verdict itself is the signature.
 */
export function runSignatures(run: {
  verdict: VerdictKind;
  violations: readonly Pick<Violation, 'property' | 'subject'>[];
}): string[] {
  if (run.verdict === 'crash' || run.verdict === 'step-limit') return [run.verdict];
  return [...new Set(run.violations.map(violationSignature))];
}

/** The property (or verdict) a signature is about: its first word. */
export function signatureProperty(signature: string): string {
  const [property] = signature.split(' ', 1);
  assert(property !== undefined, 'split gives at least one part');
  return property;
}
