/**
 * PostgreSQL storage for API accounts, for hosts running several app instances
 * on one database, with `LISTEN/NOTIFY` invalidation of verification caches.
 * Works with a `pg.Pool` as is (`pg` is an optional peer dependency), and with
 * PGlite or postgres.js through a few lines of wrapper (see the README).
 *
 * @example
 * ```ts
 * import pg from 'pg';
 * import { ApiAccountManager } from 'api-accounts';
 * import { postgresStore } from 'api-accounts/postgres';
 *
 * const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL });
 * const store = postgresStore(pool);
 * await store.migrate();
 * const manager = new ApiAccountManager({ ...ports, store, claimUrl, verifyCache: { ttlMs: 60_000 } });
 * ```
 *
 * @module api-accounts/postgres
 */

export { SchemaNotMigrated } from '../sql/schema-not-migrated.js';
export type { TableOptions } from '../sql/table-names.js';
export type { PgPool, PgPoolClient, PgQueryable, PgQueryResult } from './postgres-client.js';
export type { ListenFunction } from './postgres-invalidations.js';
export {
  type PostgresAccountStore,
  type PostgresStoreOptions,
  postgresStore,
} from './postgres-store.js';
