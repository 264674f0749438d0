/**
 * One browser tab running the client. Fault model: a reload discards the page's memory and every
 * timer it set, and keeps its storage (the outbox survives); a hidden tab keeps running but its
 * stream may be cut by the browser without notice, and on show the app asks the connection to
 * check itself. Everything the page runs is the client's code, whichever step makes it run, so
 * an error it raises is charged to this client. A client that uses browser globals gets the
 * page's own on each load (page-globals.ts), so they die with the page too.
 */
import type { Env } from '../../transport/index.ts';
import type { TransportVersion } from '../../transport/index.ts';
import { MemoryStorage } from '../../transport/index.ts';
import type { VirtualClock, TimerScope } from '../core/index.ts';
import { runAs } from '../core/index.ts';
import type { ClientIo, ClientLike, TransportFactory } from './transport-factory.ts';

export interface ClientPageOptions {
  clientId: string;
  clock: VirtualClock;
  factory: TransportFactory;
  version: TransportVersion;
  io: Omit<ClientIo, 'storage'>;
  makeEnv: (timers: TimerScope) => Env;
  /** Each load, before the client is built: the page's timers and io become its globals. */
  bindGlobals?: (timers: TimerScope, io: ClientIo) => void;
  /** Each load, once the client is built: throws when it breaks what its factory declared. */
  checkClient?: (client: ClientLike) => void;
  /** The app's handler for every message of the connection; may throw to fail an apply. */
  onMessage: (message: unknown) => void;
  sessionIds: string[];
  /** The browser tears the page's network down: open streams close, pending answers are dropped. */
  unload: () => void;
}

export class ClientPage {
  readonly storage = new MemoryStorage();
  private scope: TimerScope;
  private client: ClientLike;
  private loads = 0;
  private hidden = false;

  constructor(private readonly options: ClientPageOptions) {
    const loaded = runAs(this.id, () => this.create());
    this.scope = loaded.scope;
    this.client = loaded.client;
    runAs(this.id, () => this.start());
  }

  get id(): string {
    return this.options.clientId;
  }

  connection(): ClientLike {
    return this.client;
  }

  /** Page load, first half: a new client on the kept storage, with the page's fresh timers. */
  private create(): { scope: TimerScope; client: ClientLike } {
    this.loads += 1;
    const scope = this.options.clock.scope(this.id);
    const env = this.options.makeEnv(scope);
    const io: ClientIo = { ...this.options.io, storage: this.storage };
    this.options.bindGlobals?.(scope, io);
    const client = this.options.factory.createClient(env, io, this.options.version);
    this.options.checkClient?.(client);
    return { scope, client };
  }

  /** Page load, second half, once the page holds its new client: connect and watch every session. */
  private start(): void {
    const client = this.client;
    // A listener of a page that was reloaded away must not act: the old page is gone.
    client.onMessage((message) => {
      if (client === this.client) this.options.onMessage(message);
    });
    client.connect();
    for (const sessionId of this.options.sessionIds) client.watchSession(sessionId);
  }

  reload(): void {
    runAs(this.id, () => {
      this.client.dispose();
      this.scope.cancelAll();
      this.options.unload();
      ({ scope: this.scope, client: this.client } = this.create());
      this.start();
    });
  }

  isHidden(): boolean {
    return this.hidden;
  }

  hide(): void {
    this.hidden = true;
  }

  /** Tab shown again: the app's visibility handler asks the connection to check itself. */
  shown(): void {
    this.hidden = false;
    runAs(this.id, () => this.client.checkAndReconnect?.());
  }

  dispose(): void {
    this.client.dispose();
    this.scope.cancelAll();
  }
}
