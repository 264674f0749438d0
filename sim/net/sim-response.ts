/**
 * A fetch Response as the simulated network hands it to a client: status, case-insensitive
 * headers and a body that can be read once, as with WHATWG fetch.
 */
import type { FetchResponseLike } from '../../transport/index.ts';

export class SimResponse implements FetchResponseLike {
  readonly ok: boolean;
  readonly headers: { get(name: string): string | null };
  private used = false;

  constructor(
    readonly status: number,
    headers: Record<string, string>,
    private readonly body: string,
  ) {
    this.ok = status >= 200 && status <= 299;
    const lower = new Map(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
    this.headers = { get: (name: string) => lower.get(name.toLowerCase()) ?? null };
  }

  get bodyUsed(): boolean {
    return this.used;
  }

  async text(): Promise<string> {
    return this.consume();
  }

  async json(): Promise<unknown> {
    // Like fetch, an invalid body rejects with a SyntaxError.
    return JSON.parse(this.consume());
  }

  private consume(): string {
    if (this.used) throw new TypeError('Body is unusable: body has already been read');
    this.used = true;
    return this.body;
  }
}

/** The error a real fetch rejects with when the network fails: a TypeError. */
export function networkError(reason: string): TypeError {
  return new TypeError(`fetch failed: ${reason}`);
}
