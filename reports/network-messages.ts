/**
 * Reads the simulated network's trace entries (kinds starting with `net.`) as messages between
 * a client and the server, for the spacetime diagram and the Perfetto spans. The network's entry
 * kinds may grow, so classification goes by words in the kind and unknown kinds are skipped, not
 * rejected. Entries of one request are tied together by `requestId` (or `id`) in their details.
 */
import type { TraceEntry } from '../sim/core/index.ts';
import { clientOfActor } from './actor-lanes.ts';

export type MessageDirection = 'post' | 'response' | 'frame';

export interface NetMessage {
  direction: MessageDirection;
  client: string;
  /** Virtual ms when the message left its sender and reached its receiver (equal if unknown). */
  sentMs: number;
  arrivedMs: number;
  /** The message was lost on the way (request-lost, response-lost, ...). */
  lost: boolean;
  label: string;
  /** What a diagram prints beside the arrow: message type, seq, status, in a few words. */
  tag: string;
  /** Trace index of the entry it came from. */
  index: number;
  /** For a delivered frame, the trace index of the server's `server.frame.sent` it was paired with. */
  sentIndex?: number;
}

export interface RequestSpan {
  client: string;
  requestId: string;
  startMs: number;
  endMs: number;
  label: string;
  startIndex: number;
}

export function classifyNetKind(kind: string): MessageDirection | null {
  if (!kind.startsWith('net.')) return null;
  const name = kind.slice(4);
  // Outcomes, fault decisions and stream lifecycle annotate a message; they are not one.
  // A welcome is also a frame the network delivered, so it would be drawn twice.
  if (/fault|error|abandon|failed|welcome|open|close/.test(name)) return null;
  if (/response|reply/.test(name)) return 'response';
  if (/request|post|send|fetch/.test(name)) return 'post';
  if (/frame|event|message|data|chunk/.test(name)) return 'frame';
  return null;
}

function requestIdOf(entry: TraceEntry): string | null {
  const id = entry.details.requestId ?? entry.details.id ?? entry.details.reqId;
  return typeof id === 'string' || typeof id === 'number' ? String(id) : null;
}

function clientOf(entry: TraceEntry): string | null {
  const named = entry.details.clientId ?? entry.details.client;
  return clientOfActor(entry.actor) ?? (typeof named === 'string' ? named : null);
}

/** Entries of each request, keyed `client/requestId`, in trace order. */
function groupByRequest(trace: readonly TraceEntry[]): Map<string, TraceEntry[]> {
  const groups = new Map<string, TraceEntry[]>();
  for (const entry of trace) {
    const id = entry.kind.startsWith('net.') ? requestIdOf(entry) : null;
    const client = clientOf(entry);
    if (id === null || client === null) continue;
    const key = `${client}/${id}`;
    const group = groups.get(key);
    if (group) group.push(entry);
    else groups.set(key, [entry]);
  }
  return groups;
}

/**
 * One message per classified entry. A request and its response share the time between them:
 * the POST arrives halfway, when the server is taken to answer. An explicit `latencyMs` wins.
 */
export function networkMessages(trace: readonly TraceEntry[]): NetMessage[] {
  const groups = groupByRequest(trace);
  const sends = new FrameSends();
  const messages: NetMessage[] = [];
  for (const entry of trace) {
    sends.note(entry);
    const direction = classifyNetKind(entry.kind);
    const client = clientOf(entry);
    if (direction === null || client === null) continue;
    const id = requestIdOf(entry);
    const group = id === null ? [] : (groups.get(`${client}/${id}`) ?? []);
    const first = group[0]?.t ?? entry.t;
    const last = group.at(-1)?.t ?? entry.t;
    const latency = typeof entry.details.latencyMs === 'number' ? entry.details.latencyMs : null;
    let sentMs = entry.t;
    let arrivedMs = entry.t;
    if (latency !== null) arrivedMs = entry.t + latency;
    else if (direction === 'post' && last > entry.t) arrivedMs = (entry.t + last) / 2;
    else if (direction === 'response' && first < entry.t) sentMs = (first + entry.t) / 2;
    const lost = /lost|drop/.test(entry.kind) || (direction === 'post' && neverAnswered(group));
    const sent = direction === 'frame' && latency === null ? sends.take(client, frameData(entry)) : undefined;
    if (sent && !lost) sentMs = Math.min(sent.t, arrivedMs);
    messages.push({
      direction,
      client,
      sentMs,
      arrivedMs,
      lost,
      label: messageLabel(entry),
      tag: messageTag(entry, direction, group[0]),
      index: entry.index,
      ...(sent ? { sentIndex: sent.index } : {}),
    });
  }
  return messages;
}

/**
 * The server's frame writes not yet delivered, so a delivered frame can be drawn from when it was
 * written: `server.frame.sent` names a connection, the client's `net.welcome` says whose it is,
 * and the frame's data names its session and seq.
 */
class FrameSends {
  private readonly clientOfConnection = new Map<string, string>();
  private readonly pending = new Map<string, TraceEntry[]>();

  note(entry: TraceEntry): void {
    const connectionId = entry.details.connectionId;
    if (typeof connectionId !== 'string') return;
    if (entry.kind === 'net.welcome') {
      const client = clientOfActor(entry.actor);
      if (client) this.clientOfConnection.set(connectionId, client);
    } else if (entry.kind === 'server.frame.sent') {
      const client = this.clientOfConnection.get(connectionId);
      if (!client) return;
      const key = `${client}/${String(entry.details.sessionId)}/${String(entry.details.seq)}`;
      const queue = this.pending.get(key);
      if (queue) queue.push(entry);
      else this.pending.set(key, [entry]);
    }
  }

  take(client: string, data: Record<string, unknown> | null): TraceEntry | undefined {
    if (!data || data.seq === undefined) return undefined;
    return this.pending.get(`${client}/${String(data.sessionId)}/${String(data.seq)}`)?.shift();
  }
}

/** The JSON object on a frame's `data:` line, or null when it has none. */
function frameData(entry: TraceEntry): Record<string, unknown> | null {
  const chunk = entry.details.chunk;
  const line = typeof chunk === 'string' ? /^data: ?(.*)$/m.exec(chunk)?.[1] : undefined;
  if (line === undefined) return null;
  try {
    const parsed: unknown = JSON.parse(line);
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** `POST /send`, `200 /send`, `user_message seq 3`: what the arrow carries, short enough to sit beside it. */
function messageTag(entry: TraceEntry, direction: MessageDirection, first: TraceEntry | undefined): string {
  const d = entry.details;
  const route = (path: unknown): string => (typeof path === 'string' ? path.replace(/^\/api\/chat/, '') : '');
  if (direction === 'post') return [d.method, route(d.path)].filter(Boolean).map(String).join(' ');
  if (direction === 'response')
    return [d.status ?? entry.kind.slice(4), route(first?.details.path)].filter(Boolean).map(String).join(' ');
  const data = frameData(entry) ?? {};
  const type = data.eventType ?? data.type ?? d.eventType ?? d.type ?? entry.kind.slice(4);
  const seq = data.seq ?? d.seq;
  return `${String(type)}${seq === undefined ? '' : ` seq ${String(seq)}`}${/lost/.test(entry.kind) ? ' lost' : ''}`;
}

/** A request that failed on the way and got no response: its POST is drawn as lost. */
function neverAnswered(group: TraceEntry[]): boolean {
  return group.some((e) => /failed|lost/.test(e.kind)) && !group.some((e) => classifyNetKind(e.kind) === 'response');
}

function messageLabel(entry: TraceEntry): string {
  const d = entry.details;
  const sseEvent = typeof d.chunk === 'string' ? /^event: ?(.*)$/m.exec(d.chunk)?.[1] : undefined;
  const parts = [
    entry.kind.slice(4),
    d.method,
    d.path,
    d.status,
    d.eventType ?? d.type ?? sseEvent,
    d.seq === undefined ? undefined : `seq ${String(d.seq)}`,
  ];
  return parts
    .filter((part) => part !== undefined && part !== null && part !== '')
    .map(String)
    .join(' ');
}

/** Requests whose first and last network entries are apart in time: spans for Perfetto. */
export function requestSpans(trace: readonly TraceEntry[]): RequestSpan[] {
  const spans: RequestSpan[] = [];
  for (const [key, group] of groupByRequest(trace)) {
    const first = group[0]!;
    const last = group.at(-1)!;
    if (group.length < 2 || last.t <= first.t) continue;
    const slash = key.indexOf('/');
    spans.push({
      client: key.slice(0, slash),
      requestId: key.slice(slash + 1),
      startMs: first.t,
      endMs: last.t,
      label: messageLabel(first),
      startIndex: first.index,
    });
  }
  return spans.sort((a, b) => a.startIndex - b.startIndex);
}
