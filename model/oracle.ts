/**
 * A reference model that replays a History once and derives the facts several properties share:
 * which client owns a connection, how many times each client reloaded, the accepted
 * prompts with everything linked to them, what each client applied per epoch, and the gaps it
 * was told about. It knows nothing of how the transport works; it only indexes what happened.
 */
import type { EntryOf, History, HistoryEntry, HistoryKind, PersistedUserMessage } from './history.ts';
import { entriesOf, entriesOfKinds, type HistoryEntries } from './history-entries.ts';
import { kindMask } from './history-kind-codes.ts';

/**
 * A composite map key; the separator cannot appear in ids or prompt texts the simulator makes.
 * Written out per arity: checks build one per history entry, and a rest array joined showed in
 * profiles.
 */
export function key(a: string | number, b: string | number, c?: string | number): string {
  return c === undefined ? `${a}\u0001${b}` : `${a}\u0001${b}\u0001${c}`;
}

export interface AcceptedPrompt {
  entry: EntryOf<'prompt'>;
  /** Every clientMsgId known to carry this prompt text (a buggy client may mint fresh ones). */
  clientMsgIds: string[];
  /** Store rows with this prompt text. */
  persisted: PersistedUserMessage[];
  /** `_send_failed` signals to the accepting client for one of the linked clientMsgIds. */
  failedReports: EntryOf<'signal'>[];
  /** POSTs of the accepting client for one of the linked clientMsgIds. */
  attempts: EntryOf<'send-attempt'>[];
  /** The network's answers to those POSTs, in trace order. */
  outcomes: EntryOf<'send-outcome'>[];
  /** Agent runs of this prompt text. */
  runs: EntryOf<'agent-run'>[];
}

export interface GapReport {
  fromSeq: number;
  toSeq: number;
  index: number;
}

export interface Oracle {
  history: History;
  /** The history's entries, read by position (`entriesOf`). */
  entries: HistoryEntries;
  /** connectionId -> client, from welcome entries. */
  clientOfConnection: Map<string, string>;
  /** Reloads seen per client; the last epoch of a client equals its reload count. */
  reloadCount: Map<string, number>;
  /** clientMsgId -> prompt text, from prompt entries, agent runs and the store. */
  promptOfMsgId: Map<string, string>;
  /** Prompts that send() accepted, in the order the user sent them. */
  prompts: AcceptedPrompt[];
  /**
   * key(client, sessionId, epoch) -> positions of the successful applied entries, in trace order
   * (`appliedAt`): positions, not entries, so a long history's applies are not all held as objects.
   */
  appliedByEpoch: Map<string, PositionList>;
  /**
   * key(client, sessionId, epoch) -> positions of cursor entries, in trace order (`cursorsAt`;
   * none unless the client reports its cursor).
   */
  cursorsByEpoch: Map<string, PositionList>;
  /** key(client, sessionId) -> `_gap` signals the client raised, in trace order. */
  gaps: Map<string, GapReport[]>;
}

const cache = new WeakMap<History, Oracle>();

/**
 * The oracle of a history, built once and shared by every property that checks it. A History is
 * a finished record and never changes after the run, so caching by identity is safe.
 */
export function oracleFor(history: History): Oracle {
  let oracle = cache.get(history);
  if (oracle === undefined) {
    oracle = buildOracle(history);
    cache.set(history, oracle);
  }
  return oracle;
}

export function buildOracle(history: History): Oracle {
  const entries = entriesOf(history);
  const oracle: Oracle = {
    history,
    entries,
    clientOfConnection: new Map(),
    reloadCount: new Map(),
    promptOfMsgId: linkMsgIds(history),
    prompts: [],
    appliedByEpoch: new Map(),
    cursorsByEpoch: new Map(),
    gaps: new Map(),
  };
  const lists = { applied: new EpochLists(oracle.appliedByEpoch), cursors: new EpochLists(oracle.cursorsByEpoch) };
  for (let position = entries.nextOfKinds(REPLAYED_KINDS, 0); position < entries.length;) {
    replayEntry(oracle, lists, entries.at(position)!, position);
    position = entries.nextOfKinds(REPLAYED_KINDS, position + 1);
  }
  oracle.prompts = collectPrompts(history, oracle.promptOfMsgId);
  return oracle;
}

/**
 * Appends to the lists of a map keyed by key(client, sessionId, epoch), finding a list without
 * building its key: one key string per history entry cost more than the appends it served.
 */
class EpochLists {
  private readonly lists = new Map<string, Map<string, PositionList[]>>();

  constructor(private readonly byKey: Map<string, PositionList>) {}

  push(client: string, sessionId: string, epoch: number, position: number): void {
    let bySession = this.lists.get(client);
    if (bySession === undefined) this.lists.set(client, (bySession = new Map()));
    let byEpoch = bySession.get(sessionId);
    if (byEpoch === undefined) bySession.set(sessionId, (byEpoch = []));
    let list = byEpoch[epoch];
    if (list === undefined) {
      list = byEpoch[epoch] = new PositionList();
      this.byKey.set(key(client, sessionId, epoch), list);
    }
    list.push(position);
  }
}

/** Most positions a piece of a PositionList holds; pieces double up to it. */
const PIECE_POSITIONS_MAX = 4096;

/**
 * History positions in trace order, four bytes each, in pieces that are never joined: an array
 * doubled as it grew left garbage of up to twice its final size, and a final copy of exact size
 * came on top, while a long run's memory peaks (its checks).
 */
class PositionList {
  private readonly full: Int32Array[] = [];
  private last = new Int32Array(16);
  private lastLength = 0;

  push(position: number): void {
    if (this.lastLength === this.last.length) {
      this.full.push(this.last);
      this.last = new Int32Array(Math.min(PIECE_POSITIONS_MAX, 2 * this.last.length));
      this.lastLength = 0;
    }
    this.last[this.lastLength++] = position;
  }

  /** The first position, if any. */
  first(): number | undefined {
    const piece = this.full[0] ?? this.last;
    return this.full.length > 0 || this.lastLength > 0 ? piece[0] : undefined;
  }

  /** The entries at these positions, in order. */
  entriesIn<K extends HistoryKind>(entries: HistoryEntries): EntryOf<K>[] {
    const out: EntryOf<K>[] = [];
    for (const piece of this.full) for (const position of piece) out.push(entries.at(position) as EntryOf<K>);
    for (let i = 0; i < this.lastLength; i++) out.push(entries.at(this.last[i]!) as EntryOf<K>);
    return out;
  }
}

/** The kinds the oracle's replay reads; the others are skipped unbuilt. */
const REPLAYED_KINDS = kindMask(['welcome', 'reload', 'applied', 'cursor', 'signal']);

/** A client's reload epoch so far: 0 until its first reload. */
function epochOf(o: Oracle, client: string): number {
  return o.reloadCount.get(client) ?? 0;
}

function replayEntry(
  o: Oracle,
  lists: { applied: EpochLists; cursors: EpochLists },
  entry: HistoryEntry,
  position: number,
): void {
  switch (entry.kind) {
    case 'welcome':
      o.clientOfConnection.set(entry.connectionId, entry.client);
      break;
    case 'reload':
      // The reload entry itself closes the old epoch; what follows belongs to the new one.
      o.reloadCount.set(entry.client, epochOf(o, entry.client) + 1);
      break;
    case 'applied':
      if (!entry.failed) lists.applied.push(entry.client, entry.sessionId, epochOf(o, entry.client), position);
      break;
    case 'cursor':
      lists.cursors.push(entry.client, entry.sessionId, epochOf(o, entry.client), position);
      break;
    case 'signal':
      if (entry.signal.type === '_gap') {
        const { sessionId, fromSeq, toSeq } = entry.signal;
        push(o.gaps, key(entry.client, sessionId), { fromSeq, toSeq, index: entry.index });
      }
      break;
  }
}

function push<T>(map: Map<string, T[]>, k: string, value: T): void {
  const list = map.get(k);
  if (list) list.push(value);
  else map.set(k, [value]);
}

/**
 * Every place a clientMsgId meets its prompt text; prompt identity is the text. The POST bodies
 * the network saw link every id a client ever posted, whether or not the client reported it.
 */
function linkMsgIds(history: History): Map<string, string> {
  const links = new Map<string, string>();
  for (const entry of entriesOfKinds(history, ['prompt', 'agent-run', 'send-attempt'])) {
    if (entry.kind === 'prompt' && entry.clientMsgId !== undefined) links.set(entry.clientMsgId, entry.prompt);
    if (entry.kind === 'agent-run') links.set(entry.clientMsgId, entry.prompt);
    if (entry.kind === 'send-attempt' && entry.prompt !== undefined) links.set(entry.clientMsgId, entry.prompt);
  }
  for (const row of history.end.userMessages) links.set(row.clientMsgId, row.prompt);
  return links;
}

/**
 * Groups the linked entries by (client, prompt text) in one pass, so the cost stays linear in
 * the history's length however many prompts a run has.
 */
function collectPrompts(history: History, promptOfMsgId: Map<string, string>): AcceptedPrompt[] {
  const byText = (id: string): string => promptOfMsgId.get(id) ?? key('unlinked', id);
  const failed = new Map<string, EntryOf<'signal'>[]>();
  const attempts = new Map<string, EntryOf<'send-attempt'>[]>();
  const outcomes = new Map<string, EntryOf<'send-outcome'>[]>();
  const runs = new Map<string, EntryOf<'agent-run'>[]>();
  const persisted = new Map<string, PersistedUserMessage[]>();
  for (const e of entriesOfKinds(history, ['signal', 'send-attempt', 'send-outcome', 'agent-run'])) {
    if (e.kind === 'signal' && e.signal.type === '_send_failed')
      push(failed, key(e.client, byText(e.signal.clientMsgId)), e);
    if (e.kind === 'send-attempt') push(attempts, key(e.client, byText(e.clientMsgId)), e);
    if (e.kind === 'send-outcome') push(outcomes, key(e.client, byText(e.clientMsgId)), e);
    if (e.kind === 'agent-run') push(runs, e.prompt, e);
  }
  for (const row of history.end.userMessages) push(persisted, row.prompt, row);
  const idsByText = new Map<string, string[]>();
  for (const [id, text] of promptOfMsgId) push(idsByText, text, id);

  const prompts: AcceptedPrompt[] = [];
  for (const entry of entriesOfKinds(history, ['prompt'])) {
    if (!entry.accepted) continue;
    const k = key(entry.client, entry.prompt);
    prompts.push({
      entry,
      clientMsgIds: idsByText.get(entry.prompt) ?? [],
      persisted: persisted.get(entry.prompt) ?? [],
      failedReports: failed.get(k) ?? [],
      attempts: attempts.get(k) ?? [],
      outcomes: outcomes.get(k) ?? [],
      runs: runs.get(entry.prompt) ?? [],
    });
  }
  return prompts;
}

/** The successful applied entries of one client, session and epoch, in trace order. */
export function appliedAt(o: Oracle, epochKey: string): EntryOf<'applied'>[] {
  return o.appliedByEpoch.get(epochKey)?.entriesIn<'applied'>(o.entries) ?? [];
}

/** The cursor entries of one client, session and epoch, in trace order. */
export function cursorsAt(o: Oracle, epochKey: string): EntryOf<'cursor'>[] {
  return o.cursorsByEpoch.get(epochKey)?.entriesIn<'cursor'>(o.entries) ?? [];
}

/** The first cursor entry of one client, session and epoch, without building the others. */
export function firstCursorAt(o: Oracle, epochKey: string): EntryOf<'cursor'> | undefined {
  const position = o.cursorsByEpoch.get(epochKey)?.first();
  return position === undefined ? undefined : (o.entries.at(position) as EntryOf<'cursor'>);
}

/** The client that owns a connection's frames: recorded on the entry, else learned from its welcome. */
export function frameClient(o: Oracle, entry: { connectionId: string; client: string | null }): string | null {
  return entry.client ?? o.clientOfConnection.get(entry.connectionId) ?? null;
}

/** Whether `seq` lies in a `_gap` range the client raised for the session before `beforeIndex`. */
export function gapReported(
  o: Oracle,
  client: string,
  sessionId: string,
  seq: number,
  beforeIndex = Infinity,
): boolean {
  const reports = o.gaps.get(key(client, sessionId)) ?? [];
  return reports.some((g) => g.index < beforeIndex && g.fromSeq <= seq && seq <= g.toSeq);
}

export function lastEpoch(o: Oracle, client: string): number {
  return o.reloadCount.get(client) ?? 0;
}

/** A one-line description of a prompt for violation messages. */
/** The identifying fields of a violation about whether a prompt was persisted. */
export function persistenceSubject(p: AcceptedPrompt): Record<string, string | number> {
  return {
    client: p.entry.client,
    sessionId: p.entry.sessionId,
    prompt: p.entry.prompt,
    persisted: p.persisted.length,
    ...(p.entry.clientMsgId === undefined ? {} : { clientMsgId: p.entry.clientMsgId }),
  };
}

export function describePrompt(p: AcceptedPrompt): string {
  const id = p.entry.clientMsgId === undefined ? '' : `${p.entry.clientMsgId}, `;
  return `prompt "${p.entry.prompt}" (${id}client ${p.entry.client}, session ${p.entry.sessionId})`;
}
