/**
 * Runs the real chat server on a real port, for trying the transport by hand or from a browser:
 *   tsx transport/node/main.ts --db ./chat.db --port 8080 [--host 127.0.0.1] [--version fixed]
 * It binds loopback unless told otherwise. Bad arguments, a host it cannot listen on and a
 * database it cannot open are one line on stderr and exit 2, like the ssesim CLI: whoever
 * mistyped an argument needs to read which one, not a stack trace.
 */
import net from 'node:net';
import { parseArgs } from 'node:util';
import { isVersionName, resolveVersion, VERSION_NAMES, type VersionName } from '../defects.ts';
import { ChatServer } from '../server/chat-server.ts';
import { EventStore } from '../server/event-store.ts';
import { createNodeServerEnv, serveChat, type ServedChat } from './http-adapter.ts';

const VERSIONS = VERSION_NAMES.join('|');
const USAGE = `usage: tsx transport/node/main.ts --db PATH [--port N] [--host H] [--version ${VERSIONS}]`;
const EXIT_USAGE = 2;
const EXIT_FAILURE = 1;
const MAX_PORT = 65_535;
/** RFC 1123 host names: dot-separated labels of letters, digits and inner hyphens. */
const HOST_LABEL = '[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?';
const HOST_NAME = new RegExp(`^(?=.{1,253}$)${HOST_LABEL}(?:\\.${HOST_LABEL})*$`);

interface Options {
  db: string;
  port: number;
  host: string;
  version: VersionName;
}

/** A problem the person starting the server can fix; reported as one line, exit 2. */
class ArgumentError extends Error {}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}

function exitWith(code: number, message: string, withUsage: boolean): never {
  process.stderr.write(`${oneLine(message)}${withUsage ? `; ${USAGE}` : ''}\n`);
  process.exit(code);
}

function parseOptions(argv: string[]): Options {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        db: { type: 'string' },
        port: { type: 'string', default: '8080' },
        host: { type: 'string', default: '127.0.0.1' },
        version: { type: 'string', default: 'fixed' },
      },
    }));
  } catch (error) {
    throw new ArgumentError(error instanceof Error ? error.message : String(error));
  }
  if (values.db === undefined) throw new ArgumentError('--db is required');
  if (values.db.trim() === '') throw new ArgumentError('--db must name a database file, got an empty path');
  const port = parsePort(values.port);
  const host = values.host;
  if (host === '') throw new ArgumentError('--host must name an interface, got an empty string');
  if (net.isIP(host) === 0 && !HOST_NAME.test(host)) {
    throw new ArgumentError(`--host must be an IP address or a host name, got ${JSON.stringify(host)}`);
  }
  if (!isVersionName(values.version)) {
    throw new ArgumentError(`--version must be one of ${VERSION_NAMES.join(', ')}, got ${values.version}`);
  }
  return { db: values.db, port, host, version: values.version };
}

function parsePort(text: string): number {
  // Number('') is 0 and Number('1e3') is 1000: only plain digits are a port.
  const port = /^\d{1,5}$/.test(text) ? Number(text) : NaN;
  if (!(port >= 0 && port <= MAX_PORT))
    throw new ArgumentError(`--port must be 0..${MAX_PORT}, got ${JSON.stringify(text)}`);
  return port;
}

function openStore(options: Options, env: ReturnType<typeof createNodeServerEnv>): EventStore {
  try {
    return new EventStore({ env, path: options.db });
  } catch (error) {
    throw new ArgumentError(`cannot open database ${options.db}: ${error instanceof Error ? error.message : error}`);
  }
}

async function listen(server: ChatServer, options: Options): Promise<ServedChat> {
  try {
    return await serveChat(server.handle, { host: options.host, port: options.port });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.message : String(error));
    throw new ArgumentError(`cannot listen on ${options.host} port ${options.port}: ${code}`);
  }
}

async function main(argv: string[]): Promise<void> {
  const options = parseOptions(argv);
  const env = createNodeServerEnv();
  const store = openStore(options, env);
  const server = new ChatServer({ env, store, defects: resolveVersion(options.version).defects });
  server.start();
  let served: ServedChat;
  try {
    served = await listen(server, options);
  } catch (error) {
    server.stop();
    store.close();
    throw error;
  }
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

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof ArgumentError) exitWith(EXIT_USAGE, error.message, true);
  exitWith(EXIT_FAILURE, `ssesim chat server failed: ${error instanceof Error ? error.message : String(error)}`, false);
});
