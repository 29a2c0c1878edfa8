/**
 * The least a PostgreSQL client must offer the store. A `pg.Pool` satisfies it
 * as is; PGlite and postgres.js satisfy it with a few lines (see the README).
 *
 * @module
 */

/**
 * What a query answers: the rows, typed by the caller.
 *
 * @example
 * ```ts
 * const { rows } = await pool.query<{ id: string }>('SELECT id FROM t');
 * ```
 */
export interface PgQueryResult<Row> {
  readonly rows: Row[];
}

/**
 * Runs one parameterised statement (`$1`, `$2`, …).
 *
 * @example
 * ```ts
 * const queryable: PgQueryable = pool; // a pg.Pool
 * ```
 */
export interface PgQueryable {
  /** Runs `text` with `values` bound to `$1`, `$2`, …; resolves with the rows. */
  query<Row = Record<string, unknown>>(
    text: string,
    values?: unknown[],
  ): Promise<PgQueryResult<Row>>;
}

/**
 * A connection checked out of a pool: used to run migrations under an advisory
 * lock and to `LISTEN` for invalidations.
 *
 * @example
 * ```ts
 * const client: PgPoolClient = await pool.connect();
 * ```
 */
export interface PgPoolClient extends PgQueryable {
  /** Returns the connection to the pool; with an error (or `true`), the pool discards it. */
  release(error?: Error | boolean): void;
  /** `LISTEN` deliveries. */
  on(
    event: 'notification',
    listener: (message: { channel: string; payload?: string | undefined }) => void,
  ): unknown;
  /** The connection failed. */
  on(event: 'error', listener: (error: Error) => void): unknown;
  /** The connection closed. */
  on(event: 'end', listener: () => void): unknown;
  /** Stops `LISTEN` deliveries to `listener`. */
  removeListener?(
    event: 'notification',
    listener: (message: { channel: string; payload?: string | undefined }) => void,
  ): unknown;
  /** Stops error reports to `listener`. */
  removeListener?(event: 'error', listener: (error: Error) => void): unknown;
  /** Stops close reports to `listener`. */
  removeListener?(event: 'end', listener: () => void): unknown;
}

/**
 * What `postgresStore` takes: something that runs queries and, optionally, hands
 * out dedicated connections (`pg.Pool` does both).
 *
 * Without `connect`, `migrate()` runs without an advisory lock (fine for a
 * single-connection database such as PGlite) and invalidations need the
 * `listen` option.
 *
 * @example
 * ```ts
 * import pg from 'pg';
 * const pool: PgPool = new pg.Pool({ connectionString: process.env.DATABASE_URL });
 * ```
 */
export interface PgPool extends PgQueryable {
  /** A dedicated connection, for migrations under an advisory lock and for `LISTEN`. */
  connect?(): Promise<PgPoolClient>;
}
