/**
 * Browser globals for a transport whose code reaches them directly (timers, `Date.now`, fetch,
 * EventSource, localStorage). For the length of a run they are virtual, and each call goes to the
 * page or server process whose code is running, as the actor context names it. Fault model: a
 * page's timers die with it on reload and its fetches and streams are its own (the network drops
 * what is pending when the page unloads); a crashed server process's timers die with it, and
 * timers its dead code sets afterwards never fire. Code of no page or process gets the bare clock
 * and no network.
 */
import type { EventSourceLike, FetchInit, FetchLike, StorageLike } from '../../transport/index.ts';
import { EVENT_SOURCE_CLOSED, EVENT_SOURCE_CONNECTING, EVENT_SOURCE_OPEN } from '../../transport/index.ts';
import type { TimerScope, VirtualClock } from '../core/index.ts';
import { currentActor, installGlobals } from '../core/index.ts';

/** What one page (or the server process) sees as its globals. */
export interface GlobalScope {
  timers: TimerScope;
  /** A page's network and storage; a server process has none. */
  io?: { fetch: FetchLike; createEventSource: (url: string) => EventSourceLike; storage: StorageLike };
}

type PageIo = NonNullable<GlobalScope['io']>;

const PAGE_GLOBALS = ['EventSource', 'localStorage'] as const;

/**
 * Marks the process's globals as taken by a run. Keyed on globalThis, not a module variable, so
 * two copies of this module (the package's compiled one and a project's source, say) see it too.
 */
const INSTALLED = Symbol.for('ssesim.page-globals.installed');

/** Thrown when a run on globals starts while another one in this process has them. */
export class OverlappingGlobalsError extends Error {
  constructor() {
    super(
      'another run of a transport on browser globals is under way in this process; such runs share ' +
        'the globals, so they must run one after another (or in worker threads)',
    );
    this.name = 'OverlappingGlobalsError';
  }
}

export class PageGlobals {
  private readonly scopes = new Map<string, GlobalScope>();

  constructor(private readonly clock: VirtualClock) {}

  /** From now on `actor`'s code sees these globals (a page load, a server start). */
  bind(actor: string, scope: GlobalScope): void {
    this.scopes.set(actor, scope);
  }

  /** `actor`'s process is gone: timers its code still sets are inert. */
  unbind(actor: string): void {
    const dead = this.clock.scope(actor);
    dead.dispose();
    this.scopes.set(actor, { timers: dead });
  }

  /** Installs the globals for one run; returns the restore, which is idempotent. */
  install(): () => void {
    const target = globalThis as unknown as Record<string | symbol, unknown>;
    // Two runs interleaving on one set of globals would each get the other's timers and clock:
    // their traces would depend on how their steps happened to interleave.
    if (target[INSTALLED] === true) throw new OverlappingGlobalsError();
    target[INSTALLED] = true;
    const saved = PAGE_GLOBALS.map((name) => [name, Object.getOwnPropertyDescriptor(target, name)] as const);
    const restoreClock = installGlobals(this.clock, {
      fetch: (url: unknown, init?: Partial<FetchInit>) => this.fetch(url, init),
      timersFor: () => this.scopes.get(currentActor() ?? '')?.timers,
    });
    Object.defineProperty(target, 'EventSource', { configurable: true, writable: true, value: this.eventSource() });
    Object.defineProperty(target, 'localStorage', { configurable: true, writable: true, value: this.storage() });
    let restored = false;
    return () => {
      if (restored) return;
      restored = true;
      delete target[INSTALLED];
      restoreClock();
      for (const [name, descriptor] of saved) {
        if (descriptor) Object.defineProperty(target, name, descriptor);
        else delete target[name];
      }
    };
  }

  private pageIo(what: string): PageIo {
    const actor = currentActor();
    const io = this.scopes.get(actor ?? '')?.io;
    if (io === undefined) throw new TypeError(`${what} used outside a page (by ${actor ?? 'no actor'})`);
    return io;
  }

  /**
   * Like fetch, a call outside a page rejects rather than throws. Inside one it is the page's own
   * fetch, promise and all, so a client calling it runs exactly as one handed that fetch.
   */
  private fetch(url: unknown, init: Partial<FetchInit> | undefined): Promise<unknown> {
    let io: PageIo;
    try {
      io = this.pageIo('fetch');
    } catch (error) {
      return Promise.reject(error);
    }
    return io.fetch(String(url), fetchInit(init));
  }

  /** A constructor: `new EventSource(url)` opens one on the running page's network. */
  private eventSource(): unknown {
    const pageIo = (what: string) => this.pageIo(what);
    function EventSource(url: unknown): EventSourceLike {
      return pageIo('EventSource').createEventSource(String(url));
    }
    return Object.assign(EventSource, {
      CONNECTING: EVENT_SOURCE_CONNECTING,
      OPEN: EVENT_SOURCE_OPEN,
      CLOSED: EVENT_SOURCE_CLOSED,
    });
  }

  private storage(): StorageLike {
    const page = () => this.pageIo('localStorage').storage;
    return {
      getItem: (key) => page().getItem(String(key)),
      setItem: (key, value) => page().setItem(String(key), String(value)),
      removeItem: (key) => page().removeItem(String(key)),
    };
  }
}

/** Headers given as a Headers object or pairs become the plain record the network reads. */
function fetchInit(init: Partial<FetchInit> | undefined): FetchInit {
  const headers = init?.headers as unknown;
  const pairs =
    headers !== null && typeof headers === 'object' && Symbol.iterator in headers
      ? Object.fromEntries(headers as Iterable<[string, string]>)
      : ((headers as Record<string, string> | undefined) ?? {});
  return { ...init, method: init?.method ?? 'GET', headers: pairs };
}
