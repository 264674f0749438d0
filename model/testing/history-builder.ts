/**
 * A terse way to write a History by hand for property tests. Every entry method returns the
 * trace index it assigned. Indexes advance by INDEX_STEP, not by one, because in a real run the
 * trace holds more than the history: a checker that confuses array positions with trace
 * indexes then fails its tests.
 */
import type { ClientSignal } from '../../transport/protocol.ts';
import type {
  ClientEndState,
  EndState,
  History,
  HistoryEntry,
  HistoryEntryBody,
  HistoryLimits,
  HistoryTiming,
  Phase,
} from '../history.ts';
import { OBSERVATION_KINDS, type Need, type ObservationKind } from '../observation-kind.ts';
import { HistoryLog } from '../history-log.ts';
import { historyOfLog } from '../history-entries.ts';

export const INDEX_STEP = 3;
const T_STEP_MS = 10;

export const TEST_LIMITS: HistoryLimits = {
  maxPendingSends: 100,
  applyBufferLimit: 256,
  sendAttemptBudget: 8,
  reconnectReplayLimit: 200,
  replayAmplificationMax: 1.5,
};

/** The bundled transport's schedule, and a network of at most 50 ms one way. */
export const TEST_TIMING: HistoryTiming = {
  retrySchedule: {
    backoffMs: [1000, 2000, 4000, 8000],
    maxDelayMs: 10_000,
    retryAfterCapMs: 60_000,
    sendTimeoutMs: 15_000,
    retryAfterSlackMs: 10_000,
  },
  syncIntervalMs: 5000,
  latencyMsMax: 50,
};

export class HistoryBuilder {
  private readonly entries: HistoryEntry[] = [];
  private readonly end: EndState = { userMessages: [], sessionSeqs: {}, clients: [], openPermissionRequests: [] };
  private readonly limits: HistoryLimits;
  /** Every kind unless told otherwise: a hand-written history holds whatever entries its test adds. */
  private observations: ObservationKind[] = [...OBSERVATION_KINDS];
  private timing: HistoryTiming = structuredClone(TEST_TIMING);

  constructor(limits: Partial<HistoryLimits> = {}) {
    this.limits = { ...TEST_LIMITS, ...limits };
  }

  /** The transport of this history does not report these kinds, or its profile does not state these. */
  without(...needs: Need[]): this {
    this.observations = this.observations.filter((kind) => !needs.includes(kind));
    if (needs.includes('retry-schedule')) this.timing = { ...this.timing, retrySchedule: null };
    return this;
  }

  /** Adds an entry at an exact virtual time (later than the last): timing properties read the clock. */
  at(tMs: number, entry: HistoryEntryBody): number {
    const lastMs = this.entries.at(-1)?.t ?? 0;
    if (tMs < lastMs) throw new RangeError(`HistoryBuilder.at: ${tMs} ms is before the last entry (${lastMs} ms)`);
    const index = this.add(entry);
    this.entries[this.entries.length - 1]!.t = tMs;
    return index;
  }

  add(entry: HistoryEntryBody): number {
    const index = (this.entries.length + 1) * INDEX_STEP;
    // Time never goes backwards, also after an entry placed with `at`.
    const t = Math.max(this.entries.length * T_STEP_MS, this.entries.at(-1)?.t ?? 0);
    this.entries.push({ ...entry, index, t } as HistoryEntry);
    return index;
  }

  phase(phase: Phase): number {
    return this.add({ kind: 'phase', phase });
  }

  /** send() accepted a prompt (pass `accepted: false` for a refused one). */
  prompt(
    client: string,
    sessionId: string,
    prompt: string,
    opts: { clientMsgId?: string; accepted?: boolean } = {},
  ): number {
    const { clientMsgId, accepted = true } = opts;
    return this.add({
      kind: 'prompt',
      client,
      sessionId,
      prompt,
      accepted,
      ...(clientMsgId === undefined ? {} : { clientMsgId }),
    });
  }

  signal(client: string, signal: ClientSignal): number {
    return this.add({ kind: 'signal', client, signal });
  }

  sendFailed(client: string, clientMsgId: string, sessionId: string): number {
    return this.signal(client, { type: '_send_failed', clientMsgId, sessionId, reason: 'test' });
  }

  gap(client: string, sessionId: string, fromSeq: number, toSeq: number): number {
    return this.signal(client, { type: '_gap', sessionId, fromSeq, toSeq, reason: 'test' });
  }

  applied(client: string, sessionId: string, seq: number, prevSessionSeq: number, failed = false): number {
    return this.add({ kind: 'applied', client, sessionId, seq, prevSessionSeq, failed });
  }

  cursor(client: string, sessionId: string, cursor: number): number {
    return this.add({ kind: 'cursor', client, sessionId, cursor });
  }

  queue(client: string, length: number): number {
    return this.add({ kind: 'queue', client, length });
  }

  buffer(client: string, sessionId: string, length: number): number {
    return this.add({ kind: 'buffer', client, sessionId, length });
  }

  sendOutcome(client: string, clientMsgId: string, sessionId: string, status: number | null, attempt = 1): number {
    return this.add({ kind: 'send-outcome', client, clientMsgId, sessionId, status, attempt });
  }

  sendAttempt(client: string, clientMsgId: string, sessionId: string, attempt: number): number {
    return this.add({ kind: 'send-attempt', client, clientMsgId, sessionId, attempt });
  }

  welcome(client: string, connectionId: string): number {
    return this.add({ kind: 'welcome', client, connectionId });
  }

  /** `client` defaults to null: the server does not know it, the welcome map does. */
  frameSent(connectionId: string, sessionId: string, seq: number, client: string | null = null, via = 'live'): number {
    return this.add({ kind: 'frame-sent', connectionId, client, sessionId, seq, via });
  }

  frameReceived(client: string, sessionId: string, seq: number, stream = 'stream-1'): number {
    return this.add({ kind: 'frame-received', client, stream, sessionId, seq });
  }

  reconnectReplay(
    connectionId: string,
    sessionId: string,
    lastSeq: number,
    replayed: number,
    client: string | null = null,
  ): number {
    return this.add({ kind: 'reconnect-replay', connectionId, client, sessionId, lastSeq, replayed });
  }

  agentRun(sessionId: string, clientMsgId: string, prompt: string): number {
    return this.add({ kind: 'agent-run', sessionId, clientMsgId, prompt });
  }

  permissionAnswer(client: string, sessionId: string, requestId: string): number {
    return this.add({ kind: 'permission-answer', client, sessionId, requestId });
  }

  serverDown(injected: boolean, reason = injected ? 'injected crash' : 'uncaught error'): number {
    return this.add({ kind: 'server-down', injected, reason });
  }

  serverUp(): number {
    return this.add({ kind: 'server-up' });
  }

  reload(client: string): number {
    return this.add({ kind: 'reload', client });
  }

  /** End state: a stored user_message; its seq joins the session's stored seqs. */
  persisted(sessionId: string, seq: number, clientMsgId: string, prompt: string): this {
    this.end.userMessages.push({ seq, sessionId, clientMsgId, prompt });
    return this.stored(sessionId, [seq]);
  }

  /** End state: seqs the store holds for a session (merged, kept ascending). */
  /** Events of the session above this seq may still be on their way at the end. */
  settled(sessionId: string, seq: number): this {
    this.end.settledSeqs = { ...this.end.settledSeqs, [sessionId]: seq };
    return this;
  }

  stored(sessionId: string, seqs: number[]): this {
    const merged = new Set([...(this.end.sessionSeqs[sessionId] ?? []), ...seqs]);
    this.end.sessionSeqs[sessionId] = [...merged].sort((a, b) => a - b);
    return this;
  }

  /** End state of a client: connected and idle unless told otherwise. */
  client(client: string, state: Partial<Omit<ClientEndState, 'client'>> = {}): this {
    this.end.clients.push({
      client,
      connected: true,
      connectionId: null,
      serverKnowsConnection: true,
      pendingCount: 0,
      sessions: [],
      ...state,
    });
    return this;
  }

  openPermission(sessionId: string, requestId: string): this {
    this.end.openPermissionRequests.push({ sessionId, requestId });
    return this;
  }

  /** The history as a run gives it: over a log, so checks read what they read in a run. */
  build(): History {
    const log = new HistoryLog();
    for (const entry of this.entries) log.push(structuredClone(entry));
    return historyOfLog(log, {
      end: structuredClone(this.end),
      limits: { ...this.limits },
      observations: [...this.observations],
      timing: structuredClone(this.timing),
    });
  }
}
