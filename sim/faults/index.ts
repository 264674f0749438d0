/**
 * The public surface of sim/faults/: what other folders may import from it. Everything else in
 * the folder is internal and may change without notice.
 */
export { FaultInjectedAgent } from './fault-injected-agent.ts';
export { FaultInjector } from './faults.ts';
export { NetworkFaultPolicy } from './network-fault-policy.ts';
export type { FaultTargetPage, TimedFaultTargets } from './timed-faults.ts';
export { inapplicableFaults, SERVER_CAPABILITIES } from './fault-capabilities.ts';
export type { ServerCapability } from './fault-capabilities.ts';
