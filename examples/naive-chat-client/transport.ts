/**
 * The transport module of the naive chat client (client.ts): the bundled server and store, as the
 * app would talk to them in production, and the app's own client, built as the app builds it.
 * Only the package's public API is used; `'../../index.ts'` is what a project writes as
 * `'ssesim'`. `npx ssesim fuzz --transport examples/naive-chat-client/transport.ts` runs it.
 *
 * The client reaches `EventSource`, `fetch` and `setTimeout` through globals, so the factory says
 * `usesGlobals`: for each run the simulator installs virtual ones, scoped to the page whose code is
 * running. What the client knows and the network cannot show is reported through `observe`: each
 * prompt's id (`promptAccepted`) and the cursor it keeps per session (`cursor`); the bundled
 * server reports what it sent and ran (`frames-sent`, `reconnect-replays`, `agent-runs`). The
 * client keeps no count of its queue, no out-of-order buffer and no pending count, so it reports
 * none: bounded-queue and liveness show `not checked`.
 */
import { bundledTransport, type ClientLike, type TransportFactory } from '../../index.ts';
import { NaiveChatClient } from './client.ts';

/** Any origin will do: the simulated network routes by path. */
const BASE_URL = 'http://chat.example';

const naiveChatClient: TransportFactory = {
  name: 'naive-chat-client',
  observations: ['cursor', 'frames-sent', 'reconnect-replays', 'agent-runs'],
  usesGlobals: true,
  createStore: (env, path) => bundledTransport.createStore(env, path),
  createServer: (env, store, version, agent, hooks) => bundledTransport.createServer(env, store, version, agent, hooks),
  createClient(env, io): ClientLike {
    const client = new NaiveChatClient({
      baseUrl: BASE_URL,
      // In a browser this is crypto.randomUUID(); the world's ids keep runs reproducible.
      newId: () => env.ids.next('naive-msg'),
      onCursor: (sessionId, seq) => io.observe.cursor(sessionId, seq),
    });
    return {
      connect: () => client.connect(),
      dispose: () => client.dispose(),
      isConnected: () => client.isConnected(),
      getConnectionId: () => client.getConnectionId(),
      onMessage: (listener) => client.onMessage(listener),
      watchSession: (sessionId) => client.watchSession(sessionId),
      checkAndReconnect: () => client.checkAndReconnect(),
      trackedSessions: () => client.trackedSessions(),
      send(message) {
        const result = client.send(message);
        if (message.type === 'send' && result.clientMsgId !== undefined) {
          const { sessionId, prompt } = message;
          io.observe.promptAccepted({ clientMsgId: result.clientMsgId, sessionId, prompt });
        }
        return result;
      },
    };
  },
};

export default naiveChatClient;
