/**
 * Canaries: the real transport with one deliberate bug wrapped around it, plugged in through the
 * TransportFactory seam. A harness that passes these has stopped checking anything, so the canary
 * test expects every one of them to fail. They wrap the real classes; none is a copy.
 */
import type { FetchLike } from '../../transport/client/browser-io.ts';
import { jsonResponse, type HttpRequest, type HttpResponse } from '../../transport/http.ts';
import {
  realTransportFactory,
  type OutgoingMessage,
  type ServerLike,
  type TransportFactory,
} from '../world/transport-factory.ts';

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

/** The first POST of every prompt is answered in the server's place; later ones reach the server. */
function firstPostAnswered(server: ServerLike, answer: () => HttpResponse): ServerLike {
  const seen = new Set<string>();
  const handle = (request: HttpRequest) => {
    if (request.method !== 'POST' || request.path !== '/api/chat/send') return server.handle(request);
    const { clientMsgId } = JSON.parse(request.body) as { clientMsgId: string };
    if (seen.has(clientMsgId)) return server.handle(request);
    seen.add(clientMsgId);
    return Promise.resolve(answer());
  };
  return { ...server, handle, start: () => server.start() };
}

/**
 * The server refuses every fresh prompt with 409 (a conflict on an id it has never seen), which
 * the client takes as a refusal for good: each prompt is reported failed and none is persisted.
 */
export function freshIdRefusingServerFactory(): TransportFactory {
  return {
    ...realTransportFactory,
    name: 'canary-refuse-fresh-prompts',
    createServer(env, store, version, agent, hooks) {
      const server = realTransportFactory.createServer(env, store, version, agent, hooks);
      return firstPostAnswered(server, () => jsonResponse(409, { error: 'conflict' }));
    },
  };
}

/**
 * The server rate-limits the first POST of every prompt with 429 and `Retry-After: 5`. The real
 * client waits that long; with `clientHearsNoRetryAfter` the client's fetch loses the header on
 * the way in, so the client retries on its own 1 s backoff, too early.
 */
export function rateLimitingServerFactory(options: { clientHearsNoRetryAfter: boolean }): TransportFactory {
  return {
    ...realTransportFactory,
    name: options.clientHearsNoRetryAfter ? 'canary-ignore-retry-after' : 'rate-limiting-server',
    createServer(env, store, version, agent, hooks) {
      const server = realTransportFactory.createServer(env, store, version, agent, hooks);
      return firstPostAnswered(server, () => jsonResponse(429, { error: 'slow down' }, { 'retry-after': '5' }));
    },
    createClient(env, io, version) {
      if (!options.clientHearsNoRetryAfter) return realTransportFactory.createClient(env, io, version);
      const fetch: FetchLike = async (url, init) => {
        const response = await io.fetch(url, init);
        const headers = {
          get: (name: string) => (name.toLowerCase() === 'retry-after' ? null : response.headers.get(name)),
        };
        return {
          ok: response.ok,
          status: response.status,
          headers,
          json: () => response.json(),
          text: () => response.text(),
        };
      };
      return realTransportFactory.createClient(env, { ...io, fetch }, version);
    },
  };
}

/**
 * The client holds every prompt for `holdMs` before it hands it to the real outbox (a batching
 * client with a far too long window): each prompt lands, once, but long after the network healed.
 */
export function dawdlingClientFactory(holdMs: number): TransportFactory {
  return {
    ...realTransportFactory,
    name: `canary-hold-prompts-${holdMs}ms`,
    createClient(env, io, version) {
      const client = realTransportFactory.createClient(env, io, version);
      const send = (message: OutgoingMessage) => {
        if (message.type !== 'send') return client.send(message);
        env.timers.setTimeout(() => void client.send(message), holdMs);
        return true;
      };
      return { ...client, send };
    },
  };
}
