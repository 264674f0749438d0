/**
 * Style is a test: in all code that is not a test, no function runs over MAX_FUNCTION_LINES, no
 * line over MAX_LINE_COLUMNS, and no export is left that nothing imports (a package entry or a
 * folder's index declares a public surface, so theirs count as used; a type the module's own
 * signatures use stays exported so callers can name it). Each offence is listed as file:line.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { isTestCode, repoPath, tsFiles } from './testing/repo-files.ts';

const MAX_FUNCTION_LINES = 70;
const MAX_LINE_COLUMNS = 120;
/** Files whose exports are a public surface: the package entries and each folder's index. */
const isPublicSurface = (path: string): boolean =>
  path.endsWith('/index.ts') || ['index.ts', 'vitest.ts', 'cli.ts'].includes(path);

function parse(path: string, source: string): ts.SourceFile {
  return ts.createSourceFile(path, source, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
}

export function longLines(path: string, source: string): string[] {
  return source
    .split('\n')
    .flatMap((line, index) =>
      line.length > MAX_LINE_COLUMNS ? [`${path}:${index + 1}: ${line.length} columns`] : [],
    );
}

export function longFunctions(path: string, source: string): string[] {
  const file = parse(path, source);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body) {
      const start = file.getLineAndCharacterOfPosition(node.getStart(file)).line;
      const end = file.getLineAndCharacterOfPosition(node.getEnd()).line;
      const lines = end - start + 1;
      if (lines > MAX_FUNCTION_LINES) found.push(`${path}:${start + 1}: a function of ${lines} lines`);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

interface ModuleFacts {
  /** `signature`: a type the module's own declarations use, so callers may need to name it. */
  exports: { name: string; line: number; signature: boolean }[];
  /** Per imported module (repo path): the names taken, or '*' for all of them. */
  imports: Map<string, Set<string>>;
}

function isExported(node: ts.Node): boolean {
  return ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
}

function declaredNames(node: ts.Node): string[] {
  if (ts.isVariableStatement(node)) return node.declarationList.declarations.map((d) => d.name.getText());
  const name = (node as { name?: ts.Node }).name;
  return name ? [name.getText()] : [];
}

function resolveImport(fromPath: string, specifier: string): string | null {
  if (!specifier.startsWith('.')) return null;
  return normalize(join(dirname(fromPath), specifier)).split('\\').join('/');
}

export function moduleFacts(path: string, source: string): ModuleFacts {
  const file = parse(path, source);
  const facts: ModuleFacts = { exports: [], imports: new Map() };
  const take = (target: string | null, names: string[]): void => {
    if (target === null) return;
    const set = facts.imports.get(target) ?? new Set<string>();
    for (const name of names) set.add(name);
    facts.imports.set(target, set);
  };
  for (const statement of file.statements) {
    const line = file.getLineAndCharacterOfPosition(statement.getStart(file)).line + 1;
    if ((ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement)) && statement.moduleSpecifier) {
      const target = resolveImport(path, (statement.moduleSpecifier as ts.StringLiteral).text);
      take(target, importedNames(statement));
    } else if (isExported(statement)) {
      const isType = ts.isInterfaceDeclaration(statement) || ts.isTypeAliasDeclaration(statement);
      for (const name of declaredNames(statement)) {
        const uses = source.match(new RegExp(`\\b${name}\\b`, 'g'))?.length ?? 0;
        facts.exports.push({ name, line, signature: isType && uses > 1 });
      }
    }
  }
  // Dynamic imports and `new URL('./x.ts', import.meta.url)` (worker entries) load a whole module.
  for (const match of source.matchAll(/(?:import\(|new URL\()\s*'(\.[^']+)'/g)) take(resolveImport(path, match[1]!), ['*']);
  return facts;
}

function importedNames(statement: ts.ImportDeclaration | ts.ExportDeclaration): string[] {
  if (ts.isExportDeclaration(statement)) {
    const clause = statement.exportClause;
    if (!clause || ts.isNamespaceExport(clause)) return ['*'];
    return clause.elements.map((e) => (e.propertyName ?? e.name).getText());
  }
  const clause = statement.importClause;
  if (!clause) return [];
  const names: string[] = clause.name ? ['default'] : [];
  const bindings = clause.namedBindings;
  if (bindings && ts.isNamespaceImport(bindings)) names.push('*');
  else if (bindings) names.push(...bindings.elements.map((e) => (e.propertyName ?? e.name).getText()));
  return names;
}

export function unusedExports(modules: Map<string, ModuleFacts>): string[] {
  const used = new Map<string, Set<string>>();
  for (const facts of modules.values()) {
    for (const [target, names] of facts.imports) {
      const set = used.get(target) ?? new Set<string>();
      for (const name of names) set.add(name);
      used.set(target, set);
    }
  }
  const found: string[] = [];
  for (const [path, facts] of modules) {
    // An example's exports are its API to the user's own project, as a user would write it.
    if (isTestCode(path) || isPublicSurface(path) || path.startsWith('examples/')) continue;
    const taken = used.get(path) ?? new Set<string>();
    if (taken.has('*')) continue;
    for (const { name, line, signature } of facts.exports) {
      if (!taken.has(name) && !signature) found.push(`${path}:${line}: ${name} is exported but nothing imports it`);
    }
  }
  return found;
}

describe('tidy', () => {
  const files = tsFiles().map((file) => ({ path: repoPath(file), source: readFileSync(file, 'utf8') }));
  const shipped = files.filter((file) => !isTestCode(file.path));

  it(`has no line over ${MAX_LINE_COLUMNS} columns outside tests`, () => {
    expect(shipped.length).toBeGreaterThan(50);
    expect(shipped.flatMap((file) => longLines(file.path, file.source))).toEqual([]);
  });

  it(`has no function over ${MAX_FUNCTION_LINES} lines outside tests`, () => {
    expect(shipped.flatMap((file) => longFunctions(file.path, file.source))).toEqual([]);
  });

  it('has no export that nothing imports', () => {
    const modules = new Map(files.map((file) => [file.path, moduleFacts(file.path, file.source)]));
    expect(unusedExports(modules)).toEqual([]);
  });

  it('catches each kind of offence', () => {
    const body = Array.from({ length: MAX_FUNCTION_LINES }, (_, i) => `  const a${i} = ${i};`).join('\n');
    expect(longFunctions('x.ts', `function f() {\n${body}\n}\n`)).toEqual(['x.ts:1: a function of 72 lines']);
    expect(longFunctions('x.ts', `const f = () => {\n${body.split('\n').slice(2).join('\n')}\n};`)).toEqual([]);
    expect(longLines('x.ts', `ok\n${'x'.repeat(MAX_LINE_COLUMNS + 1)}`)).toEqual(['x.ts:2: 121 columns']);
    const modules = new Map([
      ['a/x.ts', moduleFacts('a/x.ts', 'export const used = 1;\nexport function dead() {}\nexport type T = 1;\nexport type U = 2;')],
      ['a/y.ts', moduleFacts('a/y.ts', "import { used, type T } from './x.ts';\nconst t: T = used;")],
    ]);
    expect(unusedExports(modules)).toEqual([
      'a/x.ts:2: dead is exported but nothing imports it',
      'a/x.ts:4: U is exported but nothing imports it',
    ]);
  });
});
