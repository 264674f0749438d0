/**
 * What a fault kind needs of the server beyond its request handler. A transport's server may lack
 * these optional capabilities (a user's own server usually keeps no connection registry); a kind
 * that needs one it lacks is not applicable to that server: it is never drawn, and fault coverage
 * says `not applicable` instead of counting a fault that fired into nothing.
 */
import { FAULT_KINDS, type FaultKind } from '../../scenarios/index.ts';

/** The optional members of the world's ServerLike that a fault or the end state reads. */
export const SERVER_CAPABILITIES = [
  'forgetConnection',
  'connectionIds',
  'openPermissionRequests',
  'interrupts',
] as const;

export type ServerCapability = (typeof SERVER_CAPABILITIES)[number];

const FAULT_NEEDS: Partial<Record<FaultKind, readonly ServerCapability[]>> = {
  'forget-connection': ['forgetConnection', 'connectionIds'],
  'interrupt-reject': ['interrupts'],
};

/** Each fault kind a server with `capabilities` cannot take, with the capabilities it lacks. */
export function inapplicableFaults(
  capabilities: readonly ServerCapability[],
): Partial<Record<FaultKind, ServerCapability[]>> {
  const out: Partial<Record<FaultKind, ServerCapability[]>> = {};
  for (const kind of FAULT_KINDS) {
    const missing = (FAULT_NEEDS[kind] ?? []).filter((capability) => !capabilities.includes(capability));
    if (missing.length > 0) out[kind] = missing;
  }
  return out;
}
