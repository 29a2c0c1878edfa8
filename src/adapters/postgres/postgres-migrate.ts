import type { TableNames } from '../sql/table-names.js';
import type { PgPool, PgQueryable } from './postgres-client.js';
import { postgresMigrations } from './postgres-schema.js';

/**
 * Brings the schema up to date. With a pool, on one dedicated connection in
 * one transaction under a transaction-scoped advisory lock, so instances
 * starting together migrate one after the other and the later ones find
 * nothing to do; a failure rolls back everything. Without `connect()` (a
 * single-connection database such as PGlite) the same transaction runs on the
 * one connection there is.
 */
export function runPostgresMigrations(
  pool: PgPool,
  names: TableNames,
  schema: string | undefined,
): Promise<void> {
  // A single connection cannot hold two transactions, so migrations through one
  // client run one after the other in this process; other processes wait on the advisory lock.
  const previous = inProgress.get(pool) ?? Promise.resolve();
  const next = previous.catch(() => undefined).then(() => migrate(pool, names, schema));
  inProgress.set(pool, next);
  return next;
}

const inProgress = new WeakMap<PgPool, Promise<void>>();

async function migrate(pool: PgPool, names: TableNames, schema: string | undefined): Promise<void> {
  const client = pool.connect ? await pool.connect() : null;
  const connection: PgQueryable = client ?? pool;
  let failure: Error | undefined;
  try {
    await connection.query('BEGIN');
    await connection.query('SELECT pg_advisory_xact_lock(hashtext($1))', [
      `api-accounts:${names.migrations}`,
    ]);
    if (schema !== undefined) await connection.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    await connection.query(
      `CREATE TABLE IF NOT EXISTS ${names.migrations} (version integer PRIMARY KEY, applied_at timestamptz NOT NULL)`,
    );
    const { rows } = await connection.query<{ version: number }>(
      `SELECT version FROM ${names.migrations}`,
    );
    const applied = new Set(rows.map((row) => Number(row.version)));
    for (const migration of postgresMigrations(names)) {
      if (applied.has(migration.version)) continue;
      for (const statement of migration.statements) await connection.query(statement);
      await connection.query(
        `INSERT INTO ${names.migrations} (version, applied_at) VALUES ($1, now())`,
        [migration.version],
      );
    }
    await connection.query('COMMIT');
  } catch (error) {
    failure = error instanceof Error ? error : new Error(String(error));
    await connection.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    // A connection that failed mid-transaction is destroyed rather than returned to the pool.
    client?.release(failure);
  }
}
