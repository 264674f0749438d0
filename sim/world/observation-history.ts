/**
 * Turns the transport's observation log events (transport/observations.ts) into history
 * entries. Events that no property reads map to nothing and stay in the trace only.
 */
import { OBS } from '../../transport/index.ts';
import type { HistoryEntryBody } from '../../model/index.ts';

const str = (value: unknown): string => String(value ?? '');
const num = (value: unknown): number => (typeof value === 'number' ? value : Number(value ?? 0));

export function observationToHistory(
  actor: string,
  event: string,
  data: Record<string, unknown>,
  clientOf: (connectionId: string) => string | null,
): HistoryEntryBody | null {
  switch (event) {
    case OBS.clientCursor:
      return { kind: 'cursor', client: actor, sessionId: str(data.sessionId), cursor: num(data.cursor) };
    case OBS.clientQueueLength:
      return { kind: 'queue', client: actor, length: num(data.length) };
    case OBS.clientBufferLength:
      return { kind: 'buffer', client: actor, sessionId: str(data.sessionId), length: num(data.length) };
    case OBS.clientSendAttempt:
      return {
        kind: 'send-attempt',
        client: actor,
        clientMsgId: str(data.clientMsgId),
        sessionId: str(data.sessionId),
        attempt: num(data.attempt),
      };
    case OBS.clientSendOutcome:
      return {
        kind: 'send-outcome',
        client: actor,
        clientMsgId: str(data.clientMsgId),
        sessionId: str(data.sessionId),
        status: typeof data.status === 'number' ? data.status : null,
      };
    case OBS.serverFrameSent:
      return {
        kind: 'frame-sent',
        connectionId: str(data.connectionId),
        client: clientOf(str(data.connectionId)),
        sessionId: str(data.sessionId),
        seq: num(data.seq),
        via: str(data.via),
      };
    case OBS.serverReconnect:
      return {
        kind: 'reconnect-replay',
        connectionId: str(data.connectionId),
        client: clientOf(str(data.connectionId)),
        sessionId: str(data.sessionId),
        lastSeq: num(data.lastSeq),
        replayed: num(data.replayed),
      };
    case OBS.agentRunStart:
      return {
        kind: 'agent-run',
        sessionId: str(data.sessionId),
        clientMsgId: str(data.clientMsgId),
        prompt: str(data.prompt),
      };
    default:
      return null;
  }
}
