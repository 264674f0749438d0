/**
 * Queries over a finished run's trace and history for tests that assert what a fault did, not
 * only that it fired: which request a send attempt became, what answered it and when, which
 * welcomes a client took. Everything here reads recorded entries; nothing looks at live objects.
 */
import type { EntryOf, HistoryKind } from '../../model/history.ts';
import { POST_PREFIX } from '../../transport/protocol.ts';
import type { RunResult } from '../run-result.ts';
import type { TraceEntry } from '../core/trace.ts';
import { assert } from '../core/assert.ts';

type Run = Pick<RunResult, 'trace' | 'history'>;

export function traceOf(run: Run, kind: string, actor?: string): TraceEntry[] {
  return run.trace.filter((entry) => entry.kind === kind && (actor === undefined || entry.actor === actor));
}

export function historyOf<K extends HistoryKind>(run: Run, kind: K): EntryOf<K>[] {
  return run.history.entries.filter((entry): entry is EntryOf<K> => entry.kind === kind);
}

/** One request as the network saw it: sent, perhaps hit by an injected answer, perhaps answered. */
export interface RequestEvidence {
  requestId: string;
  client: string;
  path: string;
  body: string;
  sentMs: number;
  /** The network's fault decision for it (drop, respond, lose-response, delay), if any. */
  fault?: Record<string, unknown>;
  /** The status the client got, and when; absent when the request failed or never settled. */
  status?: number;
  answeredMs?: number;
  /** Why the request failed, when it did (dropped, server-down, ...). */
  failedReason?: string;
}

function detail(entry: TraceEntry, key: string): string {
  return String(entry.details[key] ?? '');
}

export function requestEvidence(run: Run, requestId: string): RequestEvidence {
  const mine = run.trace.filter((entry) => entry.details.requestId === requestId && entry.actor.startsWith('net:'));
  const sent = mine.find((entry) => entry.kind === 'net.request');
  if (!sent) throw new Error(`requestEvidence: no net.request ${requestId}`);
  const fault = mine.find((entry) => entry.kind === 'net.request-fault');
  const response = mine.find((entry) => entry.kind === 'net.response');
  const failed = mine.find((entry) => entry.kind === 'net.request-failed');
  return {
    requestId,
    client: sent.actor.slice('net:'.length),
    path: detail(sent, 'path'),
    body: detail(sent, 'body'),
    sentMs: sent.t,
    ...(fault ? { fault: fault.details } : {}),
    ...(response ? { status: Number(response.details.status), answeredMs: response.t } : {}),
    ...(failed ? { failedReason: detail(failed, 'reason') } : {}),
  };
}

/** A prompt POST: the client's send attempt joined to the request it became. */
export interface SendAttemptEvidence extends RequestEvidence {
  clientMsgId: string;
  attempt: number;
  connectionId: string;
}

/** Every prompt POST of the run, in the order the clients made them. */
export function sendAttempts(run: Run): SendAttemptEvidence[] {
  const attempts: SendAttemptEvidence[] = [];
  run.trace.forEach((entry, index) => {
    if (entry.kind !== 'client.send.attempt') return;
    const clientMsgId = detail(entry, 'clientMsgId');
    const request = run.trace
      .slice(index + 1)
      .find(
        (next) =>
          next.kind === 'net.request' &&
          next.actor === `net:${entry.actor}` &&
          detail(next, 'body').includes(`"clientMsgId":"${clientMsgId}"`),
      );
    if (!request) return;
    const evidence = requestEvidence(run, detail(request, 'requestId'));
    attempts.push({
      ...evidence,
      clientMsgId,
      attempt: Number(entry.details.attempt),
      connectionId: detail(entry, 'connectionId'),
    });
  });
  return attempts;
}

/** The requests a fault of this kind hit, for faults the injector decides per POST. */
export function requestsHitBy(run: Run, fault: string, pathPrefix = POST_PREFIX): RequestEvidence[] {
  return traceOf(run, `fault.${fault}`)
    .filter((entry) => detail(entry, 'path').startsWith(pathPrefix) && entry.details.requestId !== undefined)
    .map((entry) => requestEvidence(run, detail(entry, 'requestId')));
}

/** The clientMsgId a send request carried, or null for any other request. */
export function clientMsgIdOf(request: Pick<RequestEvidence, 'body'>): string | null {
  const match = /"clientMsgId":"([^"]+)"/.exec(request.body);
  if (!match) return null;
  assert(match[1] !== undefined, 'the pattern always captures the id');
  return match[1];
}
