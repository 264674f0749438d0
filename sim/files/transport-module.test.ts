/**
 * Loading a transport module by path: the record a repro keeps (path as given, absolute path,
 * content hash), and one clear error, naming the module, for each way a module can be wrong.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { realTransportFactory } from '../world/transport-factory.ts';
import { DROP_SENDS_TRANSPORT, BUNDLED_ALIAS_TRANSPORT } from '../testing/transport-modules/paths.ts';
import { loadTransportModule, TransportModuleError, transportModuleOf } from './transport-module.ts';

const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

/** A module file in a fresh directory; `body` is its JavaScript. */
function moduleFile(name: string, body: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'ssesim-module-')), name);
  writeFileSync(path, body);
  return path;
}

async function loadError(path: string): Promise<TransportModuleError> {
  const error = await loadTransportModule(path).then(
    () => null,
    (err: unknown) => err,
  );
  expect(error).toBeInstanceOf(TransportModuleError);
  const typed = error as TransportModuleError;
  expect(typed.message).not.toContain('\n');
  expect(typed.code).toBe('bad_transport');
  return typed;
}

describe('loadTransportModule', () => {
  it('loads the default export and records the path as given, the absolute path and the hash', async () => {
    const cwd = dirname(dirname(BUNDLED_ALIAS_TRANSPORT));
    const given = relative(cwd, BUNDLED_ALIAS_TRANSPORT);
    const loaded = await loadTransportModule(given, { cwd });
    expect(loaded.factory.name).toBe('bundled-alias');
    expect(loaded.record).toEqual({
      path: given,
      resolvedPath: BUNDLED_ALIAS_TRANSPORT,
      sha256: sha256(BUNDLED_ALIAS_TRANSPORT),
    });
  });

  it('says a missing module is missing, with where it looked', async () => {
    const error = await loadError('./no-such-transport.js');
    expect(error.message).toMatch(/^\.\/no-such-transport\.js: transport module not found: no file at \/.*no-such/);
  });

  it('refuses a directory', async () => {
    const error = await loadError(tmpdir());
    expect(error.message).toContain('is not a file');
  });

  it('says a module without a default export has none', async () => {
    const error = await loadError(moduleFile('named.mjs', 'export const factory = {};\n'));
    expect(error.message).toContain('transport module has no default export');
  });

  it('names each member a default export lacks or has of the wrong type', async () => {
    const error = await loadError(moduleFile('partial.mjs', 'export default { name: 7, createStore() {} };\n'));
    expect(error.message).toContain(
      'default export is not a TransportFactory: name is 7 (expected a string), ' +
        'createServer is missing (expected a function), createClient is missing (expected a function)',
    );
  });

  it('checks the type of an optional member that is present', async () => {
    const body =
      'export default { name: "x", observations: "cursor", createStore() {}, createServer() {}, createClient() {} };\n';
    const error = await loadError(moduleFile('optional.mjs', body));
    expect(error.message).toContain(
      'default export is not a TransportFactory: observations is "cursor" (expected an array)',
    );
  });

  it('refuses a default export that is not an object', async () => {
    const error = await loadError(moduleFile('fn.mjs', 'export default 42;\n'));
    expect(error.message).toContain('default export is 42, not a TransportFactory object');
  });

  it('reports a module that throws while loading by its first line', async () => {
    const error = await loadError(moduleFile('throws.mjs', 'throw new Error("no database\\nat all");\n'));
    expect(error.message).toMatch(/transport module failed to load: Error: no database$/);
  });
});

describe('transportModuleOf', () => {
  it('records a factory the caller holds without importing its module again', () => {
    const module = transportModuleOf(realTransportFactory, DROP_SENDS_TRANSPORT);
    expect(module.factory).toBe(realTransportFactory);
    expect(module.record.sha256).toBe(sha256(DROP_SENDS_TRANSPORT));
  });

  it('checks the factory and that the module file exists', () => {
    expect(() => transportModuleOf({ name: 'x' } as never, DROP_SENDS_TRANSPORT)).toThrow(/createStore is missing/);
    expect(() => transportModuleOf(realTransportFactory, './gone.ts')).toThrow(TransportModuleError);
  });
});
