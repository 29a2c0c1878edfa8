import { randomBytes } from 'node:crypto';
import { postgresStore } from 'api-accounts/postgres';
import {
  accountStoreContract,
  runContractSuite,
  storeLifecycleContract,
} from 'api-accounts/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pageThroughTiedAccounts } from '../sql/page-through.js';
import { type Backend, backendName, freshStore, openBackend } from './backend.js';

let backend: Backend;
beforeAll(async () => {
  backend = await openBackend();
});
afterAll(async () => {
  await backend.close();
});

describe(`postgresStore on ${backendName}`, () => {
  runContractSuite(
    accountStoreContract(() => freshStore(backend)),
    { describe, it },
  );
  runContractSuite(
    storeLifecycleContract(() => freshStore(backend)),
    { describe, it },
  );

  it('migrate() is idempotent and safe when instances start together', async () => {
    const stores = Array.from({ length: 4 }, () => postgresStore(backend.pool, backend.options));
    await Promise.all(stores.map((store) => store.migrate()));
    await stores[0]?.migrate();
    const { rows } = await backend.pool.query<{ version: number }>(
      `SELECT version FROM "${backend.options.schema}"."api_accounts_migrations"`,
    );
    expect(rows.map((r) => r.version)).toEqual([1, 2, 3, 4, 5]);
  });

  it('refuses a table prefix or schema that is not a plain identifier', () => {
    expect(() => postgresStore(backend.pool, { tablePrefix: 'x"; DROP TABLE y; --' })).toThrow(
      TypeError,
    );
    expect(() => postgresStore(backend.pool, { schema: 'Public' })).toThrow(TypeError);
  });

  it('pages by seeking the (created_at, id) index, also through accounts created at one instant', async () => {
    // The statements the store sends, so their query plans can be read.
    const sent: string[] = [];
    const recording = {
      query: ((text: string, values?: unknown[]) => {
        sent.push(text);
        return backend.pool.query(text, values);
      }) as typeof backend.pool.query,
    };
    const schema = `aa_paging_${randomBytes(4).toString('hex')}`;
    const store = postgresStore(recording, { ...backend.options, schema });
    await store.migrate();
    const at = new Date('2026-01-01T00:00:00Z');
    const seen = await pageThroughTiedAccounts(store, at);
    const paging = sent.find((sql) => sql.includes('(created_at, id) >')) ?? '';
    await backend.pool.query(`ANALYZE "${schema}"."api_accounts"`);
    const { rows } = await backend.pool.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${paging}`, [
      at,
      seen[150],
      7,
    ]);
    const plan = rows.map((row) => row['QUERY PLAN']).join('\n');
    // One seek to the cursor in index order, stopped by the limit: no scan, no sort.
    expect(plan).toMatch(/Index Scan using api_accounts_created_at_id/);
    expect(plan).toMatch(/Index Cond: \(ROW\(created_at, id\) > ROW\(/);
    expect(plan).not.toMatch(/Seq Scan|Sort/);
    await backend.pool.query(`DROP SCHEMA "${schema}" CASCADE`);
  });

  it('pages by every sort and searches by prefix through indexes (EXPLAIN)', async () => {
    const sent: { text: string; values: unknown[] }[] = [];
    const recording = {
      query: ((text: string, values?: unknown[]) => {
        sent.push({ text, values: values ?? [] });
        return backend.pool.query(text, values);
      }) as typeof backend.pool.query,
    };
    const schema = `aa_sorts_${randomBytes(4).toString('hex')}`;
    const store = postgresStore(recording, { ...backend.options, schema });
    await store.migrate();
    const table = `"${schema}"."api_accounts"`;
    // Enough accounts, half of them never used, for the planner to prefer the indexes.
    await backend.pool.query(
      `INSERT INTO ${table} (id, username, username_key, email, phone, active, version, created_at, updated_at, last_used_at)
       SELECT 'acct_' || lpad(i::text, 22, '0'), 'User ' || i, 'user ' || i, 'u' || i || '@x.example', '+447894123456',
         true, 1, now(), now(), CASE WHEN i % 2 = 0 THEN now() - i * interval '1 second' END
       FROM generate_series(1, 5000) AS i`,
    );
    await backend.pool.query(`ANALYZE ${table}`);
    const after = {
      id: `acct_${'0'.repeat(22)}`,
      createdAt: new Date(),
      usernameKey: 'user 2',
      lastUsedAt: null,
    };
    const now = new Date();
    for (const sort of ['username', 'lastUsedAt', 'createdAt'] as const) {
      await store.listAccounts({ limit: 20, after, sort, filter: {}, now });
      await store.listAccounts({ limit: 20, after, sort, filter: { tenants: ['default'] }, now });
    }
    const search = { usernameKey: 'user 123', email: 'u123' };
    await store.listAccounts({ limit: 20, after: null, sort: 'username', filter: { search }, now });
    const plan = async (match: RegExp) => {
      const statement = sent.find(({ text }) => match.test(text));
      expect(statement, String(match)).toBeDefined();
      const { rows } = await backend.pool.query<{ 'QUERY PLAN': string }>(
        `EXPLAIN ${statement?.text}`,
        statement?.values,
      );
      return rows.map((row) => row['QUERY PLAN']).join('\n');
    };
    const byUsername = await plan(/WHERE TRUE AND \(username_key, id\) >/);
    expect(byUsername).toMatch(/Index Scan using api_accounts_username_key_id/);
    expect(byUsername).toMatch(/Index Cond: \(ROW\(username_key, id\) > /);
    expect(byUsername).not.toMatch(/Seq Scan|Sort/);
    // A tenant's page is one seek in its tenant's index, whatever the other tenants hold.
    const tenantByUsername = await plan(
      /tenant = \$1 AND username_key > \$2 ORDER BY username_key LIMIT/,
    );
    expect(tenantByUsername).toMatch(/Index Scan using api_accounts_tenant_username_key_unique/);
    expect(tenantByUsername).not.toMatch(/Seq Scan|Sort/);
    for (const [match, index] of [
      [/tenant = \$1 AND \(coalesce/, 'api_accounts_tenant_last_used_id'],
      [/tenant = \$1 AND \(created_at, id\) >/, 'api_accounts_tenant_created_at_id'],
    ] as const) {
      const tenantPage = await plan(match);
      expect(tenantPage).toMatch(new RegExp(`Index Scan using ${index}`));
      expect(tenantPage).not.toMatch(/Seq Scan|Sort/);
    }
    const byLastUse = await plan(
      /WHERE TRUE AND \(coalesce\(last_used_at, '0001-01-01 00:00:00\+00'::timestamptz\), id\) >/,
    );
    expect(byLastUse).toMatch(/Index Scan using api_accounts_last_used_id/);
    expect(byLastUse).toMatch(/Index Cond: \(ROW\(COALESCE\(last_used_at/);
    expect(byLastUse).not.toMatch(/Seq Scan|Sort/);
    const searched = await plan(/LIKE/);
    expect(searched).toMatch(/Bitmap Index Scan on api_accounts_username_key_prefix/);
    expect(searched).toMatch(/Bitmap Index Scan on api_accounts_email_prefix/);
    expect(searched).not.toMatch(/Seq Scan/);
    await backend.pool.query(`DROP SCHEMA "${schema}" CASCADE`);
  });

  it('rejects calls after close()', async () => {
    const store = await freshStore(backend);
    await store.close();
    await expect(store.findAccountById('acct_x')).rejects.toThrow(/closed/);
  });
});

describe(`postgresStore's verification lookups on ${backendName} (#24)`, () => {
  it('are named prepared statements on a node-postgres pool, and plain queries on other clients', async () => {
    const sent: unknown[] = [];
    // The host's own client, every call recorded: a node-postgres pool when the server is there.
    const recorded = new Proxy(backend.pool, {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver);
        if (property !== 'query') return value;
        return (...args: unknown[]) => {
          sent.push(args[0]);
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
    const store = postgresStore(recorded, backend.options);
    await store.migrate();
    sent.length = 0;
    const holder = await store.findKeyHolder('0'.repeat(64));
    const signer = await store.findSigner('default', 'nobody');
    expect([holder, signer]).toEqual([null, null]);
    expect(sent).toHaveLength(2);
    if (backend.raw instanceof pg.Pool) {
      for (const statement of sent) {
        expect(statement).toMatchObject({
          name: expect.stringMatching(/^api_accounts_[0-9a-f]{24}$/),
        });
      }
      // Told otherwise, the same pool gets plain queries.
      const plain = postgresStore(recorded, { ...backend.options, preparedStatements: false });
      sent.length = 0;
      await plain.findKeyHolder('0'.repeat(64));
      expect(typeof sent[0]).toBe('string');
    } else {
      for (const statement of sent) expect(typeof statement).toBe('string');
    }
  });
});
