/**
 * Where a client is assembled from a transport version: the fixed SseConnection when the version
 * changes nothing in the client, otherwise one built from the historical parts its defects (and
 * its send path) need. The one place that chooses between fixed and historical client code.
 */
import type { Defects, SendPath } from '../defects.ts';
import { SseConnection, type SseConnectionConfig } from '../client/sse-connection.ts';
import { HistoricalClientParts } from './historical-client-parts.ts';
import { HistoricalClientPolicy } from './historical-client-policy.ts';
import { HistoricalSseConnection } from './historical-sse-connection.ts';

/** What of a version the client depends on. */
export interface ClientVersion {
  readonly defects: Defects;
  readonly sendPath: SendPath;
}

export function clientOfVersion(config: SseConnectionConfig, version: ClientVersion): SseConnection {
  const policy = new HistoricalClientPolicy(version.defects, version.sendPath);
  if (policy.isFixedClient()) return new SseConnection(config);
  const parts = new HistoricalClientParts(policy);
  const { storage, ...rest } = config;
  // Without a storage the pending prompts live only as long as the page.
  const historical: SseConnectionConfig = policy.replaces('prompt-storage') ? rest : { ...rest, storage };
  if (policy.replaces('connection')) return new HistoricalSseConnection(historical, policy, parts);
  return new SseConnection({ ...historical, parts });
}
