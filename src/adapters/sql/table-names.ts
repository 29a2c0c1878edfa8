/** What a table prefix or schema name may be: a plain lower-case SQL identifier, so it needs no escaping. */
const IDENTIFIER = /^[a-z_][a-z0-9_]{0,40}$/;

/**
 * Names of the tables a SQL store uses, quoted for the dialect.
 */
export interface TableNames {
  readonly accounts: string;
  readonly events: string;
  readonly migrations: string;
  /** Verifications per account and day (migration 2). */
  readonly usage: string;
  /** The prefix itself, for naming constraints, indexes and channels. */
  readonly prefix: string;
  /** The schema, quoted, or `null` for the default one. */
  readonly schema: string | null;
}

/**
 * Options shared by the SQL stores for where their tables live.
 *
 * @example
 * ```ts
 * const options: TableOptions = { tablePrefix: 'boxoffice_' };
 * ```
 */
export interface TableOptions {
  /** Prepended to every table, index and constraint name. Default `''`. Lower-case letters, digits and `_`. */
  readonly tablePrefix?: string;
  /** PostgreSQL only: the schema holding the tables (created by `migrate()` if missing). */
  readonly schema?: string;
}

/**
 * Checks the options and builds the quoted table names. Throws a `TypeError` at
 * construction for a prefix or schema that is not a plain identifier.
 */
export function tableNames(options: TableOptions = {}): TableNames {
  const prefix = options.tablePrefix ?? '';
  if (prefix !== '' && !IDENTIFIER.test(prefix)) {
    throw new TypeError(
      'tablePrefix must be lower-case letters, digits and _ (starting with a letter or _)',
    );
  }
  if (options.schema !== undefined && !IDENTIFIER.test(options.schema)) {
    throw new TypeError(
      'schema must be lower-case letters, digits and _ (starting with a letter or _)',
    );
  }
  const schema = options.schema === undefined ? null : `"${options.schema}"`;
  const qualify = (name: string) =>
    schema ? `${schema}."${prefix}${name}"` : `"${prefix}${name}"`;
  return {
    accounts: qualify('api_accounts'),
    events: qualify('api_account_events'),
    migrations: qualify('api_accounts_migrations'),
    usage: qualify('api_account_usage'),
    prefix,
    schema,
  };
}
