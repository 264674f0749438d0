/**
 * Transport modules: somebody else's transport, named by a file whose default export is a
 * TransportFactory. A module is loaded by path (never passed as an object) wherever it must cross
 * a boundary, so a worker thread, a shard on another machine or a replay next week loads the same
 * file; its record (the path as given, the absolute path and a content hash) goes into every repro,
 * so a replay can tell when the file it finds is not the one that failed.
 *
 * Every way a module can be wrong (missing, not loadable, TypeScript without a loader, a default
 * export that is not a factory) is a TransportModuleError naming the module: the CLI prints it as
 * one line and exits 2.
 */
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { extname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { InputError, showValue } from '../../scenarios/index.ts';
import type { TransportFactory } from '../world/index.ts';

export interface TransportModuleRecord {
  /** The path as the user gave it: what a printed replay command repeats. */
  path: string;
  /** The module file's absolute path when it was loaded. */
  resolvedPath: string;
  /** sha256 of the module file's bytes (hex); only that file, not what it imports. */
  sha256: string;
}

export interface TransportModule {
  factory: TransportFactory;
  record: TransportModuleRecord;
}

export interface TransportModuleOptions {
  /** What a relative path is relative to; the working directory by default. */
  cwd?: string;
}

export class TransportModuleError extends InputError {
  constructor(source: string, detail: string, field = '(file)') {
    super('bad_transport', [{ field, detail, value: source }], source);
    this.name = 'TransportModuleError';
  }
}

type MemberKind = 'string' | 'function' | 'object' | 'array' | 'boolean';

/**
 * What a factory has, checked on the module's default export before any run uses it: the
 * required members, and the type of each optional one that is present. The contract's own
 * checks (which observation kinds exist, what a profile holds) come when the world uses it.
 */
const FACTORY_MEMBERS: Record<keyof TransportFactory, { kind: MemberKind; optional?: true }> = {
  name: { kind: 'string' },
  profile: { kind: 'object', optional: true },
  observations: { kind: 'array', optional: true },
  usesGlobals: { kind: 'boolean', optional: true },
  probes: { kind: 'array', optional: true },
  createStore: { kind: 'function' },
  createServer: { kind: 'function' },
  createClient: { kind: 'function' },
};

function isKind(value: unknown, kind: MemberKind): boolean {
  if (kind === 'array') return Array.isArray(value);
  if (kind === 'object') return typeof value === 'object' && value !== null && !Array.isArray(value);
  return typeof value === kind;
}

/** tsx's loader is registered once per thread, by the first TypeScript module that needs it. */
let tsxRegistered = false;

const TYPESCRIPT_EXTENSIONS = new Set(['.ts', '.mts', '.cts', '.tsx']);

/**
 * Node's ways of saying it cannot run a TypeScript file itself: no loader at all (Node 20), or
 * type stripping refusing what it meets. Only these send a .ts module on to tsx; any other
 * failure is the module's own and is reported as it is.
 */
const NO_TYPESCRIPT_LOADER = new Set([
  'ERR_UNKNOWN_FILE_EXTENSION',
  'ERR_UNSUPPORTED_TYPESCRIPT_SYNTAX',
  'ERR_UNSUPPORTED_NODE_MODULES_TYPE_STRIPPING',
]);

export async function loadTransportModule(
  path: string,
  options: TransportModuleOptions = {},
): Promise<TransportModule> {
  const record = recordOf(path, options);
  let exports: Record<string, unknown>;
  try {
    exports = await importModule(path, record.resolvedPath);
  } catch (error) {
    if (error instanceof TransportModuleError) throw error;
    throw new TransportModuleError(path, `transport module failed to load: ${firstLine(error)}`);
  }
  return { factory: checkedFactory(path, exports.default), record };
}

/**
 * A factory the caller already holds, with the record of the module it came from (for repros and
 * replay commands). The module is hashed, not imported: under vitest the caller's import of it
 * went through vite, which a plain import here could not repeat.
 */
export function transportModuleOf(
  factory: TransportFactory,
  path: string,
  options: TransportModuleOptions = {},
): TransportModule {
  return { factory: checkedFactory(path, factory), record: recordOf(path, options) };
}

/** The record of the module file at `path`, hashed as it is now. */
function recordOf(path: string, options: TransportModuleOptions = {}): TransportModuleRecord {
  const resolvedPath = resolve(options.cwd ?? process.cwd(), path);
  let bytes: Buffer;
  try {
    if (!statSync(resolvedPath).isFile())
      throw new TransportModuleError(path, `transport module ${resolvedPath} is not a file`);
    bytes = readFileSync(resolvedPath);
  } catch (error) {
    if (error instanceof TransportModuleError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    const detail = code === 'ENOENT' ? `no file at ${resolvedPath}` : `cannot read ${resolvedPath} (${code})`;
    throw new TransportModuleError(path, `transport module not found: ${detail}`);
  }
  return { path, resolvedPath, sha256: createHash('sha256').update(bytes).digest('hex') };
}

/** The default export as a factory, or a TransportModuleError naming each member at fault. */
function checkedFactory(source: string, value: unknown): TransportFactory {
  if (value === undefined)
    throw new TransportModuleError(
      source,
      'transport module has no default export (export default a TransportFactory)',
    );
  if (typeof value !== 'object' || value === null)
    throw new TransportModuleError(source, `default export is ${showValue(value)}, not a TransportFactory object`);
  const members = value as Record<string, unknown>;
  const problems = Object.entries(FACTORY_MEMBERS).flatMap(([member, { kind, optional }]) => {
    const expected = `expected ${kind === 'array' ? 'an' : 'a'} ${kind}`;
    if (members[member] === undefined) return optional ? [] : [`${member} is missing (${expected})`];
    if (!isKind(members[member], kind)) return [`${member} is ${showValue(members[member])} (${expected})`];
    return [];
  });
  if (problems.length > 0)
    throw new TransportModuleError(source, `default export is not a TransportFactory: ${problems.join(', ')}`);
  return value as TransportFactory;
}

async function importModule(path: string, resolvedPath: string): Promise<Record<string, unknown>> {
  const url = pathToFileURL(resolvedPath).href;
  try {
    return (await import(url)) as Record<string, unknown>;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    if (!TYPESCRIPT_EXTENSIONS.has(extname(resolvedPath)) || !NO_TYPESCRIPT_LOADER.has(code)) throw error;
  }
  const tsx = findTsx(resolvedPath);
  if (tsx === null)
    throw new TransportModuleError(
      path,
      'transport module is TypeScript, which this Node cannot load without a loader: install tsx in the project ' +
        '(npm install --save-dev tsx) and ssesim loads it through tsx, or run under one (npx tsx ...), ' +
        'or give the compiled .js module',
    );
  if (!tsxRegistered) ((await import(tsx)) as { register: () => unknown }).register();
  tsxRegistered = true;
  // The failed attempt stays cached under the plain URL; a query makes the retry a fresh module.
  return (await import(`${url}?ssesim-tsx`)) as Record<string, unknown>;
}

/** tsx's module API as the module's own project (or the working directory's) would import it. */
function findTsx(resolvedPath: string): string | null {
  for (const from of [resolvedPath, join(process.cwd(), 'package.json')]) {
    try {
      // Its exports map offers a resolver here only the CommonJS build, whose register() points its
      // loader at a file that is not there; the ESM build beside it is the one that works.
      const cjsPath = createRequire(from).resolve('tsx/esm/api');
      return pathToFileURL(cjsPath.replace(/index\.cjs$/, 'index.mjs')).href;
    } catch {
      // Not installed there; try the next place.
    }
  }
  return null;
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.split('\n')[0]!;
}
