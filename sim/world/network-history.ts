/**
 * What the simulator learns by itself, from the network it owns, for every transport alike:
 * welcomes (which client holds which connection), every session event frame that reached a
 * client, and every prompt POST with the answer the network delivered, matched to its prompt by
 * the client message id the body carries (read by the protocol profile). A request the page
 * dropped (a reload, an abort) gets no answer: nobody heard one.
 */
import type { HistoryEntryBody } from '../../model/index.ts';
import type { NetworkRecord, ProtocolProfile } from '../net/index.ts';

interface PromptPost {
  client: string;
  clientMsgId: string;
  sessionId: string;
  attempt: number;
}

export class NetworkHistory {
  /** connectionId -> the client its welcome went to. */
  private readonly connectionClients = new Map<string, string>();
  /** requestId -> the prompt POST still waiting for its answer. */
  private readonly promptPosts = new Map<string, PromptPost>();
  /** client -> clientMsgId -> POSTs so far. */
  private readonly postsOf = new Map<string, Map<string, number>>();

  constructor(private readonly profile: ProtocolProfile) {}

  /** The client a connection was welcomed to, or null before its welcome. */
  clientOf(connectionId: string): string | null {
    return this.connectionClients.get(connectionId) ?? null;
  }

  /** The history entry a network record makes, if any. */
  entryOf(record: NetworkRecord): HistoryEntryBody | undefined {
    const { kind, clientId: client, details } = record;
    switch (kind) {
      case 'welcome': {
        const connectionId = String(details.connectionId);
        this.connectionClients.set(connectionId, client);
        return { kind: 'welcome', client, connectionId };
      }
      case 'frame-delivered': {
        const received = this.profile.sessionEventOf(String(details.chunk ?? ''));
        return received
          ? { kind: 'frame-received', client, stream: String(details.streamId ?? ''), ...received }
          : undefined;
      }
      case 'request':
        return this.promptAttempt(record);
      case 'response':
        return this.promptOutcome(
          String(details.requestId),
          typeof details.status === 'number' ? details.status : null,
          retryAfterMsOf(details.retryAfter),
        );
      case 'request-failed':
        return this.promptOutcome(String(details.requestId), null);
      case 'request-abandoned':
      case 'request-aborted':
        this.promptPosts.delete(String(details.requestId));
        return undefined;
      default:
        return undefined;
    }
  }

  private promptAttempt(record: NetworkRecord): HistoryEntryBody | undefined {
    const { clientId: client, details, request } = record;
    const path = String(details.path ?? '').split('?')[0];
    if (details.channel !== 'fetch' || details.method !== 'POST' || path !== this.profile.paths.send) return undefined;
    const prompt = this.profile.promptOf(String(details.body ?? ''));
    if (prompt === null) return undefined;
    let posts = this.postsOf.get(client);
    if (posts === undefined) this.postsOf.set(client, (posts = new Map()));
    const attempt = (posts.get(prompt.clientMsgId) ?? 0) + 1;
    posts.set(prompt.clientMsgId, attempt);
    const { clientMsgId, sessionId } = prompt;
    this.promptPosts.set(String(details.requestId), { client, clientMsgId, sessionId, attempt });
    const connectionId = request?.headers[this.profile.connectionHeader] ?? null;
    return { kind: 'send-attempt', client, clientMsgId, sessionId, attempt, prompt: prompt.prompt, connectionId };
  }

  private promptOutcome(requestId: string, status: number | null, retryAfterMs?: number): HistoryEntryBody | undefined {
    const post = this.promptPosts.get(requestId);
    if (post === undefined) return undefined;
    this.promptPosts.delete(requestId);
    return retryAfterMs === undefined
      ? { kind: 'send-outcome', ...post, status }
      : { kind: 'send-outcome', ...post, status, retryAfterMs };
  }
}

/**
 * A `Retry-After` header in delay-seconds, as milliseconds. An HTTP date is left out: the
 * simulated server's clock is the virtual one, and no transport here sends one.
 */
function retryAfterMsOf(value: unknown): number | undefined {
  if (typeof value !== 'string' || !/^\s*\d+\s*$/.test(value)) return undefined;
  return Number(value.trim()) * 1000;
}
