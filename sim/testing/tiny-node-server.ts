/**
 * The smallest user's own Node server: it knows no route and answers every request 404, asks the
 * fault injector about an interrupt on every request without declaring `interrupts`, and has no
 * other capability. Tests of what a server without the optional capabilities gets use it.
 */
import { realTransportFactory, type TransportFactory } from '../world/transport-factory.ts';
import { nodeServer, type NodeServerStart } from '../world/node-server.ts';

/** What the tiny server saw of its own life: each start's file, releases, interrupt decisions. */
export interface TinyServerLife {
  dbPaths: string[];
  releases: number;
  interruptDecisions: boolean[];
}

export function tinyNodeServerFactory(life: TinyServerLife): TransportFactory {
  const start = (ctx: NodeServerStart) => {
    life.dbPaths.push(ctx.dbPath);
    return {
      listener: (_req: unknown, res: { statusCode: number; end(body: string): void }) => {
        life.interruptDecisions.push(ctx.interruptFails('s1'));
        res.statusCode = 404;
        res.end('{"error":"no such route"}');
      },
      release: () => void (life.releases += 1),
    };
  };
  return { ...realTransportFactory, name: 'tiny-node-server', observations: [], createServer: nodeServer(start) };
}

/** A fresh record of a tiny server's life. */
export function tinyServerLife(): TinyServerLife {
  return { dbPaths: [], releases: 0, interruptDecisions: [] };
}
