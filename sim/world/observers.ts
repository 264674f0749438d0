/**
 * The world's side of the `observe` API: each report a client or the server makes becomes one
 * trace entry and the history entry the properties read. The trace entries carry the names of
 * the bundled transport's observation log events (transport/observations.ts), so its trace reads
 * the same whichever way it reports, and so does any other transport's.
 */
import { OBS } from '../../transport/index.ts';
import type { Recorder } from '../core/index.ts';
import type { ClientObserver, ServerObserver } from './transport-factory.ts';
import type { ProbeCounts } from './probe-counts.ts';

const str = (value: unknown): string => String(value ?? '');
const num = (value: unknown): number => (typeof value === 'number' ? value : Number(value ?? 0));

/** What one client reports, recorded as that client; `onPromptAccepted` tells its user the id. */
export function clientObserver(
  client: string,
  recorder: Recorder,
  onPromptAccepted: (clientMsgId: string) => void,
  probes: ProbeCounts,
): ClientObserver {
  return {
    probe: (name) => probes.hit(str(name)),
    cursor: (sessionId, cursor) =>
      void recorder.record(
        client,
        OBS.clientCursor,
        { sessionId, cursor },
        { kind: 'cursor', client, sessionId: str(sessionId), cursor: num(cursor) },
      ),
    queueLength: (length, note = {}) =>
      void recorder.record(
        client,
        OBS.clientQueueLength,
        { length, ...note },
        { kind: 'queue', client, length: num(length) },
      ),
    bufferLength: (sessionId, length) =>
      void recorder.record(
        client,
        OBS.clientBufferLength,
        { sessionId, length },
        { kind: 'buffer', client, sessionId: str(sessionId), length: num(length) },
      ),
    promptAccepted: ({ clientMsgId, sessionId, prompt }) => {
      onPromptAccepted(str(clientMsgId));
      recorder.record(client, OBS.clientPromptAccepted, { clientMsgId, sessionId, prompt });
    },
  };
}

/** What the server reports; `clientOf` names the client a connection belongs to, when a welcome told. */
export function serverObserver(
  actor: string,
  recorder: Recorder,
  clientOf: (connectionId: string) => string | null,
  probes: ProbeCounts,
): ServerObserver {
  return {
    probe: (name) => probes.hit(str(name)),
    frameSent: ({ connectionId, sessionId, seq, via }) =>
      void recorder.record(
        actor,
        OBS.serverFrameSent,
        { connectionId, sessionId, seq, via },
        {
          kind: 'frame-sent',
          connectionId: str(connectionId),
          client: clientOf(str(connectionId)),
          sessionId: str(sessionId),
          seq: num(seq),
          via: str(via),
        },
      ),
    reconnectReplayed: ({ connectionId, sessionId, lastSeq, replayed }) =>
      void recorder.record(
        actor,
        OBS.serverReconnect,
        { connectionId, sessionId, lastSeq, replayed },
        {
          kind: 'reconnect-replay',
          connectionId: str(connectionId),
          client: clientOf(str(connectionId)),
          sessionId: str(sessionId),
          lastSeq: num(lastSeq),
          replayed: num(replayed),
        },
      ),
    agentRunStarted: ({ sessionId, clientMsgId, prompt }) =>
      void recorder.record(
        actor,
        OBS.agentRunStart,
        { sessionId, clientMsgId, prompt },
        { kind: 'agent-run', sessionId: str(sessionId), clientMsgId: str(clientMsgId), prompt: str(prompt) },
      ),
  };
}
