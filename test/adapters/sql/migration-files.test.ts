/**
 * The migrations as SQL files, for hosts that run migrations with their own
 * tool: the files are what the stores run, and a database made by running
 * them is one the stores use as it is, with nothing left for migrate().
 */
import { readFileSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { postgresStore } from 'api-accounts/postgres';
import { sqliteStore } from 'api-accounts/sqlite';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { migrationFiles } from '../../../src/adapters/sql/migration-files.js';
import { everyAccount, newAccount } from '../../../src/testing/store-fixtures.js';
import { type Backend, backendName, openBackend } from '../postgres/backend.js';

const files = migrationFiles();
const of = (dialect: 'sqlite' | 'postgres') =>
  files.filter((file) => file.path.startsWith(`migrations/${dialect}/`));

describe('migrations as SQL files', () => {
  it('match what the stores run (regenerate with npm run migrations)', () => {
    expect(of('sqlite').map((f) => f.path)).toEqual([
      'migrations/sqlite/0001.sql',
      'migrations/sqlite/0002.sql',
      'migrations/sqlite/0003.sql',
      'migrations/sqlite/0004.sql',
      'migrations/sqlite/0005.sql',
    ]);
    for (const file of files) {
      expect(readFileSync(file.path, 'utf8'), file.path).toBe(file.sql);
    }
  });

  it('SQLite: run by another tool, they leave a database the store uses without migrate()', async () => {
    const db = new Database(':memory:');
    for (const file of of('sqlite')) db.exec(readFileSync(file.path, 'utf8'));
    const store = sqliteStore(db);
    const account = newAccount();
    expect(await store.insertAccount(account, [])).toEqual({ outcome: 'inserted' });
    expect((await store.listAccounts(everyAccount(10))).map((a) => a.id)).toEqual([account.id]);
    await store.migrate();
    expect(
      db.prepare('SELECT version FROM "api_accounts_migrations" ORDER BY version').all(),
    ).toEqual([{ version: 1 }, { version: 2 }, { version: 3 }, { version: 4 }, { version: 5 }]);
  });

  describe(`PostgreSQL (${backendName})`, () => {
    let backend: Backend | null = null;
    afterAll(async () => {
      await backend?.close();
    });

    it('run by another tool, they leave a database the store uses without migrate()', async () => {
      backend = await openBackend();
      const schema = backend.options.schema ?? 'public';
      const run = async (sql: string) => {
        const script = `CREATE SCHEMA IF NOT EXISTS "${schema}"; SET search_path TO "${schema}"; ${sql}; RESET search_path;`;
        if (backend?.raw instanceof PGlite) await backend.raw.exec(script);
        else await backend?.pool.query(script);
      };
      for (const file of of('postgres')) await run(readFileSync(file.path, 'utf8'));
      const store = postgresStore(backend.pool, backend.options);
      const account = newAccount();
      expect(await store.insertAccount(account, [])).toEqual({ outcome: 'inserted' });
      expect((await store.listAccounts(everyAccount(10))).map((a) => a.id)).toEqual([account.id]);
      await store.migrate();
      const { rows } = await backend.pool.query<{ version: number }>(
        `SELECT version FROM "${schema}"."api_accounts_migrations" ORDER BY version`,
      );
      expect(rows.map((row) => Number(row.version))).toEqual([1, 2, 3, 4, 5]);
      await store.close();
    });
  });
});
