/**
 * The postgres.js wrapper the README shows, proved with the store contract on
 * the PostgreSQL server (postgres.js has no embedded mode, so without
 * DATABASE_URL this suite is reported as skipped; CI sets it).
 */
import { randomBytes } from 'node:crypto';
import { type PgPool, postgresStore } from 'api-accounts/postgres';
import {
  accountStoreContract,
  runContractSuite,
  storeLifecycleContract,
} from 'api-accounts/testing';
import postgres from 'postgres';
import { afterAll, describe, it } from 'vitest';
import { databaseUrl } from './backend.js';

const sql = databaseUrl ? postgres(databaseUrl, { max: 10, onnotice: () => undefined }) : null;
const schemas: string[] = [];
afterAll(async () => {
  if (!sql) return;
  for (const schema of schemas) await sql.unsafe(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await sql.end();
});

/** From the README: postgres.js as the store's client. */
function postgresJsClient(db: postgres.Sql): PgPool {
  // Statements on the shared client are prepared (parsed and planned once per connection);
  // the reserved one runs the migrations, several statements in one text, unprepared.
  const run =
    (target: postgres.Sql | postgres.ReservedSql, prepare = false) =>
    async (text: string, values: unknown[] = []) => ({
      rows: (await target.unsafe(text, values as postgres.ParameterOrJSON<never>[], {
        prepare,
      })) as never[],
    });
  return {
    query: run(db, true),
    // A reserved connection for migrations, which run in one transaction.
    connect: async () => {
      const reserved = await db.reserve();
      return { query: run(reserved), release: () => reserved.release(), on: () => undefined };
    },
  };
}

async function freshStore() {
  if (!sql) throw new Error('DATABASE_URL is not set');
  const schema = `aa_pgjs_${randomBytes(6).toString('hex')}`;
  schemas.push(schema);
  const store = postgresStore(postgresJsClient(sql), {
    schema,
    listen: async (channel, onPayload) => {
      const { unlisten } = await sql.listen(channel, onPayload);
      return unlisten;
    },
  });
  await store.migrate();
  return store;
}

describe.skipIf(!sql)('postgresStore through postgres.js (needs DATABASE_URL; CI sets it)', () => {
  runContractSuite(accountStoreContract(freshStore), { describe, it });
  runContractSuite(storeLifecycleContract(freshStore), { describe, it });
});
