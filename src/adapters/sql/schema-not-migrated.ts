/**
 * What a SQL store throws when its tables are missing or older than the code:
 * the host has not run `migrate()`. The manager reports it as
 * `StoreUnavailable` with a message that says so, and this as its `cause`.
 *
 * @example
 * ```ts
 * const result = await manager.listAccounts(admin);
 * if (result.isErr() && result.error.type === 'StoreUnavailable' && result.error.cause instanceof SchemaNotMigrated) {
 *   await store.migrate();
 * }
 * ```
 */
export class SchemaNotMigrated extends Error {
  override readonly name = 'SchemaNotMigrated';

  constructor(cause: unknown) {
    super(
      "The api-accounts tables are missing or out of date: run the store's migrate() before using it.",
      { cause },
    );
  }
}

// SQLite: "no such table" / "no such column" (better-sqlite3 code SQLITE_ERROR).
// PostgreSQL: undefined_table, undefined_column, invalid_schema_name.
const POSTGRES_CODES = new Set(['42P01', '42703', '3F000']);

/** `cause` as a `SchemaNotMigrated` when it says the schema is missing, else unchanged. */
export function explainMissingSchema(cause: unknown): unknown {
  const { code, message } = (typeof cause === 'object' && cause !== null ? cause : {}) as {
    readonly code?: unknown;
    readonly message?: unknown;
  };
  const missing =
    (typeof code === 'string' && POSTGRES_CODES.has(code)) ||
    (code === 'SQLITE_ERROR' &&
      typeof message === 'string' &&
      /^no such (table|column)/.test(message));
  return missing ? new SchemaNotMigrated(cause) : cause;
}
