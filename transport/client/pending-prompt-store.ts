/**
 * Keeps the prompts a client has not finished sending in the page's storage, so a reload sends
 * them again with the same clientMsgId (the server deduplicates). Unreadable or malformed stored
 * data is dropped with a warning instead of breaking the page.
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

/** Without a storage the prompts live only as long as the page. */
export class PendingPromptStore {
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
    if (!Array.isArray(parsed)) {
      this.warnDropped('stored prompts are not an array');
      return [];
    }
    const prompts = parsed.map(toStoredPrompt).filter((prompt): prompt is StoredPrompt => prompt !== null);
    if (prompts.length < parsed.length)
      this.warnDropped(`${parsed.length - prompts.length} malformed stored prompt(s)`);
    return prompts;
  }

  save(prompts: readonly StoredPrompt[]): void {
    if (!this.storage) return;
    try {
      if (prompts.length === 0) this.storage.removeItem(this.key);
      else this.storage.setItem(this.key, JSON.stringify(prompts));
    } catch (error) {
      // A full or blocked storage must not stop sending; the prompts stay in memory.
      this.logger.log('warn', STORE_LOG.writeFailed, { key: this.key, message: String(error) });
    }
  }

  private warnDropped(problem: string): void {
    this.logger.log('warn', STORE_LOG.dropped, { key: this.key, problem });
  }
}
