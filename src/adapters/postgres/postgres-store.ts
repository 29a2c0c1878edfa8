import { createHash } from 'node:crypto';
import type {
  AccountChange,
  AccountEvent,
  AccountRecord,
  AccountStore,
  ApplyChangeOutcome,
  CompleteClaimOutcome,
  FailedAttemptOutcome,
  InsertAccountOutcome,
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
import type { PgPool, PgQueryResult } from './postgres-client.js';
import {
  invalidationChannel,
  type ListenFunction,
  postgresInvalidations,
} from './postgres-invalidations.js';
import { runPostgresMigrations } from './postgres-migrate.js';

/**
 * Options of {@link postgresStore}.
 *
 * @example
 * ```ts
 * postgresStore(pool, { schema: 'box_office', tablePrefix: 'api_' });
 * ```
 */
export interface PostgresStoreOptions extends TableOptions {
  /**
   * How to `LISTEN` on a channel, for clients whose connections do not emit
   * `notification` events like `pg` does (PGlite, postgres.js). Without it the
   * store listens on a connection from `connect()`; with neither, it has no
   * invalidation bus.
   */
  readonly listen?: ListenFunction;
  /**
   * Run the verification lookups as named prepared statements (`{ name,
   * text, values }`), which PostgreSQL parses and plans once per connection
   * instead of on every call. Default: on for a node-postgres `Pool` or
   * `Client`, which take that form; off for other clients, which get `(text,
   * values)` (postgres.js prepares by itself; see the README).
   */
  readonly preparedStatements?: boolean;
}

/**
 * An {@link AccountStore} in PostgreSQL, with schema management and the
 * invalidation bus that keeps every instance's verification cache honest.
 *
 * @example
 * ```ts
 * const store = postgresStore(pool);
 * await store.migrate();
 * ```
 */
export interface PostgresAccountStore extends AccountStore {
  /** `LISTEN/NOTIFY` between the instances sharing the database. */
  readonly invalidations?: InvalidationBus;
  /**
   * Creates or upgrades the tables (and the schema, if one is configured).
   * Idempotent; safe when several instances start at once: with a pool it runs
   * in one transaction under an advisory lock.
   */
  migrate(): Promise<void>;
  /** Releases what the store holds (its listening connection). The pool stays the host's. */
  close(): Promise<void>;
}

const pgTime = rowCodec<Date>({ toTime: (date) => date, fromTime: (value) => new Date(value) });
type PgRow = AccountRow<Date>;

/**
 * An {@link AccountStore} over PostgreSQL, for hosts that run several app
 * instances on one database. Takes anything with a `pg.Pool`-shaped `query`;
 * `pg` is an optional peer dependency.
 *
 * Every write is a single statement: an `INSERT` or a conditional `UPDATE`
 * with the event rows appended in the same statement (a data-modifying CTE), so
 * each write is atomic without a client-side transaction, and races are settled
 * by the database: unique constraints for usernames, emails, key and token
 * hashes; `WHERE version = …` for optimistic versions; `WHERE claim_attempts <
 * claim_max_attempts` for the attempt counter; `WHERE claim_token_hash = …` so
 * that one caller consumes a claim.
 *
 * @example
 * ```ts
 * import pg from 'pg';
 * import { postgresStore } from 'api-accounts/postgres';
 *
 * const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL });
 * const store = postgresStore(pool);
 * await store.migrate();
 * const manager = new ApiAccountManager({ ...ports, store, claimUrl, verifyCache: { ttlMs: 60_000 } });
 * ```
 */
export function postgresStore(
  pool: PgPool,
  options: PostgresStoreOptions = {},
): PostgresAccountStore {
  const names = tableNames(options);
  const { accounts, events } = names;
  const channel = invalidationChannel(names);
  const invalidations = postgresInvalidations(pool, channel, options.listen);
  let closed = false;

  const query = async <Row>(text: string, values: unknown[] = []): Promise<Row[]> => {
    if (closed) throw new Error('the PostgreSQL account store is closed');
    try {
      return (await pool.query<Row>(text, values)).rows;
    } catch (cause) {
      throw explainMissingSchema(cause);
    }
  };
  /**
   * A statement verification runs on every call: named, so that PostgreSQL
   * plans it once per connection (a plain query is parsed and planned each
   * time, which measured a third of a lookup's cost), where the client can.
   */
  const lookup = <Row>(text: string): ((...values: string[]) => Promise<Row[]>) => {
    if (!(options.preparedStatements ?? isNodePostgres(pool)))
      return (...values) => query(text, values);
    // The name is the text's digest: another schema or table prefix is another statement.
    const name = `api_accounts_${createHash('sha256').update(text).digest('hex').slice(0, 24)}`;
    const run = pool.query as unknown as (config: {
      name: string;
      text: string;
      values: unknown[];
    }) => Promise<PgQueryResult<Row>>;
    return async (...values) => {
      if (closed) throw new Error('the PostgreSQL account store is closed');
      try {
        return (await run.call(pool, { name, text, values })).rows;
      } catch (cause) {
        throw explainMissingSchema(cause);
      }
    };
  };
  /** Appends `eventsParam` (a JSON array) for the rows of CTE `source`, keeping their order. */
  const appendEventsFrom = (source: string, eventsParam: string) =>
    `INSERT INTO ${events} (account_id, tenant, type, actor_id, at, fields, until, changes, leak)
     SELECT ${source}.id, e.doc->>'tenant', e.doc->>'type', e.doc->>'actor_id', (e.doc->>'at')::timestamptz,
       NULLIF(e.doc->'fields', 'null'::jsonb), (e.doc->>'until')::timestamptz,
       NULLIF(e.doc->'changes', 'null'::jsonb), NULLIF(e.doc->'leak', 'null'::jsonb)
     FROM ${source}, jsonb_array_elements(${eventsParam}::text::jsonb) WITH ORDINALITY AS e(doc, ord)
     ORDER BY e.ord`;
  // The current key first, the previous one only when that finds nothing (LIMIT 1 stops the append).
  const findKeyHolderSql = `(SELECT ${KEY_HOLDER_COLUMNS} FROM ${accounts} WHERE key_hash = $1)
    UNION ALL (SELECT ${KEY_HOLDER_COLUMNS} FROM ${accounts} WHERE prev_key_hash = $1) LIMIT 1`;
  const findKeyHolderRows = lookup<KeyHolderRow<Date>>(findKeyHolderSql);
  // Another tenant's key misses in the statement itself, as an unknown key does.
  const findKeyHolderInRows = lookup<KeyHolderRow<Date>>(
    `(SELECT ${KEY_HOLDER_COLUMNS} FROM ${accounts} WHERE key_hash = $1 AND tenant = $2)
    UNION ALL (SELECT ${KEY_HOLDER_COLUMNS} FROM ${accounts} WHERE prev_key_hash = $1 AND tenant = $2) LIMIT 1`,
  );
  const findSignerRows = lookup<SignerRow<Date>>(signerLookupSql(accounts, '$1::text', '$2::text'));
  const findOne = async (column: string, value: string): Promise<AccountRecord | null> => {
    const [row] = await query<PgRow>(`SELECT * FROM ${accounts} WHERE ${column} = $1`, [value]);
    return row ? pgTime.fromRow(row) : null;
  };
  // Another tenant's account misses in the index condition itself, as a missing one does.
  const findInTenants = async (id: string, tenants: readonly string[]) => {
    const [row] = await query<PgRow>(
      `SELECT * FROM ${accounts} WHERE id = $1 AND tenant = ANY($2::text[])`,
      [id, tenants],
    );
    return row ? pgTime.fromRow(row) : null;
  };
  const orUniqueViolation = async <T>(
    write: () => Promise<T>,
  ): Promise<T | { outcome: 'username_taken' | 'email_taken' }> => {
    try {
      return await write();
    } catch (error) {
      const taken = uniqueViolationOf(error);
      if (taken) return { outcome: taken };
      throw error;
    }
  };

  return {
    ...(invalidations ? { invalidations: invalidations.bus } : {}),

    async migrate() {
      if (closed) throw new Error('the PostgreSQL account store is closed');
      await runPostgresMigrations(pool, names, options.schema);
    },

    async close() {
      closed = true;
      await invalidations?.close();
    },

    async insertAccount(record, list): Promise<InsertAccountOutcome> {
      const row = pgTime.toRow(record);
      const values = [...ACCOUNT_COLUMNS.map((column) => row[column]), eventsJson(list)];
      const placeholders = ACCOUNT_COLUMNS.map((_, i) => `$${i + 1}`).join(', ');
      return orUniqueViolation(async () => {
        // NOTIFY in the write's own statement: sent if and only if it commits.
        await query(
          `WITH inserted AS (
             INSERT INTO ${accounts} (${ACCOUNT_COLUMNS.join(', ')}) VALUES (${placeholders}) RETURNING id
           ), appended AS (
             ${appendEventsFrom('inserted', `$${values.length}`)}
           )
           SELECT pg_notify($${values.length + 1}, ${notified('id')}) FROM inserted`,
          [...values, channel],
        );
        return { outcome: 'inserted' as const };
      });
    },

    findAccountById: (id, tenants) => (tenants ? findInTenants(id, tenants) : findOne('id', id)),
    async findKeyHolder(keyHash, tenant) {
      const [row] = await (tenant === undefined
        ? findKeyHolderRows(keyHash)
        : findKeyHolderInRows(keyHash, tenant));
      return row ? pgTime.keyHolderFromRow(row, keyHash) : null;
    },
    async findSigner(tenant, usernameKey) {
      const [row] = await findSignerRows(tenant, usernameKey);
      return row && row.id !== null ? pgTime.signerFromRow(row) : null;
    },

    findAccountByClaimToken: (tokenHash) => findOne('claim_token_hash', tokenHash),

    async listAccounts(listing) {
      const { sql, params } = postgresList((dialect) => listSql(accounts, listing, dialect));
      return (await query<PgRow>(sql, params)).map(pgTime.fromRow);
    },

    async countAccounts({ filter, now }) {
      const { sql, params } = postgresList(
        (dialect) =>
          `SELECT count(*) AS n FROM ${accounts} WHERE ${filterSql(filter, now, dialect)}`,
      );
      const [row] = await query<{ n: string }>(sql, params);
      return Number(row?.n ?? 0);
    },

    async listDueAccounts({ keysExpiringBy, previousEndingBy, limit, after }) {
      const rows = await query<PgRow>(
        `SELECT * FROM ${accounts}
         WHERE ((key_expires_at <= $1 AND NOT key_expiry_recorded) OR prev_key_ends_at <= $2)
           AND ($3::text IS NULL OR id > $3)
         ORDER BY id LIMIT $4`,
        [keysExpiringBy, previousEndingBy, after, limit],
      );
      return rows.map(pgTime.fromRow);
    },

    async applyAccountChange(change: AccountChange): Promise<ApplyChangeOutcome> {
      const columns = changeColumns(change, (date) => date);
      const values: unknown[] = [
        change.accountId,
        change.expectedVersion,
        ...columns.map(([, v]) => v),
        eventsJson(change.events),
      ];
      const sets = columns.map(([column], i) => `${column} = $${i + 3}`).join(', ');
      return orUniqueViolation(async () => {
        const [row] = await query<PgRow>(
          `WITH updated AS (
             UPDATE ${accounts} SET ${sets}, version = version + 1
             WHERE id = $1 AND version = $2 RETURNING *
           ), appended AS (
             ${appendEventsFrom('updated', `$${values.length}`)}
           )
           SELECT updated.*, pg_notify($${values.length + 1}, ${notified('updated.id')}) FROM updated`,
          [...values, channel],
        );
        if (row) return { outcome: 'applied' as const, account: pgTime.fromRow(row) };
        const exists = await query(`SELECT 1 FROM ${accounts} WHERE id = $1`, [change.accountId]);
        return {
          outcome: exists.length > 0 ? ('version_conflict' as const) : ('not_found' as const),
        };
      });
    },

    async recordFailedClaimAttempt(accountId, tokenHash, event): Promise<FailedAttemptOutcome> {
      const [row] = await query<{ claim_attempts: number; claim_max_attempts: number }>(
        `WITH updated AS (
           UPDATE ${accounts} SET claim_attempts = claim_attempts + 1
           WHERE id = $1 AND claim_token_hash = $2 AND claim_attempts < claim_max_attempts
           RETURNING id, claim_attempts, claim_max_attempts
         ), appended AS (
           ${appendEventsFrom('updated', '$3')}
         )
         SELECT claim_attempts, claim_max_attempts FROM updated`,
        [accountId, tokenHash, eventsJson([event])],
      );
      if (row)
        return {
          outcome: 'counted',
          attempts: row.claim_attempts,
          maxAttempts: row.claim_max_attempts,
        };
      const open = await query(
        `SELECT 1 FROM ${accounts} WHERE id = $1 AND claim_token_hash = $2`,
        [accountId, tokenHash],
      );
      return { outcome: open.length > 0 ? 'locked' : 'gone' };
    },

    async completeClaim(accountId, tokenHash, key, at, event): Promise<CompleteClaimOutcome> {
      const [row] = await query<PgRow>(
        `WITH updated AS (
           UPDATE ${accounts} SET key_hash = $3, key_issued_at = $4, key_sealed_secret = $5,
             key_expires_at = $9, key_reminders_sent = $10, key_expiry_recorded = $11,
             ${previousKeyGraceSql('$6::timestamptz', (ms) => `${ms} * interval '1 millisecond'`)},
             ${CLEARED_CLAIM_SQL}, version = version + 1, updated_at = $6
           WHERE id = $1 AND claim_token_hash = $2 AND claim_attempts < claim_max_attempts
             AND claim_expires_at > $6 AND active
           RETURNING *
         ), appended AS (
           ${appendEventsFrom('updated', '$7')}
         )
         SELECT updated.*, pg_notify($8, ${notified('updated.id')}) FROM updated`,
        [
          accountId,
          tokenHash,
          key.hash,
          key.issuedAt,
          key.sealedSecret,
          at,
          eventsJson([event]),
          channel,
          key.expiresAt,
          key.remindersSent,
          key.expiryRecorded,
        ],
      );
      if (row) return { outcome: 'completed', account: pgTime.fromRow(row) };
      return { outcome: whyClaimNotCompleted(await findOne('id', accountId), tokenHash, at) };
    },

    readChangesSince: (position) =>
      readSqlFeed(position, {
        head: async () => {
          const [row] = await query<{ seq: string | null }>(
            `SELECT max(seq) AS seq FROM ${events}`,
          );
          return Number(row?.seq ?? 0);
        },
        after: (low, limit) =>
          query<{ seq: string; account_id: string }>(
            `SELECT seq, account_id FROM ${events} WHERE seq > $1 ORDER BY seq LIMIT $2`,
            [low, limit],
          ),
      }),

    async deleteAccount(accountId, expectedVersion, event) {
      // One statement: the row, its usage and history go, the deletion is recorded and announced.
      const [row] = await query<{ id: string }>(
        `WITH deleted AS (
           DELETE FROM ${accounts} WHERE id = $1 AND version = $2 RETURNING id
         ), usage AS (
           DELETE FROM ${names.usage} WHERE account_id IN (SELECT id FROM deleted)
         ), history AS (
           DELETE FROM ${events} WHERE account_id IN (SELECT id FROM deleted)
         ), appended AS (
           ${appendEventsFrom('deleted', '$3')}
         )
         SELECT deleted.id, pg_notify($4, ${notified('deleted.id')}) FROM deleted`,
        [accountId, expectedVersion, eventsJson([event]), channel],
      );
      if (row) return { outcome: 'deleted' };
      const exists = await query(`SELECT 1 FROM ${accounts} WHERE id = $1`, [accountId]);
      return { outcome: exists.length > 0 ? 'version_conflict' : 'not_found' };
    },

    async recordUsage(counts) {
      if (counts.length === 0) return;
      // One statement: the counts as a JSON array, summed into the day totals of the
      // accounts that exist, and each account's last use moved forward.
      await query(
        `WITH batch AS (
           SELECT c.account_id, c.day::date AS day, c.accepted, c.refused, c.last_used_at::timestamptz AS last_used_at
           FROM jsonb_to_recordset($1::text::jsonb)
             AS c(account_id text, day text, accepted bigint, refused bigint, last_used_at text)
           JOIN ${accounts} a ON a.id = c.account_id
         ), added AS (
           INSERT INTO ${names.usage} AS u (account_id, day, accepted, refused)
           SELECT account_id, day, sum(accepted), sum(refused) FROM batch GROUP BY account_id, day
           ON CONFLICT (account_id, day) DO UPDATE SET accepted = u.accepted + excluded.accepted,
             refused = u.refused + excluded.refused
         )
         UPDATE ${accounts} a SET last_used_at = latest.at
         FROM (SELECT account_id, max(last_used_at) AS at FROM batch GROUP BY account_id) latest
         WHERE a.id = latest.account_id AND latest.at IS NOT NULL
           AND (a.last_used_at IS NULL OR a.last_used_at < latest.at)`,
        [
          JSON.stringify(
            counts.map((count) => ({
              account_id: count.accountId,
              day: count.day,
              accepted: count.accepted,
              refused: count.refused,
              last_used_at: count.lastUsedAt?.toISOString() ?? null,
            })),
          ),
        ],
      );
    },

    async readUsage(accountId, fromDay, toDay) {
      const rows = await query<{ day: string; accepted: string; refused: string }>(
        `SELECT to_char(day, 'YYYY-MM-DD') AS day, accepted, refused FROM ${names.usage}
         WHERE account_id = $1 AND day BETWEEN $2::date AND $3::date ORDER BY day`,
        [accountId, fromDay, toDay],
      );
      return rows.map((row) => ({
        day: row.day,
        accepted: Number(row.accepted),
        refused: Number(row.refused),
      }));
    },

    async listEvents(accountId, tenants) {
      const rows = await query<EventRow<Date>>(
        `SELECT account_id, tenant, type, actor_id, at, fields, until, changes, leak FROM ${events}
         WHERE account_id = $1 AND ($2::text[] IS NULL OR tenant = ANY($2::text[])) ORDER BY seq`,
        [accountId, tenants ?? null],
      );
      return rows.map(pgTime.eventFromRow);
    },
  };
}

/** The last-use sort key of an account never used: before any real use, first in the order. */
const NEVER_USED = new Date('0001-01-01T00:00:00.000Z');

/**
 * A listing statement in PostgreSQL's terms, with its parameters. A prefix is
 * a LIKE with its wildcards escaped, which the `text_pattern_ops` indexes serve.
 */
function postgresList(build: (dialect: ListDialect<Date>) => string): {
  sql: string;
  params: unknown[];
} {
  const params: unknown[] = [];
  const bind = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  const sql = build({
    bind,
    time: (date) => date,
    boolean: (value) => value,
    lastUsedKey: `coalesce(last_used_at, '0001-01-01 00:00:00+00'::timestamptz)`,
    // A real time, not '-infinity', which drivers that type parameters cannot turn into a Date.
    neverUsed: NEVER_USED,
    startsWith: (column, prefix) =>
      `${column} LIKE ${bind(`${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`)}`,
  });
  return { sql, params };
}

function eventsJson(list: readonly AccountEvent[]): string {
  return JSON.stringify(
    list.map((event) => ({
      tenant: event.tenant,
      type: event.type,
      actor_id: event.actorId,
      at: event.at.toISOString(),
      fields: event.fields ?? null,
      until: event.until?.toISOString() ?? null,
      changes: event.changes ?? null,
      leak: event.leak ?? null,
    })),
  );
}

/**
 * Whether the client is node-postgres (a `Pool` or a `Client`), whose `query`
 * takes a named statement as `{ name, text, values }`.
 */
function isNodePostgres(pool: PgPool): boolean {
  return ('totalCount' in pool && 'idleCount' in pool) || 'connectionParameters' in pool;
}

/**
 * The payload of a change's notification: the account id and, by the
 * database's clock, when the statement ran (`invalidationMessage`'s format).
 */
function notified(id: string): string {
  return `${id} || ' ' || floor(extract(epoch from statement_timestamp()) * 1000)::bigint`;
}
