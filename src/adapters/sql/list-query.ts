import type { AccountFilter, AccountPosition, AccountSort } from '../../ports/account-store.js';

/**
 * What differs between the SQL dialects in a listing: how a value becomes a
 * placeholder, how times and booleans are written, the expression ordering
 * by last use (never-used first), and a prefix condition an index can serve.
 */
export interface ListDialect<Time> {
  /** Binds `value` and answers its placeholder. */
  readonly bind: (value: unknown) => string;
  readonly time: (date: Date) => Time;
  readonly boolean: (value: boolean) => unknown;
  /** The indexed expression sorting by last use, never-used accounts first. */
  readonly lastUsedKey: string;
  /** The value `lastUsedKey` has for an account never used. */
  readonly neverUsed: Time;
  /** A condition that `column` starts with `prefix`. */
  readonly startsWith: (column: string, prefix: string) => string;
}

/** The sort expression for each order; the id always breaks ties. */
function sortKey(sort: AccountSort, lastUsedKey: string): string {
  if (sort === 'username') return 'username_key';
  if (sort === 'lastUsedAt') return lastUsedKey;
  return 'created_at';
}

/** The WHERE conditions of `filter` at `now` (`TRUE` when none). */
export function filterSql<Time>(
  filter: AccountFilter,
  now: Date,
  dialect: ListDialect<Time>,
): string {
  const { bind } = dialect;
  const conditions: string[] = [];
  if (filter.tenants !== undefined) {
    // One tenant is an equality the tenant's indexes seek; none matches nothing.
    const [only, ...more] = filter.tenants;
    if (only === undefined) conditions.push('1 = 0');
    else if (more.length === 0) conditions.push(`tenant = ${bind(only)}`);
    else conditions.push(`tenant IN (${filter.tenants.map(bind).join(', ')})`);
  }
  if (filter.active !== undefined)
    conditions.push(`active = ${bind(dialect.boolean(filter.active))}`);
  if (filter.state === 'key_issued') conditions.push('key_hash IS NOT NULL');
  if (filter.state === 'claim_pending' || filter.state === 'no_key') {
    // Pending: a claim that can still be completed (open, not expired, not locked).
    const pending = `(claim_token_hash IS NOT NULL AND claim_expires_at > ${bind(dialect.time(now))} AND claim_attempts < claim_max_attempts)`;
    conditions.push(
      filter.state === 'claim_pending' ? pending : `(key_hash IS NULL AND NOT ${pending})`,
    );
  }
  if (filter.unusedSince !== undefined) {
    conditions.push(
      `(last_used_at IS NULL OR last_used_at < ${bind(dialect.time(filter.unusedSince))})`,
    );
  }
  if (filter.search !== undefined) {
    conditions.push(
      `(${dialect.startsWith('username_key', filter.search.usernameKey)} OR ${dialect.startsWith('email', filter.search.email)})`,
    );
  }
  return conditions.length === 0 ? 'TRUE' : conditions.join(' AND ');
}

/**
 * A page of accounts as SQL: the filter, the keyset condition after the
 * cursor's position (a row-value comparison with the id, which both SQLite
 * and PostgreSQL answer by seeking the sort's index), the order and the limit.
 */
export function listSql<Time>(
  table: string,
  query: {
    readonly limit: number;
    readonly after: AccountPosition | null;
    readonly sort: AccountSort;
    readonly filter: AccountFilter;
    readonly now: Date;
  },
  dialect: ListDialect<Time>,
): string {
  const key = sortKey(query.sort, dialect.lastUsedKey);
  const where = [filterSql(query.filter, query.now, dialect)];
  const { after } = query;
  // Within one tenant the username key is unique: it orders alone, and the tenant's unique index
  // serves the seek. Across tenants two accounts can share it, and the id breaks the tie.
  const uniqueKey = query.sort === 'username' && query.filter.tenants?.length === 1;
  const order = uniqueKey ? key : `${key}, id`;
  if (after && uniqueKey) {
    where.push(`${key} > ${dialect.bind(after.usernameKey)}`);
  } else if (after) {
    const value =
      query.sort === 'username'
        ? after.usernameKey
        : query.sort === 'lastUsedAt'
          ? after.lastUsedAt
            ? dialect.time(after.lastUsedAt)
            : dialect.neverUsed
          : dialect.time(after.createdAt);
    where.push(`(${key}, id) > (${dialect.bind(value)}, ${dialect.bind(after.id)})`);
  }
  return `SELECT * FROM ${table} WHERE ${where.join(' AND ')} ORDER BY ${order} LIMIT ${dialect.bind(query.limit)}`;
}
