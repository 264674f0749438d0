/**
 * Which trace entries a human timeline shows. State-tracking observations (queue lengths,
 * cursors, every frame written) dominate a trace by count but are read better as plots; an entry
 * a violation cites is always shown, whatever its kind.
 */
import type { TraceEntry } from '../sim/core/index.ts';
import type { Violation } from '../model/index.ts';
import { clientOfActor } from './actor-lanes.ts';
import { isFaultEntry } from './entry-text.ts';

const ROUTINE_KINDS = new Set([
  'client.queue.length',
  'client.cursor',
  'client.buffer.length',
  'server.frame.sent',
  'net.frame',
  'net.frame-delivered',
  'app.apply',
]);

export function isRoutine(entry: TraceEntry): boolean {
  return ROUTINE_KINDS.has(entry.kind) || entry.details.level === 'debug';
}

/** Trace indexes cited by any violation. */
export function evidenceIndexes(violations: readonly Violation[]): Set<number> {
  const cited = new Set<number>();
  for (const v of violations) for (const index of v.evidence) cited.add(index);
  return cited;
}

export function notableEntries(trace: readonly TraceEntry[], violations: readonly Violation[]): TraceEntry[] {
  const cited = evidenceIndexes(violations);
  return trace.filter((entry) => cited.has(entry.index) || !isRoutine(entry));
}

/** Most entries a violation's causal window lists, besides the evidence and faults it always keeps. */
export const CAUSAL_WINDOW_MAX = 24;
/** Faults kept from before the window: the latest that hit the same client, or everyone. */
const CAUSAL_WINDOW_FAULTS_MAX = 5;

/**
 * What led up to a violation: the entries before its last evidence that concern the same client,
 * session or connection, routine kinds included (a cursor that moved or a queue that shrank is
 * often the explanation), with the latest faults that hit them or the whole system. The evidence a
 * checker cites names the symptom; this names what preceded it.
 */
export function causalWindow(trace: readonly TraceEntry[], v: Violation): TraceEntry[] {
  const end = Math.max(-1, ...v.evidence);
  const cited = new Set(v.evidence);
  const scope = subjectScope(trace, v, end);
  const related = trace.filter((entry) => entry.index <= end && (cited.has(entry.index) || inScope(entry, scope)));
  const recent = new Set(related.slice(-CAUSAL_WINDOW_MAX));
  const faults = new Set(related.filter(isFaultEntry).slice(-CAUSAL_WINDOW_FAULTS_MAX));
  return related.filter((entry) => recent.has(entry) || faults.has(entry) || cited.has(entry.index));
}

interface Scope {
  clients: Set<string>;
  sessions: Set<string>;
  connections: Set<string>;
}

/** The clients, sessions and connections a violation concerns: named in its subject or its evidence. */
function subjectScope(trace: readonly TraceEntry[], v: Violation, end: number): Scope {
  const scope: Scope = { clients: new Set(), sessions: new Set(), connections: new Set() };
  const add = (set: Set<string>, value: unknown): void => {
    if (typeof value === 'string' || typeof value === 'number') set.add(String(value));
  };
  add(scope.clients, v.subject.client);
  add(scope.sessions, v.subject.sessionId);
  add(scope.connections, v.subject.connectionId);
  const cited = new Set(v.evidence);
  for (const entry of trace) {
    if (!cited.has(entry.index)) continue;
    add(scope.clients, clientOfEntry(entry));
    add(scope.sessions, entry.details.sessionId);
    add(scope.connections, entry.details.connectionId);
  }
  // A client's connections are its own: what the server wrote to them is part of its story.
  for (const entry of trace)
    if (entry.index <= end && entry.kind === 'net.welcome' && scope.clients.has(clientOfEntry(entry) ?? ''))
      add(scope.connections, entry.details.connectionId);
  return scope;
}

function inScope(entry: TraceEntry, scope: Scope): boolean {
  const client = clientOfEntry(entry);
  if (isFaultEntry(entry)) return client === null || scope.clients.has(client);
  if (client !== null) return scope.clients.has(client);
  const connection = entry.details.connectionId;
  if (typeof connection === 'string') return scope.connections.has(connection);
  const session = entry.details.sessionId;
  return entry.actor === 'server' && typeof session === 'string' && scope.sessions.has(session);
}

/** The client an entry concerns: its actor (`c1`, `net:c1`) or a client named in its details. */
function clientOfEntry(entry: TraceEntry): string | null {
  const named = entry.details.client ?? entry.details.clientId;
  return clientOfActor(entry.actor) ?? (typeof named === 'string' ? named : null);
}
