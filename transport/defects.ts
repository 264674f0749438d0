/**
 * The defect catalogue: each entry is a named switch that puts one historical bug back into the
 * `fixed` transport, and versions are sets of them. Server components receive a `Defects` value
 * and consult it at one small, named decision point per defect. The client never sees it: the
 * historical client code in transport/legacy/ reads every client switch through one policy
 * object, and a version's client is assembled from its historical parts only where it needs them.
 */

export const DEFECT_IDS = [
  'send-silent-drop',
  'parallel-flush',
  'connected-before-flush',
  'open-before-flush',
  'sync-on-is-active',
  'sync-from-zero',
  'unbounded-reconnect-replay',
  'client-cursor-regress',
  'cursor-on-receipt',
  'no-gap-detection',
  'interrupt-unhandled',
  'drop-oldest-at-cap',
  'reload-loses-pending',
  'requeue-bypasses-cap',
  'retry-permanent-4xx',
  'no-retry-budget',
  'no-retry-429',
  'flush-while-loop',
  'concurrent-flush',
  'drop-after-budget-silently',
  'stranded-requeue',
  'ambiguous-ack-duplicate',
  'silent-gap-skip',
  'sync-excludes-detached',
  'sync-skips-ended-behind',
  'live-send-overtakes-gap',
  'permission-not-retried',
  'stale-stream-callbacks',
] as const;

export type DefectId = (typeof DEFECT_IDS)[number];

export type Tag = 'base' | 'pr396' | 'pr396-r1';

/** Which part of the transport holds the switch; the legacy send path lives in the client. */
export type DefectSite = 'client' | 'legacy-send-path' | 'server';

export interface DefectInfo {
  readonly id: DefectId;
  readonly tags: readonly Tag[];
  readonly site: DefectSite;
  readonly summary: string;
}

function d(id: DefectId, tags: Tag[], site: DefectSite, summary: string): DefectInfo {
  return { id, tags, site, summary };
}

export const DEFECTS: readonly DefectInfo[] = [
  d('send-silent-drop', ['base'], 'legacy-send-path', 'a failed prompt POST is ignored after send() returned true'),
  d('parallel-flush', ['base'], 'client', 'the pending queue is flushed with all POSTs in flight at once'),
  d(
    'connected-before-flush',
    ['base'],
    'client',
    'connected is set before the flush finished, so new sends overtake queued ones',
  ),
  d('open-before-flush', ['base'], 'client', '_open is emitted before the flush finished; the app posts and overtakes'),
  d('sync-on-is-active', ['base'], 'server', 'periodic sync decides by the legacy is_active flag'),
  d('sync-from-zero', ['base'], 'server', 'a watched session with an unset cursor is synced from seq 0'),
  d('unbounded-reconnect-replay', ['base'], 'server', 'reconnect replays everything after lastSeq with no bound'),
  d(
    'client-cursor-regress',
    ['base', 'pr396'],
    'client',
    'the client cursor is set to any received seq, also a lower one',
  ),
  d('cursor-on-receipt', ['base', 'pr396'], 'client', 'the client cursor advances on receipt, not on apply'),
  d('no-gap-detection', ['base', 'pr396'], 'client', 'events are applied without checking prevSessionSeq'),
  d('interrupt-unhandled', ['base'], 'server', "the interrupt handler does not catch the agent's rejection"),
  d('drop-oldest-at-cap', ['base', 'pr396'], 'client', 'a full pending queue drops its oldest entry'),
  d('reload-loses-pending', ['base', 'pr396'], 'client', 'pending prompts live only in memory'),
  d('requeue-bypasses-cap', ['pr396-r1'], 'legacy-send-path', 'a failed send is re-queued without the 100-entry cap'),
  d('retry-permanent-4xx', ['pr396-r1'], 'legacy-send-path', 'every non-ok status is retried, also 400'),
  d('no-retry-budget', ['pr396-r1'], 'legacy-send-path', 'no limit on attempts'),
  d('no-retry-429', ['pr396-r1'], 'legacy-send-path', '429 is treated as permanent'),
  d(
    'flush-while-loop',
    ['pr396-r1'],
    'legacy-send-path',
    'the flush loops until empty, retrying a re-queued failure at once',
  ),
  d('concurrent-flush', ['pr396-r1'], 'legacy-send-path', 'two welcomes close together start two flushes at once'),
  d(
    'drop-after-budget-silently',
    ['pr396'],
    'legacy-send-path',
    'a prompt past its attempt budget is dropped with only a warning',
  ),
  d('stranded-requeue', ['pr396'], 'legacy-send-path', 'a re-queued prompt is only flushed on the next welcome'),
  d(
    'ambiguous-ack-duplicate',
    ['pr396'],
    'legacy-send-path',
    'a retry after a lost response re-posts without an idempotency key',
  ),
  d('silent-gap-skip', ['pr396'], 'server', 'when head - cursor > 200 sync jumps the cursor to head silently'),
  d('sync-excludes-detached', ['pr396'], 'server', 'DETACHED and SUSPENDED sessions are not synced'),
  d('sync-skips-ended-behind', ['pr396'], 'server', 'an ENDED session is not synced even while the watcher is behind'),
  d('live-send-overtakes-gap', ['base', 'pr396'], 'server', 'after a failed live send, later live events still go out'),
  d('permission-not-retried', ['base', 'pr396-r1'], 'client', 'a failed permission_response POST is ignored'),
  d(
    'stale-stream-callbacks',
    ['base'],
    'client',
    'callbacks of a replaced EventSource or old connectionId are acted on',
  ),
];

export const VERSION_NAMES = ['base', 'pr396-r1', 'pr396', 'fixed'] as const;
export type VersionName = (typeof VERSION_NAMES)[number];

/**
 * How prompts are sent. `outbox` is the SendOutbox of the fixed design; `legacy-queue` is the
 * older path the historical versions used (prompts in the pending queue, re-queued on failure).
 * The path is a prerequisite for some defects, not a defect: with no defect on it is correct.
 */
export type SendPath = 'outbox' | 'legacy-queue';

/** An immutable set of enabled defects, consulted at each decision point with `has`. */
export class Defects {
  private readonly enabled: ReadonlySet<DefectId>;

  constructor(ids: Iterable<DefectId> = []) {
    this.enabled = new Set(ids);
  }

  static none(): Defects {
    return new Defects();
  }

  has(id: DefectId): boolean {
    return this.enabled.has(id);
  }

  list(): DefectId[] {
    return DEFECT_IDS.filter((id) => this.enabled.has(id));
  }

  get size(): number {
    return this.enabled.size;
  }
}

export interface TransportVersion {
  readonly name: string;
  readonly defects: Defects;
  readonly sendPath: SendPath;
}

export function isDefectId(value: string): value is DefectId {
  return (DEFECT_IDS as readonly string[]).includes(value);
}

export function isVersionName(value: string): value is VersionName {
  return (VERSION_NAMES as readonly string[]).includes(value);
}

function defectInfo(id: DefectId): DefectInfo {
  const info = DEFECTS.find((entry) => entry.id === id);
  if (!info) throw new Error(`unknown defect ${id}`);
  return info;
}

function idsTagged(tags: Tag[]): DefectId[] {
  return DEFECTS.filter((entry) => entry.tags.some((tag) => tags.includes(tag))).map((entry) => entry.id);
}

/** Defect ids of a named version, as the catalogue defines them. */
export function versionDefectIds(name: VersionName): DefectId[] {
  switch (name) {
    case 'base':
      return idsTagged(['base']);
    case 'pr396':
      return idsTagged(['pr396']);
    case 'pr396-r1':
      return idsTagged(['pr396', 'pr396-r1']);
    case 'fixed':
      return [];
  }
}

/** The send path a version shipped with: every historical version used the legacy queue. */
function versionSendPath(name: VersionName): SendPath {
  return name === 'fixed' ? 'outbox' : 'legacy-queue';
}

/**
 * A version with optional extra defects. A defect that lives in the legacy send path selects
 * that path, since it cannot exist without it.
 */
export function resolveVersion(name: VersionName, extra: DefectId[] = []): TransportVersion {
  const ids = [...versionDefectIds(name), ...extra];
  const needsLegacy = ids.some((id) => defectInfo(id).site === 'legacy-send-path');
  const sendPath: SendPath = needsLegacy ? 'legacy-queue' : versionSendPath(name);
  const label = extra.length === 0 ? name : `${name}+${extra.join('+')}`;
  return { name: label, defects: new Defects(ids), sendPath };
}
