/**
 * The layering the code promises (docs/architecture.md), checked on every file so it
 * stays true: `db/` stands below `services/`, SQL lives in `db/repositories/` (and
 * migrations), and the CLI opens its database in one place. A rule is one row below.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '..');

interface Rule {
  name: string;
  /** Folder whose .ts files the rule reads, relative to the project root. */
  under: string;
  /** True when this source (comments removed) breaks the rule; `file` is the file's project-relative path. */
  breaks: (source: string, file: string) => boolean;
  /** Files (`a/b.ts`) or folders (`a/b/`) the rule spares, each with its reason. */
  allowed: Record<string, { why: string }>;
}

/** Every module path a file imports or re-exports, statically or dynamically. */
function importedPaths(source: string): string[] {
  return [...source.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)['"]([^'"]+)['"]/gm)].map((match) => match[1]!);
}

function importsFromServices(source: string, file: string): boolean {
  return importedPaths(source).some((specifier) => {
    if (!specifier.startsWith('.')) return false;
    const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier));
    return target === 'services' || target.startsWith('services/');
  });
}

/** A `sql` template (typed or not), one of its raw helpers, or a Kysely query builder. */
const SQL = /\bsql\s*(?:<[^`;]*?>)?\s*`|\bsql\.(?:raw|ref|lit|id|join|table|val)\s*\(|\.(?:selectFrom|selectNoFrom|insertInto|replaceInto|updateTable|deleteFrom|mergeInto)\s*\(/;

const RULES: Rule[] = [
  {
    name: 'db/ imports nothing from services/',
    under: 'db',
    breaks: importsFromServices,
    allowed: {},
  },
  {
    name: 'SQL lives in db/repositories/ (and migrations), not in services/',
    under: 'services',
    breaks: (source) => SQL.test(source),
    allowed: {
      'services/api/routes/health.ts': { why: '/readyz asks PostgreSQL `SELECT 1`: a connectivity probe, not a query about data' },
      'services/runtime/wait-for-database.ts': { why: 'the start-up wait probes with `SELECT 1` until PostgreSQL answers' },
    },
  },
  {
    name: 'SQL lives in db/repositories/, not in the web app (pages call the same features as the API)',
    under: 'web',
    breaks: (source) => SQL.test(source),
    allowed: {},
  },
  {
    name: 'CLI commands open the database only through services/cli/with-database.ts',
    under: 'services/cli',
    breaks: (source) => /\b(?:createDb|startEmbeddedPostgres)\s*\(/.test(source),
    allowed: { 'services/cli/with-database.ts': { why: 'the one CLI database prologue' } },
  },
];

function withoutComments(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
}

function typeScriptFilesUnder(folder: string): string[] {
  return readdirSync(path.join(ROOT, folder), { recursive: true, encoding: 'utf8' })
    .filter((entry) => entry.endsWith('.ts'))
    .map((entry) => path.posix.join(folder, entry.split(path.sep).join('/')))
    .sort();
}

function isAllowed(file: string, entry: string): boolean {
  return entry.endsWith('/') ? file.startsWith(entry) : file === entry;
}

for (const rule of RULES) {
  test(rule.name, () => {
    const breaking = typeScriptFilesUnder(rule.under).filter((file) => rule.breaks(withoutComments(readFileSync(path.join(ROOT, file), 'utf8')), file));
    const allowances = Object.keys(rule.allowed);
    expect(breaking.filter((file) => !allowances.some((entry) => isAllowed(file, entry))), `files breaking "${rule.name}"`).toEqual([]);
    // An allowance nobody needs any more is removed, so the list only shrinks.
    const unneeded = allowances.filter((entry) => !breaking.some((file) => isAllowed(file, entry)));
    expect(unneeded, `allowances of "${rule.name}" no file needs: delete them`).toEqual([]);
  });
}

test('the rules see what they are meant to see', () => {
  const [dbRule, sqlRule, , cliRule] = RULES as [Rule, Rule, Rule, Rule];
  const file = 'db/repositories/example.ts';
  expect(dbRule.breaks("import type { OpeningHours } from '../../services/metrics/opening-hours.ts';", file)).toBe(true);
  expect(dbRule.breaks("export { x } from '../../services/x.ts';", file)).toBe(true);
  expect(dbRule.breaks("const m = await import('../../services/x.ts');", file)).toBe(true);
  expect(dbRule.breaks("import { sql } from 'kysely';\nimport type { Database } from '../schema.ts';", file)).toBe(false);
  expect(sqlRule.breaks("await sql<{ got: boolean }>`SELECT pg_try_advisory_lock(${1}) AS got`.execute(conn);", 'services/x.ts')).toBe(true);
  expect(sqlRule.breaks('await sql`SELECT 1`.execute(db);', 'services/x.ts')).toBe(true);
  expect(sqlRule.breaks("await db\n  .selectFrom('accounts')", 'services/x.ts')).toBe(true);
  expect(sqlRule.breaks("await tx.deleteFrom('accounts')", 'services/x.ts')).toBe(true);
  expect(sqlRule.breaks('await db.transaction().execute(async (tx) => insertItemEvents(tx, events));', 'services/x.ts')).toBe(false);
  expect(sqlRule.breaks(withoutComments('/** Uses `selectFrom(` nowhere. */\n// sql`x`\nconst a = 1;'), 'services/x.ts')).toBe(false);
  expect(cliRule.breaks('const db = createDb(url);', 'services/cli/x.ts')).toBe(true);
});
