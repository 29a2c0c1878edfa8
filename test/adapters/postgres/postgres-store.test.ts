import { randomBytes } from 'node:crypto';
import { postgresStore } from 'api-accounts/postgres';
import {
  accountStoreContract,
  runContractSuite,
  storeLifecycleContract,
} from 'api-accounts/testing';
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
    expect(rows.map((r) => r.version)).toEqual([1, 2]);
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

  it('rejects calls after close()', async () => {
    const store = await freshStore(backend);
    await store.close();
    await expect(store.findAccountById('acct_x')).rejects.toThrow(/closed/);
  });
});
