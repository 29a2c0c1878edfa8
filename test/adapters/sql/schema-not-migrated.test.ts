/**
 * A host that forgot `migrate()` is told so: `StoreUnavailable` says to run
 * it, and its cause is a `SchemaNotMigrated` holding the driver's error.
 */

import { ApiAccountManager, inMemoryPorts } from 'api-accounts';
import type { StoreUnavailable } from 'api-accounts/errors';
import { postgresStore, SchemaNotMigrated } from 'api-accounts/postgres';
import { SchemaNotMigrated as SqliteSchemaNotMigrated, sqliteStore } from 'api-accounts/sqlite';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { accountInput, admin } from '../../helpers.js';
import { backendName, openBackend } from '../postgres/backend.js';

async function expectToldToMigrate(store: ReturnType<typeof sqliteStore | typeof postgresStore>) {
  const manager = new ApiAccountManager({ ...inMemoryPorts(), store, claimUrl: (t) => t });
  const results = await Promise.all([
    manager.listAccounts(admin),
    manager.createAccount(admin, accountInput()),
  ]);
  for (const result of results) {
    const error = result._unsafeUnwrapErr() as StoreUnavailable;
    expect(error).toMatchObject({ type: 'StoreUnavailable', port: 'store' });
    expect(error.message).toMatch(/missing or out of date: run migrate\(\)/);
    expect(error.cause).toBeInstanceOf(SchemaNotMigrated);
    expect((error.cause as Error).cause).toBeInstanceOf(Error);
  }
}

describe('a store whose tables were never created', () => {
  it('SQLite', async () => {
    expect(SqliteSchemaNotMigrated).toBe(SchemaNotMigrated);
    const db = new Database(':memory:');
    await expectToldToMigrate(sqliteStore(db));
    db.close();
  });

  it(`PostgreSQL (${backendName})`, async () => {
    const backend = await openBackend();
    try {
      await expectToldToMigrate(postgresStore(backend.pool, backend.options));
    } finally {
      await backend.close();
    }
  });

  it('an unrelated driver error stays what it was', async () => {
    const db = new Database(':memory:');
    const store = sqliteStore(db);
    await store.migrate();
    db.close();
    const manager = new ApiAccountManager({ ...inMemoryPorts(), store, claimUrl: (t) => t });
    const error = (await manager.listAccounts(admin))._unsafeUnwrapErr() as StoreUnavailable;
    expect(error.message).toBe('The API account store is not available; nothing was changed.');
    expect(error.cause).not.toBeInstanceOf(SchemaNotMigrated);
  });
});
