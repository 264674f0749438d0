/**
 * Keeps the prompts a client has not finished sending in the page's storage, so a reload sends
 * them again with the same clientMsgId (the server deduplicates). Unreadable or malformed stored
 * data is dropped with a warning instead of breaking the page.
 *
 * Each prompt's message is written once, under a key of its own (`<key>/<slot>`); the key itself
 * holds a small index, `{"v":2,"next":N,"prompts":[[slot, attempts], ...]}`, in send order. A
 * change (a prompt added, an attempt counted, a prompt finished) rewrites the index and at most
 * the one message it concerns, where rewriting the whole list with every prompt's text on every
 * change was a measurable share of a client's work. The key may still hold what older versions
 * wrote, the whole list as one JSON array: it loads, and the next change writes the index.
 */
import type { Logger } from '../env.ts';
import type { SendMessage } from '../protocol.ts';
import type { StorageLike } from './browser-io.ts';

export interface StoredPrompt {
  message: SendMessage;
  /** Attempts already made, so the budget holds across reloads. */
  attempts: number;
}

export const DEFAULT_STORAGE_KEY = 'ssesim.pending-prompts';

const STORE_LOG = {
  dropped: 'client.store.dropped',
  writeFailed: 'client.store.write_failed',
} as const;

function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value !== '';
}

function toStoredPrompt(value: unknown): StoredPrompt | null {
  if (typeof value !== 'object' || value === null) return null;
  const { message, attempts } = value as { message?: Partial<SendMessage>; attempts?: unknown };
  if (typeof message !== 'object' || message === null || message.type !== 'send') return null;
  if (!isNonEmptyString(message.sessionId) || !isNonEmptyString(message.clientMsgId)) return null;
  if (typeof message.prompt !== 'string') return null;
  const safeAttempts = typeof attempts === 'number' && Number.isSafeInteger(attempts) && attempts >= 0 ? attempts : 0;
  return {
    message: { type: 'send', sessionId: message.sessionId, clientMsgId: message.clientMsgId, prompt: message.prompt },
    attempts: safeAttempts,
  };
}

/** The index a store writes at its key. */
interface PromptIndex {
  v: 2;
  /** The slot the next new prompt gets: slots are never reused, so a stale message key is never read. */
  next: number;
  prompts: [slot: number, attempts: number][];
}

function isPromptIndex(value: unknown): value is PromptIndex {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const { v, next, prompts } = value as Partial<PromptIndex>;
  return v === 2 && Number.isSafeInteger(next) && Array.isArray(prompts);
}

function isSlot(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/** Without a storage the prompts live only as long as the page. */
export class PendingPromptStore {
  /** The slot of each message whose text the storage holds, as the last save or load left it. */
  private slots = new Map<SendMessage, number>();
  private nextSlot = 0;

  constructor(
    private readonly storage: StorageLike | undefined,
    private readonly key: string,
    private readonly logger: Logger,
  ) {}

  load(): StoredPrompt[] {
    if (!this.storage) return [];
    let parsed: unknown;
    try {
      const text = this.storage.getItem(this.key);
      if (text === null) return [];
      parsed = JSON.parse(text);
    } catch (error) {
      this.warnDropped(`stored prompts are not readable JSON: ${String(error)}`);
      return [];
    }
    if (isPromptIndex(parsed)) return this.loadIndexed(this.storage, parsed);
    if (!Array.isArray(parsed)) {
      this.warnDropped('stored prompts are neither an index nor an array');
      return [];
    }
    return this.keepWellFormed(parsed);
  }

  /**
   * Writes what changed since the last save or load: the message of each prompt not stored yet,
   * the index, and the removal of messages no longer listed. A save that fails leaves the slots
   * it knew, so the next one writes again whatever it could not.
   */
  save(prompts: readonly StoredPrompt[]): void {
    const storage = this.storage;
    if (!storage) return;
    try {
      const listed = new Map<SendMessage, number>();
      const index: PromptIndex = { v: 2, next: this.nextSlot, prompts: [] };
      for (const { message, attempts } of prompts) {
        let slot = listed.has(message) ? undefined : this.slots.get(message);
        if (slot === undefined) {
          slot = index.next++;
          storage.setItem(this.slotKey(slot), JSON.stringify(message));
        }
        listed.set(message, slot);
        index.prompts.push([slot, attempts]);
      }
      this.nextSlot = index.next;
      if (index.prompts.length === 0) storage.removeItem(this.key);
      else storage.setItem(this.key, JSON.stringify(index));
      for (const [message, slot] of this.slots)
        if (listed.get(message) !== slot) storage.removeItem(this.slotKey(slot));
      this.slots = listed;
    } catch (error) {
      // A full or blocked storage must not stop sending; the prompts stay in memory.
      this.logger.log('warn', STORE_LOG.writeFailed, { key: this.key, message: String(error) });
    }
  }

  private loadIndexed(storage: StorageLike, index: PromptIndex): StoredPrompt[] {
    this.nextSlot = index.next;
    const prompts: StoredPrompt[] = [];
    for (const pair of index.prompts) {
      const [slot, attempts] = Array.isArray(pair) ? (pair as unknown[]) : [];
      const text = isSlot(slot) ? storage.getItem(this.slotKey(slot)) : null;
      let prompt: StoredPrompt | null = null;
      try {
        prompt = text === null ? null : toStoredPrompt({ message: JSON.parse(text) as unknown, attempts });
      } catch {
        // Counted with the other malformed entries below.
      }
      if (prompt === null || !isSlot(slot)) continue;
      this.slots.set(prompt.message, slot);
      this.nextSlot = Math.max(this.nextSlot, slot + 1);
      prompts.push(prompt);
    }
    this.warnMalformed(index.prompts.length - prompts.length);
    return prompts;
  }

  private keepWellFormed(parsed: unknown[]): StoredPrompt[] {
    const prompts = parsed.map(toStoredPrompt).filter((prompt): prompt is StoredPrompt => prompt !== null);
    this.warnMalformed(parsed.length - prompts.length);
    return prompts;
  }

  private slotKey(slot: number): string {
    return `${this.key}/${slot}`;
  }

  private warnMalformed(count: number): void {
    if (count > 0) this.warnDropped(`${count} malformed stored prompt(s)`);
  }

  private warnDropped(problem: string): void {
    this.logger.log('warn', STORE_LOG.dropped, { key: this.key, problem });
  }
}
