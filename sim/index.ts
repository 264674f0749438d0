/**
 * The public surface of sim/: what other folders may import from it. Everything else in
 * the folder is internal and may change without notice.
 */
export { runSignatures, signatureProperty, violationSignature } from './failure-signature.ts';
export type { RunResult, RunVersion } from './run-result.ts';
export { runVersionOf, transportVersionOf } from './run-version.ts';
export { runScenario } from './run.ts';
export { BUNDLED_PROFILE } from './net/index.ts';
export type { AppMessage, PromptOnWire, ProtocolProfile } from './net/index.ts';
export { realTransportFactory } from './world/index.ts';
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
} from './world/index.ts';
