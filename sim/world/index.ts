/**
 * The public surface of sim/world/: what other folders may import from it. Everything else in
 * the folder is internal and may change without notice.
 */
export { World } from './world.ts';
export type { WorldOptions } from './world.ts';
export { BASE_URL, realTransportFactory } from './transport-factory.ts';
export type {
  ClientIo,
  ClientLike,
  ClientObserver,
  OutgoingMessage,
  SendResult,
  ServerHooks,
  ServerLike,
  ServerObserver,
  StoreLike,
  TraceNote,
  TransportFactory,
} from './transport-factory.ts';
