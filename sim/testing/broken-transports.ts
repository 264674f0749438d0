/**
 * Canaries: the real transport with one deliberate bug wrapped around it, plugged in through the
 * TransportFactory seam. A harness that passes these has stopped checking anything, so the canary
 * test expects every one of them to fail. They wrap the real classes; none is a copy.
 */
import { jsonResponse, type HttpRequest } from '../../transport/http.ts';
import { realTransportFactory, type TransportFactory } from '../world/transport-factory.ts';

/**
 * The client swallows every `everyNth` session event after the transport took it in and before
 * the app sees it: the transport's cursor moves on, so nothing ever repairs the hole.
 */
export function droppingClientFactory(everyNth = 3): TransportFactory {
  return {
    ...realTransportFactory,
    name: `canary-drop-one-in-${everyNth}-events`,
    createClient(env, io, version) {
      const client = realTransportFactory.createClient(env, io, version);
      let sessionEvents = 0;
      return {
        ...client,
        onMessage: (listener) =>
          client.onMessage((message) => {
            const type = (message as { type?: unknown }).type;
            if (type === 'session_event' && ++sessionEvents % everyNth === 0) return;
            listener(message);
          }),
      };
    },
  };
}

/**
 * The server acknowledges every prompt with a well-formed receipt but never persists or runs it:
 * the client is told its prompt was accepted, and it is lost.
 */
export function forgetfulServerFactory(): TransportFactory {
  return {
    ...realTransportFactory,
    name: 'canary-forget-prompts',
    createServer(env, store, version, agent, hooks) {
      const server = realTransportFactory.createServer(env, store, version, agent, hooks);
      let fakeSeq = 0;
      const handle = (request: HttpRequest) => {
        if (request.method !== 'POST' || request.path !== '/api/chat/send') return server.handle(request);
        const { clientMsgId, sessionId } = JSON.parse(request.body) as { clientMsgId: string; sessionId: string };
        return Promise.resolve(
          jsonResponse(202, { accepted: true, clientMsgId, sessionId, seq: 1_000_000 + ++fakeSeq }),
        );
      };
      return { ...server, handle, start: () => server.start() };
    },
  };
}

/**
 * The server's registry evicts every connection every `everyMs` and nobody closes their streams:
 * a client keeps believing it is connected on an id the server no longer writes to.
 */
export function evictingServerFactory(everyMs = 4_000): TransportFactory {
  return {
    ...realTransportFactory,
    name: `canary-evict-connections-every-${everyMs}ms`,
    createServer(env, store, version, agent, hooks) {
      const server = realTransportFactory.createServer(env, store, version, agent, hooks);
      const start = () => {
        server.start();
        env.timers.setInterval(() => server.connectionIds!().forEach((id) => server.forgetConnection!(id)), everyMs);
      };
      return { ...server, start };
    },
  };
}
