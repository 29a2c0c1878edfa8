/**
 * Where the PostgreSQL suites run: the server at DATABASE_URL when it is set
 * (as in CI), otherwise an embedded PGlite, so `npm test` runs them on a fresh
 * machine too. Test names say which, so nothing skips silently.
 */
import { randomBytes } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import { type PgPool, type PostgresStoreOptions, postgresStore } from 'api-accounts/postgres';
import pg from 'pg';

export const databaseUrl = process.env['DATABASE_URL'];
export const backendName = databaseUrl
  ? `PostgreSQL server (${new URL(databaseUrl).host})`
  : 'embedded PGlite';

export interface Backend {
  /** A client as the host would pass it. */
  readonly pool: PgPool;
  /** Options that put this backend's tables in their own schema. */
  readonly options: PostgresStoreOptions;
  /** A second, independent client on the same database (another app instance), or null for PGlite. */
  readonly secondPool: (() => pg.Pool) | null;
  readonly raw: pg.Pool | PGlite;
  close(): Promise<void>;
}

/** The wrapper the README shows for PGlite. */
export function pgliteClient(db: PGlite): PgPool {
  return {
    query: async (text, values) => ({ rows: (await db.query(text, values)).rows as never[] }),
  };
}

/** A fresh schema on the server, or a fresh PGlite database. */
export async function openBackend(): Promise<Backend> {
  const schema = `aa_test_${randomBytes(6).toString('hex')}`;
  if (databaseUrl) {
    const pools: pg.Pool[] = [];
    const newPool = () => {
      const pool = new pg.Pool({
        connectionString: databaseUrl,
        max: 10,
        application_name: schema,
      });
      // Connections the tests terminate on purpose report here; the store sees the failure on its next query.
      pool.on('error', () => undefined);
      pools.push(pool);
      return pool;
    };
    const pool = newPool();
    return {
      pool,
      raw: pool,
      options: { schema },
      secondPool: newPool,
      async close() {
        await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => undefined);
        await Promise.all(pools.map((p) => p.end().catch(() => undefined)));
      },
    };
  }
  const db = new PGlite();
  return {
    pool: pgliteClient(db),
    raw: db,
    options: {
      schema,
      listen: async (channel, onPayload) => {
        const unlisten = await db.listen(channel, onPayload);
        return async () => unlisten();
      },
    },
    secondPool: null,
    async close() {
      await db.close();
    },
  };
}

/** A migrated store on `backend`, in a schema of its own. */
export async function freshStore(backend: Backend) {
  const store = postgresStore(backend.pool, {
    ...backend.options,
    schema: `aa_${randomBytes(6).toString('hex')}`,
  });
  await store.migrate();
  return store;
}
