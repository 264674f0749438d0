/**
 * The public surface of sim/net/: what other folders may import from it. Everything else in
 * the folder is internal and may change without notice.
 */
export type {
  FrameFaultContext,
  FrameFaultDecision,
  NetworkFaults,
  RequestFaultContext,
  RequestFaultDecision,
} from './network-faults.ts';
export { SimNetwork } from './network.ts';
export type { NetworkRecord } from './network.ts';
export { BUNDLED_PROFILE } from './protocol-profile.ts';
export type { AppMessage, PromptOnWire, ProtocolProfile } from './protocol-profile.ts';
export { SseParser } from './sse-parser.ts';
