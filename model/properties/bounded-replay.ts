/**
 * bounded-replay: (a) the server never resends on a connection an event the client already
 * applied while on that connection; (b) per client, session frames sent / distinct events sent
 * (per reload epoch) stays within limits.replayAmplificationMax; (c) no reconnect replays more than
 * limits.reconnectReplayLimit events of a session.
 */
import type { EntryOf, History } from '../history.ts';
import { frameClient, key, oracleFor, type Oracle } from '../oracle.ts';
import { violation, type Violation } from '../violation.ts';

/** Below this many distinct events a handful of in-flight duplicates would dominate the ratio. */
export const AMPLIFICATION_MIN_EVENTS = 20;
/** Repeated frames cited as evidence of amplification; the subject carries the full counts. */
export const AMPLIFICATION_EVIDENCE_MAX = 10;

export function checkBoundedReplay(history: History): Violation[] {
  const oracle = oracleFor(history);
  return [...resentOnConnection(oracle), ...amplification(oracle), ...oversizedReconnects(oracle)];
}

/**
 * (a) Only an apply that happened before the frame left, while the frame's connection was the
 * client's current one, counts: a frame already in flight when the client applied the same
 * event from elsewhere is not the server's fault, nor is a history page the client asked for.
 * One violation per (connection, session).
 */
function resentOnConnection(oracle: Oracle): Violation[] {
  const currentConnection = new Map<string, string>();
  const appliedOn = new Map<string, Map<string, number>>(); // connectionId -> key(session, seq) -> applied index
  const found = new Map<string, { frame: EntryOf<'frame-sent'>; client: string; appliedIndex: number; count: number }>();
  for (const e of oracle.history.entries) {
    if (e.kind === 'welcome') {
      currentConnection.set(e.client, e.connectionId);
      appliedOn.set(e.connectionId, new Map());
    } else if (e.kind === 'reload') {
      currentConnection.delete(e.client);
    } else if (e.kind === 'applied' && !e.failed) {
      const seen = appliedOn.get(currentConnection.get(e.client) ?? '');
      if (seen !== undefined && !seen.has(key(e.sessionId, e.seq))) seen.set(key(e.sessionId, e.seq), e.index);
    } else if (e.kind === 'frame-sent' && e.via !== 'history') {
      // A history page answers the client's own request, which may predate the apply; only
      // frames the server pushes on its own account can be resends.
      const appliedIndex = appliedOn.get(e.connectionId)?.get(key(e.sessionId, e.seq));
      if (appliedIndex === undefined) continue;
      const k = key(e.connectionId, e.sessionId);
      const prior = found.get(k);
      if (prior) prior.count += 1;
      else found.set(k, { frame: e, client: frameClient(oracle, e) ?? '?', appliedIndex, count: 1 });
    }
  }
  return [...found.values()].map(({ frame, client, appliedIndex, count }) => {
    const message = `server resent seq ${frame.seq} of session ${frame.sessionId} to client ${client} on ${frame.connectionId} after the client applied it (${count} such frame(s))`;
    const subject = { client, connectionId: frame.connectionId, sessionId: frame.sessionId, seq: frame.seq, resent: count };
    return violation('bounded-replay', message, subject, [appliedIndex, frame.index]);
  });
}

/**
 * (b) Every frame beyond the first of an event is amplification. A reload wipes the app's
 * memory, so an event is needed again once per reload epoch of the client.
 */
function amplification(oracle: Oracle): Violation[] {
  const perClient = new Map<string, { frames: number; distinct: Set<string>; repeats: number[] }>();
  const epochs = new Map<string, number>();
  for (const e of oracle.history.entries) {
    if (e.kind === 'reload') epochs.set(e.client, (epochs.get(e.client) ?? 0) + 1);
    if (e.kind !== 'frame-sent') continue;
    const client = frameClient(oracle, e);
    if (client === null) continue;
    const stats = perClient.get(client) ?? { frames: 0, distinct: new Set<string>(), repeats: [] };
    perClient.set(client, stats);
    stats.frames += 1;
    const k = key(e.sessionId, e.seq, epochs.get(client) ?? 0);
    if (stats.distinct.has(k)) stats.repeats.push(e.index);
    else stats.distinct.add(k);
  }
  const max = oracle.history.limits.replayAmplificationMax;
  const out: Violation[] = [];
  for (const [client, { frames, distinct, repeats }] of perClient) {
    const ratio = frames / distinct.size;
    if (distinct.size < AMPLIFICATION_MIN_EVENTS || ratio <= max) continue;
    const message = `client ${client} was sent ${frames} session frames for ${distinct.size} distinct events (amplification ${ratio.toFixed(2)} > limit ${max})`;
    const subject = { client, frames, distinctEvents: distinct.size };
    out.push(violation('bounded-replay', message, subject, repeats.slice(0, AMPLIFICATION_EVIDENCE_MAX)));
  }
  return out;
}

/** (c) */
function oversizedReconnects(oracle: Oracle): Violation[] {
  const limit = oracle.history.limits.reconnectReplayLimit;
  const out: Violation[] = [];
  for (const e of oracle.history.entries) {
    if (e.kind !== 'reconnect-replay' || e.replayed <= limit) continue;
    const client = frameClient(oracle, e) ?? '?';
    const message = `reconnect of client ${client} on ${e.connectionId} replayed ${e.replayed} events of session ${e.sessionId} after seq ${e.lastSeq} (limit ${limit})`;
    const subject = { client, connectionId: e.connectionId, sessionId: e.sessionId, replayed: e.replayed, lastSeq: e.lastSeq };
    out.push(violation('bounded-replay', message, subject, [e.index]));
  }
  return out;
}
