/**
 * Runs the real chat server on a real port, for trying the transport by hand or from a browser:
 *   tsx transport/node/main.ts --db ./chat.db --port 8080 [--host 127.0.0.1] [--version fixed]
 * Bad arguments exit with code 2, like the ssesim CLI.
 */
import { parseArgs } from 'node:util';
import { isVersionName, resolveVersion, VERSION_NAMES } from '../defects.ts';
import { ChatServer } from '../server/chat-server.ts';
import { EventStore } from '../server/event-store.ts';
import { createNodeServerEnv, serveChat } from './http-adapter.ts';

function usage(message: string): never {
  process.stderr.write(
    `${message}\nusage: tsx transport/node/main.ts --db PATH [--port N] [--host H] [--version ${VERSION_NAMES.join('|')}]\n`,
  );
  process.exit(2);
}

function parseOptions() {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        db: { type: 'string' },
        port: { type: 'string', default: '8080' },
        host: { type: 'string', default: '127.0.0.1' },
        version: { type: 'string', default: 'fixed' },
      },
    }));
  } catch (error) {
    usage(String(error instanceof Error ? error.message : error));
  }
  if (!values.db) usage('--db is required');
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) usage(`--port must be 0..65535, got ${values.port}`);
  if (!isVersionName(values.version))
    usage(`--version must be one of ${VERSION_NAMES.join(', ')}, got ${values.version}`);
  return { db: values.db, port, host: values.host, version: values.version };
}

async function main(): Promise<void> {
  const options = parseOptions();
  const env = createNodeServerEnv();
  const store = new EventStore({ env, path: options.db });
  const server = new ChatServer({ env, store, defects: resolveVersion(options.version).defects });
  server.start();
  const served = await serveChat(server.handle, { host: options.host, port: options.port });
  process.stdout.write(`ssesim chat server (${options.version}) on ${served.url}, db ${options.db}\n`);

  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    await served.close();
    server.stop();
    store.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown());
  process.on('SIGTERM', () => void shutdown());
}

void main();
