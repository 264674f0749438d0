/**
 * Assembly from a version: the fixed version gets the fixed SseConnection, a connection defect
 * the historical one, and a defect elsewhere the fixed connection with historical parts.
 */
import { describe, expect, it } from 'vitest';
import { resolveVersion, type DefectId } from '../defects.ts';
import { MemoryStorage } from '../client/browser-io.ts';
import { SseConnection } from '../client/sse-connection.ts';
import { createFakeEnv } from '../testing/fake-env.ts';
import { FakeEventSources, FakeFetch } from '../testing/fake-browser.ts';
import { clientOfVersion } from './client-of-version.ts';
import { HistoricalSseConnection } from './historical-sse-connection.ts';

function clientOf(extra: DefectId[], storage = new MemoryStorage()) {
  const config = {
    baseUrl: 'http://test',
    fetch: new FakeFetch().fetch,
    createEventSource: new FakeEventSources().factory,
    env: createFakeEnv().env,
    storage,
  };
  return clientOfVersion(config, resolveVersion('fixed', extra));
}

describe('clientOfVersion', () => {
  it('builds the fixed connection unless a connection defect is on', () => {
    expect(clientOf([]).constructor).toBe(SseConnection);
    expect(clientOf(['cursor-on-receipt', 'parallel-flush']).constructor).toBe(SseConnection);
    expect(clientOf(['stale-stream-callbacks'])).toBeInstanceOf(HistoricalSseConnection);
    expect(clientOf(['open-before-flush'])).toBeInstanceOf(HistoricalSseConnection);
  });

  it('keeps pending prompts in storage unless the version loses them on reload', () => {
    const pendingAfterReload = (extra: DefectId[]) => {
      const storage = new MemoryStorage();
      clientOf(extra, storage).send({ type: 'send', sessionId: 's1', prompt: 'a' });
      return clientOf(extra, storage).pendingCount();
    };
    expect(pendingAfterReload([])).toBe(1);
    expect(pendingAfterReload(['reload-loses-pending'])).toBe(0);
  });
});
