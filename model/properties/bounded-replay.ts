/**
 * bounded-replay: (a) the server never resends on a connection an event the client already
 * applied while on that connection; (b) per client, session frames sent / distinct events sent
 * (per reload epoch) stays within limits.replayAmplificationMax; (c) no reconnect replays more than
 * limits.reconnectReplayLimit events of a session.
 */
import type { EntryOf, History } from '../history.ts';
import { EventMap, EventSet } from '../event-set.ts';
import { frameClient, key, oracleFor, type Oracle } from '../oracle.ts';
import { entriesOfKinds } from '../history-entries.ts';
import { violation, type Violation } from '../violation.ts';

/** Below this many distinct events a handful of in-flight duplicates would dominate the ratio. */
const AMPLIFICATION_MIN_EVENTS = 20;
/** Repeated frames cited as evidence of amplification; the subject carries the full counts. */
const AMPLIFICATION_EVIDENCE_MAX = 10;

export function checkBoundedReplay(history: History): Violation[] {
  const oracle = oracleFor(history);
  return [...resentOnConnection(oracle), ...amplification(oracle), ...oversizedReconnects(oracle)];
}

/**
 * (a) A resend is a frame pushed on a connection for an event that an earlier push on the same
 * connection already delivered and the client applied. The server knows what it delivered on a
 * connection, so it must not push it again. Not counted: a frame still in flight when the apply
 * happened, an event the client applied from its buffer or a history page while the server had
 * not delivered it on this connection (the server only knows the cursor the client announced),
 * and a history page the client asked for itself. One violation per (connection, session).
 */
function resentOnConnection(oracle: Oracle): Violation[] {
  const currentConnection = new Map<string, string>();
  const sentOn = new Map<string, EventSet>(); // connectionId -> events delivered on it
  const appliedOn = new Map<string, EventMap>(); // connectionId -> event -> applied index
  const found = new Map<
    string,
    { frame: EntryOf<'frame-sent'>; client: string; appliedIndex: number; count: number }
  >();
  for (const e of entriesOfKinds(oracle.history, ['welcome', 'reload', 'applied', 'frame-sent'])) {
    if (e.kind === 'welcome') {
      currentConnection.set(e.client, e.connectionId);
      appliedOn.set(e.connectionId, new EventMap());
    } else if (e.kind === 'reload') {
      currentConnection.delete(e.client);
    } else if (e.kind === 'applied' && !e.failed) {
      const connectionId = currentConnection.get(e.client) ?? '';
      const seen = appliedOn.get(connectionId);
      if (seen !== undefined && !seen.has(e.sessionId, e.seq) && sentOn.get(connectionId)?.has(e.sessionId, e.seq))
        seen.set(e.sessionId, e.seq, e.index);
    } else if (e.kind === 'frame-sent') {
      const appliedIndex = appliedOn.get(e.connectionId)?.get(e.sessionId, e.seq);
      if (e.via === 'history') continue;
      let sent = sentOn.get(e.connectionId);
      if (sent === undefined) sentOn.set(e.connectionId, (sent = new EventSet()));
      sent.add(e.sessionId, e.seq);
      if (appliedIndex === undefined) continue;
      const fk = key(e.connectionId, e.sessionId);
      const prior = found.get(fk);
      if (prior) prior.count += 1;
      else found.set(fk, { frame: e, client: frameClient(oracle, e) ?? '?', appliedIndex, count: 1 });
    }
  }
  return [...found.values()].map(({ frame, client, appliedIndex, count }) => {
    const message =
      `server resent seq ${frame.seq} of session ${frame.sessionId} to client ${client} on ${frame.connectionId} ` +
      `after delivering it there and the client applied it (${count} such frame(s))`;
    const subject = {
      client,
      connectionId: frame.connectionId,
      sessionId: frame.sessionId,
      seq: frame.seq,
      resent: count,
    };
    return violation('bounded-replay', message, subject, [appliedIndex, frame.index]);
  });
}

/**
 * (b) Waste is a push of an event the client had already applied (in this reload epoch) when the
 * server sent it. A push of an event the client holds but has not applied is needed, also when it
 * arrived before: the client's cursor is what it applied, so a buffered or failed event is rightly
 * sent again, and a replay answers the cursor the client announced. Amplification is frames that
 * reached the client / frames it needed; frames lost with a dropped stream never reached it.
 */
function amplification(oracle: Oracle): Violation[] {
  const perClient = new Map<string, { frames: number; waste: number[] }>();
  const stats = (client: string) => {
    if (!perClient.has(client)) perClient.set(client, { frames: 0, waste: [] });
    return perClient.get(client)!;
  };
  const applied = new Map<string, EventSet>(); // client -> events applied this epoch
  for (const e of entriesOfKinds(oracle.history, ['reload', 'applied', 'frame-received', 'frame-sent'])) {
    if (e.kind === 'reload') applied.set(e.client, new EventSet());
    else if (e.kind === 'applied' && !e.failed) {
      let mine = applied.get(e.client);
      if (mine === undefined) applied.set(e.client, (mine = new EventSet()));
      mine.add(e.sessionId, e.seq);
    } else if (e.kind === 'frame-received') {
      stats(e.client).frames += 1;
    } else if (e.kind === 'frame-sent' && e.via !== 'history') {
      const client = frameClient(oracle, e);
      if (client !== null && applied.get(client)?.has(e.sessionId, e.seq)) stats(client).waste.push(e.index);
    }
  }
  const max = oracle.history.limits.replayAmplificationMax;
  const out: Violation[] = [];
  for (const [client, { frames, waste }] of perClient) {
    const needed = frames - waste.length;
    const ratio = frames / Math.max(1, needed);
    if (needed < AMPLIFICATION_MIN_EVENTS || ratio <= max) continue;
    const message =
      `client ${client} received ${frames} session frames; ${waste.length} pushed after it had applied them ` +
      `(amplification ${ratio.toFixed(2)} > limit ${max})`;
    const subject = { client, frames, neededFrames: needed };
    out.push(violation('bounded-replay', message, subject, waste.slice(0, AMPLIFICATION_EVIDENCE_MAX)));
  }
  return out;
}

/** (c) */
function oversizedReconnects(oracle: Oracle): Violation[] {
  const limit = oracle.history.limits.reconnectReplayLimit;
  const out: Violation[] = [];
  for (const e of entriesOfKinds(oracle.history, ['reconnect-replay'])) {
    if (e.replayed <= limit) continue;
    const client = frameClient(oracle, e) ?? '?';
    const message =
      `reconnect of client ${client} on ${e.connectionId} replayed ${e.replayed} events of session ${e.sessionId} ` +
      `after seq ${e.lastSeq} (limit ${limit})`;
    const subject = {
      client,
      connectionId: e.connectionId,
      sessionId: e.sessionId,
      replayed: e.replayed,
      lastSeq: e.lastSeq,
    };
    out.push(violation('bounded-replay', message, subject, [e.index]));
  }
  return out;
}
