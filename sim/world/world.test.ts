/**
 * Whose is an error nobody caught? The world charges it to the actor whose code raised it, not to
 * wherever that code lives: these transports come from a user's factory (this file, outside
 * transport/), and their errors are still told apart by client and from the server's.
 */
import { describe, expect, it } from 'vitest';
import { resolveVersion } from '../../transport/defects.ts';
import { runScenario } from '../run.ts';
import { TINY_CALM } from '../testing/tiny-scenarios.ts';
import { realTransportFactory, type TransportFactory } from './transport-factory.ts';

/**
 * The real client, except that the `faultyIndex`-th client created (1-based: c1, c2, ...) has a
 * timer callback that throws and a message listener that rejects, once each.
 */
function faultyClientFactory(faultyIndex: number): TransportFactory {
  let created = 0;
  return {
    ...realTransportFactory,
    name: 'test-faulty-client',
    createClient(env, io, version) {
      const client = realTransportFactory.createClient(env, io, version);
      if (++created !== faultyIndex) return client;
      let rejected = false;
      return {
        ...client,
        connect: () => {
          client.connect();
          env.timers.setTimeout(() => {
            throw new Error('client timer callback threw');
          }, 1000);
        },
        onMessage: (listener) =>
          client.onMessage(async (message) => {
            listener(message);
            await Promise.resolve();
            if (rejected) return;
            rejected = true;
            throw new Error('client message listener rejected');
          }),
      };
    },
  };
}

/** The real server, except that one of its own timers throws a second after it starts. */
function faultyServerFactory(): TransportFactory {
  let thrown = false;
  return {
    ...realTransportFactory,
    name: 'test-faulty-server',
    createServer(env, store, version, agent, hooks) {
      const server = realTransportFactory.createServer(env, store, version, agent, hooks);
      const start = () => {
        server.start();
        env.timers.setTimeout(() => {
          if (thrown) return;
          thrown = true;
          throw new Error('server timer callback threw');
        }, 1000);
      };
      return { ...server, start };
    },
  };
}

function runWith(factory: TransportFactory) {
  return runScenario({ scenario: TINY_CALM, seed: 5, version: resolveVersion('fixed'), factory });
}

describe('World: uncaught errors', () => {
  it("charges a client's uncaught errors to that client and leaves the server up", async () => {
    const result = await runWith(faultyClientFactory(2));
    const uncaught = result.trace.filter((entry) => entry.kind === 'client.uncaught');
    expect(uncaught.map((entry) => [entry.actor, entry.details.message])).toEqual(
      expect.arrayContaining([
        ['c2', 'client timer callback threw'],
        ['c2', 'client message listener rejected'],
      ]),
    );
    expect(uncaught).toHaveLength(2);
    expect(result.trace.filter((entry) => entry.kind === 'server.down')).toEqual([]);
    expect(result.harnessError).toBeUndefined();
  });

  it('crashes the server for an error its own code raised', async () => {
    const result = await runWith(faultyServerFactory());
    const downs = result.trace.filter((entry) => entry.kind === 'server.down');
    expect(downs.map((entry) => entry.details)).toEqual([
      { injected: false, reason: 'uncaught: server timer callback threw' },
    ]);
    expect(result.trace.filter((entry) => entry.kind === 'client.uncaught')).toEqual([]);
  });
});

describe('World: what a factory declares', () => {
  it('refuses a factory declaring pending-count whose client has no pendingCount()', async () => {
    const factory: TransportFactory = {
      ...realTransportFactory,
      name: 'test-no-pending-count',
      createClient: (env, io, version) => {
        const { pendingCount: _dropped, ...client } = realTransportFactory.createClient(env, io, version);
        return client;
      },
    };
    await expect(runWith(factory)).rejects.toThrow(
      'transport test-no-pending-count declares the pending-count observation but its client has no pendingCount()',
    );
    const honest = await runWith({ ...factory, observations: ['cursor'] });
    expect(honest.properties.liveness).toEqual({ status: 'not-checked', needs: ['pending-count'] });
    expect(honest.history.end.clients.map((client) => client.pendingCount)).toEqual([null, null]);
  });

  it('refuses an observation kind that does not exist, naming it and the known ones', async () => {
    const factory = { ...realTransportFactory, observations: ['cursor', 'cursors'] } as unknown as TransportFactory;
    await expect(runWith(factory)).rejects.toThrow(/declares unknown observations "cursors" \(known: cursor, /);
  });
});
