import type {
  AccountChange,
  AccountEvent,
  AccountRecord,
  AccountStore,
  ApplyChangeOutcome,
  CompleteClaimOutcome,
  FailedAttemptOutcome,
  InsertAccountOutcome,
  UsageCount,
} from '../../ports/account-store.js';
import type { InvalidationBus } from '../../ports/invalidation-bus.js';
import {
  ACCOUNT_COLUMNS,
  type AccountRow,
  type EventRow,
  KEY_HOLDER_COLUMNS,
  type KeyHolderRow,
  rowCodec,
  type SignerRow,
  signerLookupSql,
  uniqueViolationOf,
} from '../sql/account-row.js';
import {
  CLEARED_CLAIM_SQL,
  changeColumns,
  previousKeyGraceSql,
  whyClaimNotCompleted,
} from '../sql/change-columns.js';
import { readSqlFeed } from '../sql/feed-position.js';
import { filterSql, type ListDialect, listSql } from '../sql/list-query.js';
import { explainMissingSchema } from '../sql/schema-not-migrated.js';
import { type TableOptions, tableNames } from '../sql/table-names.js';
import { sqliteInvalidations } from './sqlite-invalidations.js';
import { sqliteMigrations } from './sqlite-schema.js';

/**
 * A prepared statement, as better-sqlite3 gives it.
 *
 * @example
 * ```ts
 * const statement: SqliteStatement = db.prepare('SELECT 1');
 * ```
 */
export interface SqliteStatement {
  /** Runs a write. */
  run(...params: unknown[]): { readonly changes: number };
  /** The first row, or `undefined`. */
  get(...params: unknown[]): unknown;
  /** Every row. */
  all(...params: unknown[]): unknown[];
}

/**
 * A transaction function, as better-sqlite3's `db.transaction(fn)` makes it.
 *
 * @example
 * ```ts
 * const write: SqliteTransaction<[number], void> = db.transaction((n: number) => undefined);
 * write.immediate(1);
 * ```
 */
// biome-ignore lint/suspicious/noExplicitAny: the default fits any driver's transaction
export interface SqliteTransaction<A extends unknown[] = any[], R = any> {
  (...params: A): R;
  /** Runs it as `BEGIN IMMEDIATE`: takes the write lock at once. */
  immediate(...params: A): R;
}

/**
 * The part of a better-sqlite3 `Database` the store uses. Declared here,
 * rather than taken from `@types/better-sqlite3`, so that a host's type check
 * needs no driver types and no `esModuleInterop`.
 *
 * @example
 * ```ts
 * import Database from 'better-sqlite3';
 * const db: SqliteDatabase = new Database('api-accounts.db');
 * ```
 */
export interface SqliteDatabase {
  /** Compiles a statement. */
  prepare(sql: string): SqliteStatement;
  /** Runs statements that return nothing. */
  exec(sql: string): unknown;
  /** Wraps `fn` so that each call runs in one transaction. */
  // biome-ignore lint/suspicious/noExplicitAny: any driver's generic signature must fit
  transaction(fn: (...args: any[]) => any): SqliteTransaction;
  /** Reads or sets a pragma. */
  pragma(source: string, options?: { readonly simple?: boolean }): unknown;
}

/**
 * Options of {@link sqliteStore}.
 *
 * @example
 * ```ts
 * sqliteStore(db, { tablePrefix: 'boxoffice_' });
 * ```
 */
export type SqliteStoreOptions = Omit<TableOptions, 'schema'>;

/**
 * An {@link AccountStore} in SQLite, with its schema management.
 *
 * @example
 * ```ts
 * const store = sqliteStore(new Database('api-accounts.db'));
 * await store.migrate();
 * ```
 */
export interface SqliteAccountStore extends AccountStore {
  /**
   * Creates or upgrades the tables. Idempotent; safe when several processes
   * start at once (the migration runs in an immediate transaction, so one waits
   * for the other and then finds nothing to do).
   */
  migrate(): Promise<void>;
  /** Stops the store: later calls reject. The database stays the host's to close. */
  close(): Promise<void>;
  /**
   * Tells verification caches of changes made by other processes sharing the
   * file, within about 100 ms (`PRAGMA data_version`, then the change feed).
   */
  readonly invalidations: InvalidationBus;
}

/** The least integer: the last-use sort key (`last_used_key`) of an account never used, first in the order. */
const NEVER_USED = -9_007_199_254_740_991;

/**
 * A listing statement in SQLite's terms, with its positional parameters. A
 * prefix is a range on the column (text compares as UTF-8 bytes), so the
 * column's unique index serves it.
 */
function sqliteList(build: (dialect: ListDialect<number>) => string): {
  sql: string;
  params: unknown[];
} {
  const params: unknown[] = [];
  const bind = (value: unknown) => {
    params.push(value);
    return '?';
  };
  const sql = build({
    bind,
    time: (date) => date.getTime(),
    boolean: (value) => (value ? 1 : 0),
    lastUsedKey: 'last_used_key',
    neverUsed: NEVER_USED,
    startsWith: (column, prefix) =>
      `(${column} >= ${bind(prefix)} AND ${column} < ${bind(`${prefix}\u{10FFFF}`)})`,
  });
  return { sql, params };
}

const sqliteTime = rowCodec<number>({
  toTime: (date) => date.getTime(),
  fromTime: (ms) => new Date(Number(ms)),
});

type SqlRow = AccountRow<number>;

/**
 * An {@link AccountStore} over a better-sqlite3 database: the embedded default
 * for anything that runs out of the box. Every write is one transaction;
 * uniqueness, versions, single-use claims and the attempt limit are enforced by
 * the SQL itself (unique indexes and conditional updates), so they also hold
 * between processes sharing the file.
 *
 * Call `migrate()` once at start-up before using the store.
 *
 * @example
 * ```ts
 * import Database from 'better-sqlite3';
 * import { sqliteStore } from 'api-accounts/sqlite';
 *
 * const db = new Database('api-accounts.db');
 * db.pragma('journal_mode = WAL');
 * const store = sqliteStore(db);
 * await store.migrate();
 * const manager = new ApiAccountManager({ store, sms, email, directory, claimUrl }); // your senders
 * ```
 */
export function sqliteStore(
  db: SqliteDatabase,
  options: SqliteStoreOptions = {},
): SqliteAccountStore {
  const names = tableNames(options);
  const { accounts, events } = names;
  let closed = false;
  const statements = new Map<string, SqliteStatement>();
  const statement = (sql: string): SqliteStatement => {
    if (closed) throw new Error('the SQLite account store is closed');
    let prepared = statements.get(sql);
    if (!prepared) {
      try {
        prepared = db.prepare(sql);
      } catch (cause) {
        throw explainMissingSchema(cause);
      }
      statements.set(sql, prepared);
    }
    return prepared;
  };

  const placeholders = ACCOUNT_COLUMNS.map((c) => `@${c}`).join(', ');
  const insertAccountSql = `INSERT INTO ${accounts} (${ACCOUNT_COLUMNS.join(', ')}) VALUES (${placeholders})`;
  const insertEventSql = `INSERT INTO ${events} (account_id, tenant, type, actor_id, at, fields, until, changes, leak) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`;

  const findSql = {
    id: `SELECT * FROM ${accounts} WHERE id = ?`,
    claim_token_hash: `SELECT * FROM ${accounts} WHERE claim_token_hash = ?`,
  } as const;
  const appendEvents = (list: readonly AccountEvent[]) => {
    for (const event of list) {
      statement(insertEventSql).run(
        event.accountId,
        event.tenant,
        event.type,
        event.actorId,
        event.at.getTime(),
        event.fields ? JSON.stringify(event.fields) : null,
        event.until ? event.until.getTime() : null,
        event.changes ? JSON.stringify(event.changes) : null,
        event.leak ? JSON.stringify(event.leak) : null,
      );
    }
  };
  const findOne = (column: 'id' | 'claim_token_hash', value: string): AccountRecord | null => {
    const row = statement(findSql[column]).get(value) as SqlRow | undefined;
    return row ? sqliteTime.fromRow(row) : null;
  };
  // The current key first, the previous one only when that finds nothing: one plain index
  // search for almost every request (a compound statement costs SQLite twice as much).
  const findKeyHolderSql = {
    current: `SELECT ${KEY_HOLDER_COLUMNS} FROM ${accounts} WHERE key_hash = ?`,
    previous: `SELECT ${KEY_HOLDER_COLUMNS} FROM ${accounts} WHERE prev_key_hash = ?`,
    // Another tenant's key misses in the statement itself, as an unknown key does.
    currentIn: `SELECT ${KEY_HOLDER_COLUMNS} FROM ${accounts} WHERE key_hash = ? AND tenant = ?`,
    previousIn: `SELECT ${KEY_HOLDER_COLUMNS} FROM ${accounts} WHERE prev_key_hash = ? AND tenant = ?`,
  };
  const findSignerSql = signerLookupSql(accounts, '?', '?');
  // Another tenant's account misses in the index condition itself, as a missing one does.
  const findInTenantsSql = `SELECT * FROM ${accounts} WHERE id = ? AND tenant IN (SELECT value FROM json_each(?))`;
  const sqliteRow = (record: AccountRecord) => {
    const row = sqliteTime.toRow(record);
    return {
      ...row,
      active: row.active ? 1 : 0,
      key_expiry_recorded: row.key_expiry_recorded ? 1 : 0,
    };
  };

  const insert = db.transaction((record: AccountRecord, list: readonly AccountEvent[]) => {
    statement(insertAccountSql).run(sqliteRow(record));
    appendEvents(list);
  });

  const apply = db.transaction((change: AccountChange): ApplyChangeOutcome => {
    const columns = changeColumns(change, (date) => date.getTime());
    const sets = columns.map(([column]) => `${column} = ?`).join(', ');
    const values = columns.map(([, value]) => (typeof value === 'boolean' ? Number(value) : value));
    const row = statement(
      `UPDATE ${accounts} SET ${sets}, version = version + 1 WHERE id = ? AND version = ? RETURNING *`,
    ).get(...values, change.accountId, change.expectedVersion) as SqlRow | undefined;
    if (!row) {
      const exists = statement(`SELECT 1 FROM ${accounts} WHERE id = ?`).get(change.accountId);
      return { outcome: exists ? 'version_conflict' : 'not_found' };
    }
    appendEvents(change.events);
    return { outcome: 'applied', account: sqliteTime.fromRow(row) };
  });

  const failAttempt = db.transaction(
    (accountId: string, tokenHash: string, event: AccountEvent): FailedAttemptOutcome => {
      const row = statement(
        `UPDATE ${accounts} SET claim_attempts = claim_attempts + 1
         WHERE id = ? AND claim_token_hash = ? AND claim_attempts < claim_max_attempts
         RETURNING claim_attempts, claim_max_attempts`,
      ).get(accountId, tokenHash) as
        | { claim_attempts: number; claim_max_attempts: number }
        | undefined;
      if (!row) {
        const open = statement(
          `SELECT 1 FROM ${accounts} WHERE id = ? AND claim_token_hash = ?`,
        ).get(accountId, tokenHash);
        return { outcome: open ? 'locked' : 'gone' };
      }
      appendEvents([event]);
      return {
        outcome: 'counted',
        attempts: row.claim_attempts,
        maxAttempts: row.claim_max_attempts,
      };
    },
  );

  const complete = db.transaction(
    (
      accountId: string,
      tokenHash: string,
      key: AccountRecord['key'] & object,
      at: Date,
      event: AccountEvent,
    ): CompleteClaimOutcome => {
      const row = statement(
        `UPDATE ${accounts} SET key_hash = @hash, key_issued_at = @issuedAt, key_sealed_secret = @sealed,
           key_expires_at = @expiresAt, key_reminders_sent = @remindersSent,
           key_expiry_recorded = @expiryRecorded,
           ${previousKeyGraceSql('@at', (ms) => ms)},
           ${CLEARED_CLAIM_SQL}, version = version + 1, updated_at = @at
         WHERE id = @id AND claim_token_hash = @tokenHash AND claim_attempts < claim_max_attempts
           AND claim_expires_at > @at AND active = 1
         RETURNING *`,
      ).get({
        hash: key.hash,
        issuedAt: key.issuedAt.getTime(),
        sealed: key.sealedSecret,
        expiresAt: key.expiresAt ? key.expiresAt.getTime() : null,
        remindersSent: key.remindersSent,
        expiryRecorded: key.expiryRecorded ? 1 : 0,
        at: at.getTime(),
        id: accountId,
        tokenHash,
      }) as SqlRow | undefined;
      if (row) {
        appendEvents([event]);
        return { outcome: 'completed', account: sqliteTime.fromRow(row) };
      }
      const current = findOne('id', accountId);
      return { outcome: whyClaimNotCompleted(current, tokenHash, at) };
    },
  );

  const remove = db.transaction(
    (accountId: string, expectedVersion: number, event: AccountEvent) => {
      const gone = statement(`DELETE FROM ${accounts} WHERE id = ? AND version = ?`).run(
        accountId,
        expectedVersion,
      );
      if (gone.changes === 0) {
        const exists = statement(`SELECT 1 FROM ${accounts} WHERE id = ?`).get(accountId);
        return { outcome: exists ? ('version_conflict' as const) : ('not_found' as const) };
      }
      statement(`DELETE FROM ${names.usage} WHERE account_id = ?`).run(accountId);
      statement(`DELETE FROM ${events} WHERE account_id = ?`).run(accountId);
      appendEvents([event]);
      return { outcome: 'deleted' as const };
    },
  );

  const addUsage = db.transaction((counts: readonly UsageCount[]) => {
    for (const count of counts) {
      const known = statement(
        `UPDATE ${accounts} SET last_used_at = CASE
           WHEN @last IS NOT NULL AND (last_used_at IS NULL OR last_used_at < @last) THEN @last
           ELSE last_used_at END
         WHERE id = @id RETURNING id`,
      ).get({ id: count.accountId, last: count.lastUsedAt?.getTime() ?? null });
      if (!known) continue;
      statement(
        `INSERT INTO ${names.usage} (account_id, day, accepted, refused) VALUES (@id, @day, @accepted, @refused)
         ON CONFLICT (account_id, day) DO UPDATE SET accepted = accepted + excluded.accepted,
           refused = refused + excluded.refused`,
      ).run({
        id: count.accountId,
        day: count.day,
        accepted: count.accepted,
        refused: count.refused,
      });
    }
  });

  // Other processes sharing the file write here too: their changes reach this
  // process's verification cache through the change feed, and sooner through this bus.
  const readChangesSince = async (position: string | null) =>
    readSqlFeed(position, {
      head: async () =>
        (statement(`SELECT coalesce(max(seq), 0) AS seq FROM ${events}`).get() as { seq: number })
          .seq,
      after: async (low, limit) =>
        statement(`SELECT seq, account_id FROM ${events} WHERE seq > ? ORDER BY seq LIMIT ?`).all(
          low,
          limit,
        ) as { seq: number; account_id: string }[],
    });

  return {
    invalidations: sqliteInvalidations(
      () => db.pragma('data_version', { simple: true }),
      readChangesSince,
    ),
    readChangesSince,

    async migrate() {
      if (closed) throw new Error('the SQLite account store is closed');
      const run = db.transaction(() => {
        db.exec(
          `CREATE TABLE IF NOT EXISTS ${names.migrations} (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)`,
        );
        const applied = new Set(
          (
            db.prepare(`SELECT version FROM ${names.migrations}`).all() as { version: number }[]
          ).map((r) => r.version),
        );
        for (const migration of sqliteMigrations(names)) {
          if (applied.has(migration.version)) continue;
          db.exec(migration.sql);
          db.prepare(`INSERT INTO ${names.migrations} (version, applied_at) VALUES (?, ?)`).run(
            migration.version,
            Date.now(),
          );
        }
      });
      // IMMEDIATE takes the write lock first, so two processes migrating at once run one after the other.
      run.immediate();
    },

    async close() {
      closed = true;
      statements.clear();
    },

    async insertAccount(record, list): Promise<InsertAccountOutcome> {
      try {
        insert(record, list);
        return { outcome: 'inserted' };
      } catch (error) {
        const taken = uniqueViolationOf(error);
        if (taken) return { outcome: taken };
        throw error;
      }
    },

    async findAccountById(id, tenants) {
      if (!tenants) return findOne('id', id);
      const row = statement(findInTenantsSql).get(id, JSON.stringify(tenants)) as
        | SqlRow
        | undefined;
      return row ? sqliteTime.fromRow(row) : null;
    },

    async findKeyHolder(keyHash, tenant) {
      const row = (
        tenant === undefined
          ? (statement(findKeyHolderSql.current).get(keyHash) ??
            statement(findKeyHolderSql.previous).get(keyHash))
          : (statement(findKeyHolderSql.currentIn).get(keyHash, tenant) ??
            statement(findKeyHolderSql.previousIn).get(keyHash, tenant))
      ) as KeyHolderRow<number> | undefined;
      return row ? sqliteTime.keyHolderFromRow(row, keyHash) : null;
    },

    async findSigner(tenant, usernameKey) {
      const row = statement(findSignerSql).get(tenant, usernameKey) as
        | SignerRow<number>
        | undefined;
      return row && row.id !== null ? sqliteTime.signerFromRow(row) : null;
    },

    async findAccountByClaimToken(tokenHash) {
      return findOne('claim_token_hash', tokenHash);
    },

    async listAccounts(query) {
      const { sql, params } = sqliteList((dialect) => listSql(accounts, query, dialect));
      return (statement(sql).all(...params) as SqlRow[]).map(sqliteTime.fromRow);
    },

    async countAccounts({ filter, now }) {
      const { sql, params } = sqliteList(
        (dialect) =>
          `SELECT count(*) AS n FROM ${accounts} WHERE ${filterSql(filter, now, dialect)}`,
      );
      return Number((statement(sql).get(...params) as { n: number }).n);
    },

    async listDueAccounts({ keysExpiringBy, previousEndingBy, limit, after }) {
      const rows = statement(
        // Two index searches joined by id, not an OR: without statistics (no ANALYZE yet)
        // SQLite would answer the OR by scanning every account in id order.
        `SELECT * FROM ${accounts}
         WHERE id IN (
           SELECT id FROM ${accounts} WHERE key_expires_at <= @keysBy AND key_expiry_recorded = 0
           UNION ALL
           SELECT id FROM ${accounts} WHERE prev_key_ends_at <= @previousBy
         ) AND (@after IS NULL OR id > @after)
         ORDER BY id LIMIT @limit`,
      ).all({
        keysBy: keysExpiringBy.getTime(),
        previousBy: previousEndingBy.getTime(),
        after,
        limit,
      }) as SqlRow[];
      return rows.map(sqliteTime.fromRow);
    },

    async applyAccountChange(change) {
      try {
        return apply(change);
      } catch (error) {
        const taken = uniqueViolationOf(error);
        if (taken) return { outcome: taken };
        throw error;
      }
    },

    async recordFailedClaimAttempt(accountId, tokenHash, event) {
      return failAttempt(accountId, tokenHash, event);
    },

    async completeClaim(accountId, tokenHash, key, at, event) {
      return complete(accountId, tokenHash, key, at, event);
    },

    async deleteAccount(accountId, expectedVersion, event) {
      return remove(accountId, expectedVersion, event);
    },

    async recordUsage(counts) {
      addUsage(counts);
    },

    async readUsage(accountId, fromDay, toDay) {
      return statement(
        `SELECT day, accepted, refused FROM ${names.usage}
         WHERE account_id = ? AND day >= ? AND day <= ? ORDER BY day`,
      ).all(accountId, fromDay, toDay) as { day: string; accepted: number; refused: number }[];
    },

    async listEvents(accountId, tenants) {
      const rows = statement(
        `SELECT account_id, tenant, type, actor_id, at, fields, until, changes, leak FROM ${events}
         WHERE account_id = ? AND (? IS NULL OR tenant IN (SELECT value FROM json_each(?))) ORDER BY seq`,
      ).all(
        accountId,
        ...Array(2).fill(tenants ? JSON.stringify(tenants) : null),
      ) as EventRow<number>[];
      return rows.map(sqliteTime.eventFromRow);
    },
  };
}
