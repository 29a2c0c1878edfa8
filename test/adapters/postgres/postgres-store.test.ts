import { postgresStore } from 'api-accounts/postgres';
import {
  accountStoreContract,
  runContractSuite,
  storeLifecycleContract,
} from 'api-accounts/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
    expect(rows.map((r) => r.version)).toEqual([1]);
  });

  it('refuses a table prefix or schema that is not a plain identifier', () => {
    expect(() => postgresStore(backend.pool, { tablePrefix: 'x"; DROP TABLE y; --' })).toThrow(
      TypeError,
    );
    expect(() => postgresStore(backend.pool, { schema: 'Public' })).toThrow(TypeError);
  });

  it('rejects calls after close()', async () => {
    const store = await freshStore(backend);
    await store.close();
    await expect(store.findAccountById('acct_x')).rejects.toThrow(/closed/);
  });
});
