import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * The layers depend in one direction (docs/ARCHITECTURE.md): domain is pure; pages and API files
 * reach data only through services; a feature's store is its own; the store knows nothing of the
 * layers above it. This test reads every import in src/ (static, dynamic, re-exports and
 * `import('…')` types; type-only imports count too, because a page that knows a table's row type
 * is coupled to the table) and names each one that goes the wrong way.
 */

const ROOT = path.resolve(import.meta.dirname, '../..');

/** One import: the importing file and what it names, both as paths from the repository root. */
interface ImportEdge {
  /** e.g. src/features/plans/pages.ts */
  from: string;
  /** The resolved file for a relative specifier (src/…); for a package, the specifier itself. */
  to: string;
  /** As written in the source, for the failure message. */
  specifier: string;
  line: number;
}

// --- what each path is -------------------------------------------------------------------------

const isRelativeTarget = (to: string) => to.startsWith('src/');
const inDomain = (file: string) => file.startsWith('src/domain/');
const featureOf = (file: string): string | null => /^src\/features\/([^/]+)\//.exec(file)?.[1] ?? null;

/** A store module: the connection, migrations and schema, or a feature's queries. */
function isStoreModule(file: string): boolean {
  if (file.startsWith('src/store/')) return true;
  return /^src\/features\/[^/]+\/(store\.ts|[^/]*-store\.ts|store\/)/.test(file);
}

/** A file that adapts HTTP to services: API routes, pages and their form mapping, the web and http layers. */
function isApiOrPage(file: string): boolean {
  if (file.startsWith('src/web/') || file.startsWith('src/http/')) return true;
  const name = /^src\/features\/[^/]+\/([^/]+)$/.exec(file)?.[1];
  if (!name) return false;
  return (
    name === 'api.ts' ||
    name.endsWith('-api.ts') ||
    name === 'pages.ts' ||
    name.endsWith('-pages.ts') ||
    name === 'form.ts' ||
    name.endsWith('-form.ts')
  );
}

/**
 * Jobs that run outside any one feature and may read or write stores directly: generating and
 * loading demo data, and the command-line tools. This is the only allowance.
 */
function isJob(file: string): boolean {
  return file.startsWith('src/demo/') || file.startsWith('src/cli/');
}

// --- the rules -----------------------------------------------------------------------------------

interface Violation {
  rule: string;
  edge: ImportEdge;
}

function findViolations(edges: readonly ImportEdge[]): Violation[] {
  const violations: Violation[] = [];
  const flag = (rule: string, edge: ImportEdge) => violations.push({ rule, edge });
  for (const edge of edges) {
    const { from, to } = edge;
    if (!isRelativeTarget(to)) continue; // npm packages and node built-ins
    if (inDomain(from) && !inDomain(to)) {
      flag('domain imports only domain (and npm packages)', edge);
    }
    if (isApiOrPage(from) && isStoreModule(to)) {
      flag('API, page, web and http files reach data through services, never a store', edge);
    }
    const owner = featureOf(to);
    if (owner !== null && isStoreModule(to) && featureOf(from) !== owner && !isJob(from)) {
      flag(`only the ${owner} feature (and demo or CLI jobs) may use the ${owner} store`, edge);
    }
    if (
      from.startsWith('src/store/') &&
      ['src/features/', 'src/services/', 'src/http/', 'src/web/'].some((layer) => to.startsWith(layer))
    ) {
      flag('the store imports nothing from features, services, http or web', edge);
    }
  }
  return violations;
}

function describeViolation({ rule, edge }: Violation): string {
  return `${edge.from}:${edge.line} imports '${edge.specifier}' (${edge.to}): ${rule}`;
}

// --- reading the source --------------------------------------------------------------------------

function sourceFiles(dir: string): string[] {
  return (fs.readdirSync(path.join(ROOT, dir), { recursive: true }) as string[])
    .filter((name) => name.endsWith('.ts') && !name.endsWith('.d.ts'))
    .map((name) => path.posix.join(dir, name.split(path.sep).join('/')))
    .sort();
}

/** Resolves a relative specifier the way the ESM build does (`./x.js` is `./x.ts`). */
function resolve(from: string, specifier: string): string {
  if (!specifier.startsWith('.')) return specifier;
  const base = path.posix.normalize(path.posix.join(path.posix.dirname(from), specifier));
  const candidates = [base.replace(/\.js$/, '.ts'), base, `${base}.ts`, path.posix.join(base, 'index.ts')];
  return candidates.find((candidate) => fs.existsSync(path.join(ROOT, candidate))) ?? base;
}

function importsOf(file: string, text: string): ImportEdge[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const edges: ImportEdge[] = [];
  const add = (specifier: ts.Node) => {
    if (!ts.isStringLiteralLike(specifier)) return;
    const line = source.getLineAndCharacterOfPosition(specifier.getStart(source)).line + 1;
    edges.push({ from: file, to: resolve(file, specifier.text), specifier: specifier.text, line });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) {
      if (node.moduleSpecifier) add(node.moduleSpecifier);
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      add(node.moduleReference.expression);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [argument] = node.arguments;
      if (argument) add(argument);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      add(node.argument.literal);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return edges;
}

function allEdges(): { files: string[]; edges: ImportEdge[] } {
  const files = sourceFiles('src');
  const edges = files.flatMap((file) => importsOf(file, fs.readFileSync(path.join(ROOT, file), 'utf8')));
  return { files, edges };
}

// --- the tests -----------------------------------------------------------------------------------

describe('import direction in src/', () => {
  const { files, edges } = allEdges();

  it('reads the whole source tree, so the rules below cannot pass on nothing', () => {
    expect(files.length).toBeGreaterThan(100);
    expect(files.filter(inDomain).length).toBeGreaterThan(10);
    expect(files.filter(isApiOrPage).length).toBeGreaterThan(10);
    expect(edges.filter((e) => isRelativeTarget(e.to)).length).toBeGreaterThan(300);
    // Every relative import resolves to a file that exists: otherwise a rule could miss it.
    const unresolved = edges
      .filter((e) => e.specifier.startsWith('.') && !fs.existsSync(path.join(ROOT, e.to)))
      .map((e) => `${e.from}:${e.line} '${e.specifier}'`);
    expect(unresolved).toEqual([]);
  });

  it('has no import that goes the wrong way', () => {
    const found = findViolations(edges).map(describeViolation);
    expect(found, `imports against the layering:\n${found.join('\n')}`).toEqual([]);
  });
});

describe('the import-direction rules themselves', () => {
  const edge = (from: string, to: string): ImportEdge => ({ from, to, specifier: to, line: 1 });
  const rulesBroken = (from: string, to: string) => findViolations([edge(from, to)]).map((v) => v.rule);

  it('domain may import domain and packages, nothing else', () => {
    expect(rulesBroken('src/domain/gas.ts', 'src/domain/ratings.ts')).toEqual([]);
    expect(rulesBroken('src/domain/gas.ts', '@sinclair/typebox')).toEqual([]);
    expect(rulesBroken('src/domain/gas.ts', 'src/store/database.ts')).toHaveLength(1);
    expect(rulesBroken('src/domain/gas.ts', 'src/features/plans/service.ts')).toHaveLength(1);
    expect(rulesBroken('src/domain/sub/x.ts', 'src/demo/random.ts')).toHaveLength(1);
  });

  it('API, page, form, web and http files may not import any store module', () => {
    for (const from of [
      'src/features/plans/api.ts',
      'src/features/auth/session-api.ts',
      'src/features/plans/pages.ts',
      'src/features/people/caseload-pages.ts',
      'src/features/outcomes/form.ts',
      'src/web/navigation.ts',
      'src/http/app.ts',
    ]) {
      expect(rulesBroken(from, 'src/store/schema.ts'), from).toHaveLength(1);
      expect(rulesBroken(from, 'src/features/plans/store.ts').length, from).toBeGreaterThan(0);
      expect(rulesBroken(from, 'src/features/plans/service.ts'), from).toEqual([]);
    }
  });

  it('a feature may use its own store, not another feature’s; demo and CLI jobs may use any', () => {
    expect(rulesBroken('src/features/plans/service.ts', 'src/features/plans/store.ts')).toEqual([]);
    expect(rulesBroken('src/features/plans/service.ts', 'src/features/outcomes/store.ts')).toHaveLength(1);
    expect(rulesBroken('src/services/index.ts', 'src/features/outcomes/store.ts')).toHaveLength(1);
    expect(rulesBroken('src/demo/demo-data-service.ts', 'src/features/outcomes/store.ts')).toEqual([]);
    expect(rulesBroken('src/cli/commands/seed.ts', 'src/features/outcomes/store.ts')).toEqual([]);
    expect(rulesBroken('src/features/plans/service.ts', 'src/store/database.ts')).toEqual([]);
  });

  it('the store may not import features, services, http or web', () => {
    for (const to of [
      'src/features/plans/service.ts',
      'src/services/index.ts',
      'src/http/app.ts',
      'src/web/forms.ts',
    ]) {
      expect(rulesBroken('src/store/migrate.ts', to), to).toHaveLength(1);
    }
    expect(rulesBroken('src/store/migrate.ts', 'src/store/database.ts')).toEqual([]);
    expect(rulesBroken('src/store/migrate.ts', 'src/domain/calendar.ts')).toEqual([]);
  });

  it('finds static, type-only, re-exported and dynamic imports and import types, with their lines', () => {
    const text = [
      "import { a } from './a.js';",
      "import type { B } from '../store/schema.js';",
      "export { c } from './c.js';",
      "const d = await import('./d.js');",
      "type E = import('./e.js').E;",
      "import fs from 'node:fs';",
    ].join('\n');
    const found = importsOf('src/web/x.ts', text);
    expect(found.map((e) => [e.specifier, e.line])).toEqual([
      ['./a.js', 1],
      ['../store/schema.js', 2],
      ['./c.js', 3],
      ['./d.js', 4],
      ['./e.js', 5],
      ['node:fs', 6],
    ]);
    expect(found[1]?.to).toBe('src/store/schema.ts');
    expect(findViolations(found).map(describeViolation)).toEqual([
      "src/web/x.ts:2 imports '../store/schema.js' (src/store/schema.ts): API, page, web and http files reach data through services, never a store",
    ]);
  });
});
