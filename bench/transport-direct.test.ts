import { describe, expect, it } from 'vitest';
import { driveTransportDirect } from './transport-direct.ts';

describe('driveTransportDirect', () => {
  const workload = {
    clients: 2,
    sessions: 1,
    prompts: 3,
    sendAttempts: 5,
    connections: 4,
    agentEvents: 10,
    virtualMs: 20_000,
  };

  it('stores each prompt once however often it is retried, and every agent event', async () => {
    const retried = await driveTransportDirect(workload);
    const once = await driveTransportDirect({ ...workload, sendAttempts: workload.prompts });
    expect(retried.eventsStored).toBe(once.eventsStored);
    expect(once.eventsStored).toBeGreaterThanOrEqual(workload.prompts + workload.agentEvents);
    const morePrompts = await driveTransportDirect({ ...workload, prompts: 4, sendAttempts: 4 });
    expect(morePrompts.eventsStored).toBe(once.eventsStored + 1);
  });

  it('writes every stored event to each client, plus a welcome and a reconnected frame per connection', async () => {
    const cost = await driveTransportDirect(workload);
    const perConnection = 2;
    expect(cost.framesWritten).toBeGreaterThanOrEqual(
      workload.clients * cost.eventsStored + workload.connections * perConnection,
    );
    const fewer = await driveTransportDirect({ ...workload, connections: workload.clients });
    expect(fewer.framesWritten).toBeLessThan(cost.framesWritten);
  });
});
