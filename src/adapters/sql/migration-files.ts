import { postgresMigrations } from '../postgres/postgres-schema.js';
import { sqliteMigrations } from '../sqlite/sqlite-schema.js';
import { tableNames } from './table-names.js';

/**
 * The SQL of every migration as a file a host's own migration tool (Flyway,
 * Knex, Prisma, psql) can run, for the default table names. Each file also
 * records its version in the migrations table, so a store's `migrate()` run
 * afterwards finds nothing to do. Written to `migrations/` by
 * `npm run migrations`; a test keeps the files equal to what the stores run.
 */
export function migrationFiles(): { readonly path: string; readonly sql: string }[] {
  const names = tableNames();
  const header = (dialect: string, version: number) =>
    `-- api-accounts ${dialect} migration ${version}. Generated from the store's own migrations\n-- (npm run migrations); run in order, each in one transaction.\n`;
  const sqlite = sqliteMigrations(names).map(({ version, sql }) => ({
    path: `migrations/sqlite/${String(version).padStart(4, '0')}.sql`,
    sql: `${header('SQLite', version)}BEGIN;\nCREATE TABLE IF NOT EXISTS ${names.migrations} (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL);\n${dedent(sql)}\nINSERT INTO ${names.migrations} (version, applied_at) VALUES (${version}, CAST(strftime('%s', 'now') AS INTEGER) * 1000);\nCOMMIT;\n`,
  }));
  const postgres = postgresMigrations(names).map(({ version, statements }) => ({
    path: `migrations/postgres/${String(version).padStart(4, '0')}.sql`,
    sql: `${header('PostgreSQL', version)}BEGIN;\nCREATE TABLE IF NOT EXISTS ${names.migrations} (version integer PRIMARY KEY, applied_at timestamptz NOT NULL);\n${statements.map((statement) => `${dedent(statement)};`).join('\n')}\nINSERT INTO ${names.migrations} (version, applied_at) VALUES (${version}, now());\nCOMMIT;\n`,
  }));
  return [...sqlite, ...postgres];
}

/** The statement without the indentation it has in the source. */
function dedent(sql: string): string {
  return sql
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .map((line) =>
      /^(CREATE|ALTER|INSERT|--)/.test(line) || line.startsWith(')') ? line : `  ${line}`,
    )
    .join('\n');
}
