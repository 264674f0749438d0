/**
 * A page in headless Chromium driven over the DevTools protocol on a pipe (`--remote-debugging-pipe`:
 * JSON messages ended by a NUL byte, read on fd 3 and written on fd 4), so a browser test can
 * measure the laid-out DOM and take screenshots with no dependency beyond the Chromium binary.
 * Evaluation through the protocol is not subject to the page's content security policy, which
 * stays in force for the page's own scripts.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';

export const CHROMIUM = '/usr/bin/chromium';
/** Headless, as root, and without the background connections a closed network refuses, each start. */
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
/** Chromium cannot paint one image taller than this; a longer page is shot down to it. */
const SCREENSHOT_HEIGHT_MAX = 16_000;

type Reply = { id?: number; result?: Record<string, unknown>; error?: { message: string }; method?: string };

export class ChromiumPage {
  private nextId = 1;
  private readonly waiting = new Map<number, (reply: Reply) => void>();
  private buffer = '';
  private sessionId = '';

  private constructor(
    private readonly child: ChildProcess,
    private readonly input: Writable,
  ) {
    (child.stdio[4] as Readable).on('data', (chunk: Buffer) => this.receive(chunk.toString('utf8')));
  }

  static async open(url: string, viewport: { width: number; height: number }): Promise<ChromiumPage> {
    const profile = mkdtempSync(join(tmpdir(), 'ssesim-chromium-profile-'));
    const child = spawn(
      CHROMIUM,
      [...CHROMIUM_FLAGS, '--hide-scrollbars', '--remote-debugging-pipe', `--user-data-dir=${profile}`, 'about:blank'],
      { stdio: ['ignore', 'ignore', 'ignore', 'pipe', 'pipe'] },
    );
    const page = new ChromiumPage(child, child.stdio[3] as Writable);
    const { targetId } = await page.send('Target.createTarget', { url: 'about:blank' });
    const { sessionId } = await page.send('Target.attachToTarget', { targetId, flatten: true });
    page.sessionId = String(sessionId);
    await page.send('Emulation.setDeviceMetricsOverride', { ...viewport, deviceScaleFactor: 1, mobile: false });
    await page.send('Page.navigate', { url });
    await page.evaluate(
      'new Promise((ready) => document.readyState === "complete" ? ready(true) : addEventListener("load", ready))',
    );
    return page;
  }

  /** The value of a JavaScript expression evaluated in the page. */
  async evaluate<T>(expression: string): Promise<T> {
    const reply = await this.send('Runtime.evaluate', { expression, returnByValue: true, awaitPromise: true });
    const result = reply.result as { value?: T; description?: string } | undefined;
    if (reply.exceptionDetails) throw new Error(`evaluate failed: ${JSON.stringify(reply.exceptionDetails)}`);
    return result?.value as T;
  }

  /** A PNG of the viewport, or of the whole page (down to SCREENSHOT_HEIGHT_MAX). */
  async screenshot(path: string, fullPage: boolean): Promise<void> {
    const size = await this.evaluate<{ width: number; height: number }>(
      '({ width: document.documentElement.scrollWidth, height: document.documentElement.scrollHeight })',
    );
    const params = fullPage
      ? {
          captureBeyondViewport: true,
          clip: { x: 0, y: 0, width: size.width, height: Math.min(size.height, SCREENSHOT_HEIGHT_MAX), scale: 1 },
        }
      : {};
    const { data } = await this.send('Page.captureScreenshot', { format: 'png', ...params });
    writeFileSync(path, Buffer.from(String(data), 'base64'));
  }

  async close(): Promise<void> {
    await this.send('Browser.close', {}, false).catch(() => undefined);
    if (this.child.exitCode === null) await new Promise((resolve) => this.child.once('exit', resolve));
  }

  private send(method: string, params: Record<string, unknown>, inPage = true): Promise<Record<string, unknown>> {
    const id = this.nextId++;
    const message = { id, method, params, ...(inPage && this.sessionId ? { sessionId: this.sessionId } : {}) };
    return new Promise((resolve, reject) => {
      this.waiting.set(id, (reply) =>
        reply.error ? reject(new Error(`${method}: ${reply.error.message}`)) : resolve(reply.result ?? {}),
      );
      this.input.write(`${JSON.stringify(message)}\0`);
    });
  }

  private receive(text: string): void {
    this.buffer += text;
    let end: number;
    while ((end = this.buffer.indexOf('\0')) >= 0) {
      const reply = JSON.parse(this.buffer.slice(0, end)) as Reply;
      this.buffer = this.buffer.slice(end + 1);
      if (reply.id !== undefined) this.waiting.get(reply.id)?.(reply);
      if (reply.id !== undefined) this.waiting.delete(reply.id);
    }
  }
}
