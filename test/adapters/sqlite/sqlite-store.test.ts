import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sqliteStore } from 'api-accounts/sqlite';
import {
  accountStoreContract,
  runContractSuite,
  storeLifecycleContract,
} from 'api-accounts/testing';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { everyAccount } from '../../../src/testing/store-fixtures.js';
import { pageThroughTiedAccounts } from '../sql/page-through.js';

const dir = mkdtempSync(join(tmpdir(), 'api-accounts-sqlite-'));
const opened: Database.Database[] = [];
afterAll(() => {
  for (const db of opened) db.close();
  rmSync(dir, { recursive: true, force: true });
});

let files = 0;
/** A fresh database file, as a host would open it. */
function openDatabase(name = `store-${++files}.db`): Database.Database {
  const db = new Database(join(dir, name));
  db.pragma('journal_mode = WAL');
  opened.push(db);
  return db;
}

/** A migrated store on a fresh file that records the statements it prepares from now on. */
async function recordingStore() {
  const db = openDatabase();
  const store = sqliteStore(db);
  await store.migrate();
  const prepared: string[] = [];
  const prepare = db.prepare.bind(db);
  db.prepare = (sql: string) => {
    prepared.push(sql);
    return prepare(sql);
  };
  return { db, store, prepared, stopRecording: () => (db.prepare = prepare) };
}

describe('sqliteStore (temp file)', () => {
  const migrated = async () => {
    const store = sqliteStore(openDatabase());
    await store.migrate();
    return store;
  };
  runContractSuite(accountStoreContract(migrated), { describe, it });
  runContractSuite(storeLifecycleContract(migrated), { describe, it });

  it('migrate() is idempotent and records its version', async () => {
    const db = openDatabase();
    const store = sqliteStore(db);
    await store.migrate();
    await store.migrate();
    expect(db.prepare('SELECT version FROM "api_accounts_migrations"').all()).toEqual([
      { version: 1 },
      { version: 2 },
      { version: 3 },
      { version: 4 },
      { version: 5 },
    ]);
  });

  it('pages by every sort and searches by prefix through indexes (EXPLAIN QUERY PLAN)', async () => {
    const { db, store, prepared, stopRecording } = await recordingStore();
    const after = {
      id: `acct_${'0'.repeat(22)}`,
      createdAt: new Date(),
      usernameKey: 'm',
      lastUsedAt: null,
    };
    const now = new Date();
    for (const sort of ['createdAt', 'username', 'lastUsedAt'] as const) {
      await store.listAccounts({ limit: 20, after, sort, filter: {}, now });
      await store.listAccounts({ limit: 20, after, sort, filter: { tenants: ['venue-a'] }, now });
    }
    const search = { usernameKey: 'ab', email: 'ab' };
    await store.listAccounts({ limit: 20, after: null, sort: 'username', filter: { search }, now });
    await store.countAccounts({ filter: { search }, now });
    stopRecording();
    const plan = (match: RegExp) => {
      const sql = prepared.find((statement) => match.test(statement)) ?? '';
      expect(sql, String(match)).not.toBe('');
      const params = Array.from(sql.matchAll(/\?/g), () => 'x');
      return (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[])
        .map((row) => row.detail)
        .join(' | ');
    };
    // Each keyset page is one seek in its sort's index: page 10,000 costs what page 1 does.
    expect(plan(/WHERE TRUE AND \(created_at, id\) >/)).toBe(
      'SEARCH api_accounts USING INDEX api_accounts_created_at_id ((created_at,id)>(?,?))',
    );
    expect(plan(/WHERE TRUE AND \(username_key, id\) >/)).toBe(
      'SEARCH api_accounts USING INDEX api_accounts_username_key_id ((username_key,id)>(?,?))',
    );
    expect(plan(/WHERE TRUE AND \(last_used_key, id\) >/)).toBe(
      'SEARCH api_accounts USING INDEX api_accounts_last_used_id ((last_used_key,id)>(?,?))',
    );
    // A tenant's page is one seek too, whatever the other tenants hold.
    expect(plan(/tenant = \? AND \(created_at, id\) >/)).toBe(
      'SEARCH api_accounts USING INDEX api_accounts_tenant_created_at_id (tenant=? AND (created_at,id)>(?,?))',
    );
    expect(plan(/tenant = \? AND username_key > \? ORDER BY username_key LIMIT/)).toMatch(
      /^SEARCH api_accounts USING INDEX \S+ \(tenant=\? AND username_key>\?\)$/,
    );
    expect(plan(/tenant = \? AND \(last_used_key, id\) >/)).toBe(
      'SEARCH api_accounts USING INDEX api_accounts_tenant_last_used_id (tenant=? AND (last_used_key,id)>(?,?))',
    );
    // A search reads the matching range of the username and email indexes, not every account.
    for (const searching of [
      /^SELECT \* .*username_key >= \?/s,
      /^SELECT count.*username_key >= \?/s,
    ]) {
      const searched = plan(searching);
      expect(searched).toMatch(/USING INDEX \S+ \(username_key>\? AND username_key<\?\)/);
      expect(searched).toMatch(/USING INDEX \S+ \(email>\? AND email<\?\)/);
      expect(searched).not.toMatch(/SCAN api_accounts/);
    }
  });

  it('finds a key by either hash, and due work, through indexes (EXPLAIN QUERY PLAN)', async () => {
    const { db, store, prepared, stopRecording } = await recordingStore();
    await store.findKeyHolder('0'.repeat(64));
    await store.listDueAccounts({
      keysExpiringBy: new Date(),
      previousEndingBy: new Date(),
      limit: 100,
      after: null,
    });
    stopRecording();
    const plan = (match: string, params: Record<string, unknown> | unknown[]) => {
      const sql = prepared.find((statement) => statement.includes(match)) ?? '';
      expect(sql, match).not.toBe('');
      const bound = Array.isArray(params) ? params : [params];
      return (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...bound) as { detail: string }[])
        .map((row) => row.detail)
        .join('\n');
    };
    const current = plan('WHERE key_hash = ?', ['x']);
    expect(current).toMatch(/^SEARCH api_accounts USING INDEX \S+ \(key_hash=\?\)$/);
    const previous = plan('WHERE prev_key_hash = ?', ['x']);
    expect(previous).toBe(
      'SEARCH api_accounts USING INDEX api_accounts_prev_key_hash (prev_key_hash=?)',
    );
    const due = plan('key_expiry_recorded = 0', {
      keysBy: 5,
      previousBy: 5,
      after: null,
      limit: 100,
    });
    expect(due).toContain('USING INDEX api_accounts_key_expires_at');
    expect(due).toContain('USING INDEX api_accounts_prev_key_ends_at');
    expect(due).not.toMatch(/SCAN api_accounts\b/);
  });

  it('two stores migrating one file at once both succeed', async () => {
    const name = 'shared.db';
    const [a, b] = [sqliteStore(openDatabase(name)), sqliteStore(openDatabase(name))];
    await Promise.all([a.migrate(), b.migrate()]);
    expect(await a.listAccounts(everyAccount(1))).toEqual([]);
  });

  it('keeps tables apart by prefix', async () => {
    const db = openDatabase();
    const one = sqliteStore(db, { tablePrefix: 'one_' });
    const two = sqliteStore(db, { tablePrefix: 'two_' });
    await one.migrate();
    await two.migrate();
    const tables = (
      db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as {
        name: string;
      }[]
    ).map((t) => t.name);
    expect(tables).toEqual(
      expect.arrayContaining(['one_api_accounts', 'two_api_accounts', 'one_api_account_events']),
    );
    expect(() => sqliteStore(db, { tablePrefix: 'bad"; DROP TABLE x; --' })).toThrow(TypeError);
  });

  it('pages by seeking the (created_at, id) index, also through accounts created at one instant', async () => {
    const db = openDatabase();
    // The statements the store prepares, so their query plans can be read.
    const prepared: string[] = [];
    const recording = new Proxy(db, {
      get: (target, property) =>
        property === 'prepare'
          ? (sql: string) => {
              prepared.push(sql);
              return target.prepare(sql);
            }
          : Reflect.get(target, property, target),
    });
    const store = sqliteStore(recording);
    await store.migrate();
    const at = new Date('2026-01-01T00:00:00Z');
    const seen = await pageThroughTiedAccounts(store, at);
    const paging = prepared.find(
      (sql) => sql.includes('ORDER BY created_at, id') && sql.includes('(created_at, id) >'),
    );
    const plan = db.prepare(`EXPLAIN QUERY PLAN ${paging}`).all(at.getTime(), seen[150], 7) as {
      detail: string;
    }[];
    // One seek to the cursor: not a scan of every row created at that instant.
    expect(plan.map((step) => step.detail)).toEqual([
      'SEARCH api_accounts USING INDEX api_accounts_created_at_id ((created_at,id)>(?,?))',
    ]);
  });

  it('rejects calls after close()', async () => {
    const store = sqliteStore(openDatabase());
    await store.migrate();
    await store.close();
    await expect(store.findAccountById('acct_x')).rejects.toThrow(/closed/);
  });
});

describe('sqliteStore shared by processes', () => {
  it("tells one connection's subscribers of another connection's changes, within about 100 ms", async () => {
    const name = `shared-${++files}.db`;
    const writer = sqliteStore(openDatabase(name));
    await writer.migrate();
    const reader = sqliteStore(openDatabase(name));
    const heard: string[] = [];
    const stop = await reader.invalidations.subscribe({
      invalidate: (accountId) => heard.push(accountId),
      interrupted: () => undefined,
      resumed: () => undefined,
    });
    const { newAccount, eventFor } = await import('../../../src/testing/store-fixtures.js');
    const account = newAccount();
    await writer.insertAccount(account, [eventFor(account, 'account.created')]);
    const started = performance.now();
    while (!heard.includes(account.id)) {
      expect(performance.now() - started).toBeLessThan(1_000);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(heard).toEqual([account.id]);
    await stop();
  });
});
