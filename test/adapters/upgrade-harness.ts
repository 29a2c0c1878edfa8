/**
 * The two ways an upgrade test starts from a fixture database written by an
 * earlier release: its SQLite file migrated by two processes at once, and its
 * PostgreSQL dump migrated by two stores at once. `check` then reads
 * everything back through today's manager.
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AccountStore } from 'api-accounts';
import { postgresStore } from 'api-accounts/postgres';
import { sqliteStore } from 'api-accounts/sqlite';
import Database from 'better-sqlite3';
import { afterAll, it } from 'vitest';
import { backendName, openBackend } from './postgres/backend.js';

export function upgradeCases(
  fixtures: URL,
  dumpSchema: string,
  check: (store: AccountStore) => Promise<void>,
): void {
  const dir = mkdtempSync(join(tmpdir(), 'api-accounts-upgrade-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('SQLite: two processes migrate the file at once, and everything still works', async () => {
    const file = join(dir, 'store.sqlite');
    copyFileSync(new URL('store.sqlite', fixtures), file);
    const [one, two] = [new Database(file), new Database(file)];
    const [a, b] = [sqliteStore(one), sqliteStore(two)];
    await Promise.all([a.migrate(), b.migrate()]);
    await check(a);
    one.close();
    two.close();
  });

  it(`PostgreSQL (${backendName}): migrated twice at once, and everything still works`, async () => {
    const backend = await openBackend();
    try {
      const schema = backend.options.schema as string;
      const dump = readFileSync(new URL('postgres.sql', fixtures), 'utf8').replaceAll(
        dumpSchema,
        schema,
      );
      // Many statements at once: PGlite's exec, or a pool's simple query.
      if ('exec' in backend.raw) await backend.raw.exec(dump);
      else await backend.raw.query(dump);
      // The dump empties search_path for its session, as pg_dump output does.
      await backend.pool.query('SET search_path TO DEFAULT');
      const stores = [
        postgresStore(backend.pool, backend.options),
        postgresStore(backend.pool, backend.options),
      ];
      await Promise.all(stores.map((store) => store.migrate()));
      await check(stores[0] as AccountStore);
      await Promise.all(stores.map((store) => store.close()));
    } finally {
      await backend.close();
    }
  });
}
