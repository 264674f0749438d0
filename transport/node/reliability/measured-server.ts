/**
 * The chat server of one transport tree, alone in its own process so its memory can be measured
 * from outside: `tsx measured-server.ts --root DIR --db PATH [--agent none|simulated]`. DIR is a
 * `transport/` folder, this one or an older one checked out elsewhere, so the same load can be
 * driven against the server with and without a change. Prints its url on the first line of
 * stdout; logs warnings to stderr as one JSON line each.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import type * as ChatServerModule from '../../server/chat-server.ts';
import type * as EventStoreModule from '../../server/event-store.ts';
import type * as AgentModule from '../../server/agent.ts';
import type * as ScriptedAgentModule from '../../testing/scripted-agent.ts';
import type * as EnvModule from '../../env.ts';
import type * as HttpAdapterModule from '../http-adapter.ts';

/** A slow agent, so that prompts pile up in its queue as they would behind a real model. */
const SLOW_AGENT = { stepDelayMsMin: 200, stepDelayMsMax: 400, stepsMin: 3, stepsMax: 5, permissionChance: [0, 1] };

async function load<T>(root: string, file: string): Promise<T> {
  return (await import(pathToFileURL(path.join(root, file)).href)) as T;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { root: { type: 'string' }, db: { type: 'string' }, agent: { type: 'string', default: 'none' } },
  });
  if (!values.root || !values.db) throw new Error('--root and --db are required');
  const root = path.resolve(values.root);
  const { ChatServer } = await load<typeof ChatServerModule>(root, 'server/chat-server.ts');
  const { EventStore } = await load<typeof EventStoreModule>(root, 'server/event-store.ts');
  const { SimulatedAgent } = await load<typeof AgentModule>(root, 'server/agent.ts');
  const { scriptedAgentFactory } = await load<typeof ScriptedAgentModule>(root, 'testing/scripted-agent.ts');
  const { realEnv, stderrLogger } = await load<typeof EnvModule>(root, 'env.ts');
  const { serveChat } = await load<typeof HttpAdapterModule>(root, 'node/http-adapter.ts');

  const env = realEnv({ logger: stderrLogger });
  const store = new EventStore({ env, path: values.db });
  const agentFactory =
    values.agent === 'simulated'
      ? (sessionId: string, emit: AgentModule.AgentEmit) =>
          new SimulatedAgent({ env, sessionId, emit, agentOptions: SLOW_AGENT as Partial<AgentModule.AgentOptions> })
      : scriptedAgentFactory().factory;
  const server = new ChatServer({ env, store, agentFactory });
  server.start();
  const served = await serveChat(server.handle, { port: 0, logger: stderrLogger });
  process.stdout.write(`${served.url}\n`);
  process.on('SIGTERM', () => {
    void served.close().then(() => {
      server.stop();
      store.close();
      process.exit(0);
    });
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`measured-server: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
