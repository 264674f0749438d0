/**
 * The property a user hands to fc.assert: silent when the transport passes; when it fails, the
 * error fast-check reports names the violation, the repro and the replay command, and after all of
 * fast-check's shrinking exactly one repro (of the reported counterexample) is on disk.
 */
import fc from 'fast-check';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TINY_CALM } from '../sim/testing/tiny-scenarios.ts';
import { DROP_SENDS_TRANSPORT } from '../sim/testing/transport-modules/paths.ts';
import dropSends from '../sim/testing/transport-modules/drop-sends-transport.ts';
import { readRepro } from '../sim/files/repro.ts';
import { replayRepro } from '../sim/files/replay.ts';
import { TransportPropertyFailure, transportProperty } from './transport-property.ts';

const tiny = fc.constant(TINY_CALM);

function outDir(): string {
  return join(mkdtempSync(join(tmpdir(), 'ssesim-property-')), 'out');
}

/** fast-check's own message, and that of the failure it reports as the cause. */
async function assertionMessages(run: Promise<void>): Promise<{ fastCheck: string; failure: string }> {
  const error = await run.then(
    () => null,
    (err: unknown) => err,
  );
  expect(error).toBeInstanceOf(Error);
  const cause = (error as Error).cause;
  expect(cause).toBeInstanceOf(TransportPropertyFailure);
  return { fastCheck: (error as Error).message, failure: (cause as Error).message };
}

describe('transportProperty', () => {
  it('passes for the bundled transport and writes nothing', async () => {
    const dir = outDir();
    await fc.assert(transportProperty({ scenario: tiny, outDir: dir }), { numRuns: 3, seed: 1 });
    expect(existsSync(dir)).toBe(false);
  });

  it('fails for a broken transport with the violation and the replay command, keeping one repro', async () => {
    const dir = outDir();
    const property = transportProperty({ transport: DROP_SENDS_TRANSPORT, scenario: tiny, outDir: dir });
    const message = await assertionMessages(fc.assert(property, { numRuns: 5, seed: 1 }));
    const repro = join(dir, 'property-drop-sends.json');
    expect(message.failure).toContain('transport drop-sends: violation');
    expect(message.failure).toMatch(/no-silent-loss( x\d+)?: prompt /);
    expect(message.failure).toContain(`replay: npx ssesim replay ${repro} --transport ${DROP_SENDS_TRANSPORT}`);
    // fast-check shrinks the seed of an always-failing run to 0; each failing step rewrote the one set of files.
    expect(message.fastCheck).toMatch(/Shrunk [1-9]\d* time/);
    expect(readdirSync(dir).sort()).toEqual([
      'property-drop-sends.html',
      'property-drop-sends.json',
      'property-drop-sends.trace.jsonl',
    ]);
    const recorded = readRepro(repro);
    expect(recorded.seed).toBe(0);
    expect(recorded.transport?.resolvedPath).toBe(DROP_SENDS_TRANSPORT);
    expect((await replayRepro(recorded)).traceHash).toBe(recorded.traceHash);
  });

  it('records the module of a factory passed as an object', async () => {
    const dir = outDir();
    const property = transportProperty({
      transport: dropSends,
      transportModule: DROP_SENDS_TRANSPORT,
      scenario: tiny,
      outDir: dir,
    });
    const message = await assertionMessages(fc.assert(property, { numRuns: 1, seed: 1, endOnFailure: true }));
    expect(message.failure).toContain(`--transport ${DROP_SENDS_TRANSPORT}`);
  });

  it('never writes over a file it did not write', async () => {
    const dir = outDir();
    mkdirSync(dir, { recursive: true });
    const mine = join(dir, 'property-drop-sends.json');
    writeFileSync(mine, 'my own notes');
    const property = transportProperty({ transport: DROP_SENDS_TRANSPORT, scenario: tiny, outDir: dir });
    const message = await assertionMessages(fc.assert(property, { numRuns: 1, seed: 1 }));
    expect(readFileSync(mine, 'utf8')).toBe('my own notes');
    expect(message.failure).toContain(join(dir, 'property-drop-sends-2.json'));
  });

  it('refuses a factory it could not name a module for, when the property is built', () => {
    expect(() => transportProperty({ transport: dropSends })).toThrow(
      'transportProperty: transport "drop-sends" is a factory without a module to replay it from',
    );
  });
});
