/**
 * The public surface of sim/world/: what other folders may import from it. Everything else in
 * the folder is internal and may change without notice.
 */
export type {
  ClientIo,
  ClientLike,
  OutgoingMessage,
  ServerLike,
  StoreLike,
  TransportFactory,
} from './transport-factory.ts';
export { World } from './world.ts';
export type { WorldOptions } from './world.ts';
export { realTransportFactory } from './transport-factory.ts';
export type { ClientObserver, SendResult, ServerHooks, ServerObserver, TraceNote } from './transport-factory.ts';
export { nodeServer } from './node-server.ts';
export type { NodeServerApp, NodeServerStart } from './node-server.ts';
export type { NodeRequestListener } from './node-listener.ts';
