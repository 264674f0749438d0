/** What the routers share: the injected deps and the parts `createChatApp` built from them. */
import type { ChatDeps } from './chat-deps.ts';
import type { ChatStore, StoredMessage } from './chat-store.ts';
import type { Connections } from './connections.ts';
import type { EchoAgent } from './echo-agent.ts';

export interface ChatContext {
  deps: ChatDeps;
  store: ChatStore;
  connections: Connections;
  agent: EchoAgent;
  /** Stores a message and pushes it to every stream watching its session. */
  publish(sessionId: string, kind: string, body: unknown): StoredMessage;
}
