import type {
  AccountAccess,
  AccountEvent,
  AccountRecord,
  KeyHolder,
  Signer,
} from '../../ports/account-store.js';

/** The columns of an account's open claim, all `NULL` when it has none. */
export const CLAIM_COLUMNS = [
  'claim_token_hash',
  'claim_code_hash',
  'claim_opened_at',
  'claim_expires_at',
  'claim_attempts',
  'claim_max_attempts',
] as const;

/** The columns of the key a rotation superseded, all `NULL` when there is none (migration 2). */
export const PREVIOUS_KEY_COLUMNS = [
  'prev_key_hash',
  'prev_key_sealed_secret',
  'prev_key_superseded_at',
  'prev_key_ends_at',
  'prev_key_grace_ms',
] as const;

/**
 * The columns of an account's access policy (migrations 3 and 5): scopes and
 * allowed addresses as JSON lists (scopes `NULL` when never set), the rate
 * limit and the quota as two columns each (both `NULL`: the manager's default).
 */
export const ACCESS_COLUMNS = [
  'scopes',
  'allowed_ips',
  'rate_limit',
  'rate_window_ms',
  'quota_limit',
  'quota_period',
] as const;

/**
 * The columns of the accounts table, in the order the stores write them. One
 * flat row per account: its key and its open claim live beside it, so every
 * change is a single-row update the database can make atomic.
 */
export const ACCOUNT_COLUMNS = [
  'id',
  'tenant',
  'username',
  'username_key',
  'email',
  'phone',
  'active',
  'version',
  'created_at',
  'updated_at',
  'key_hash',
  'key_issued_at',
  'key_sealed_secret',
  'key_expires_at',
  'key_reminders_sent',
  'key_expiry_recorded',
  ...PREVIOUS_KEY_COLUMNS,
  ...CLAIM_COLUMNS,
  'last_used_at',
  ...ACCESS_COLUMNS,
] as const;

/** A row of the accounts table, with timestamps in the dialect's own form. */
export type AccountRow<Time> = {
  id: string;
  tenant: string;
  username: string;
  username_key: string;
  email: string;
  phone: string;
  active: boolean | number;
  version: number;
  created_at: Time;
  updated_at: Time;
  key_hash: string | null;
  key_issued_at: Time | null;
  key_sealed_secret: string | null;
  key_expires_at: Time | null;
  key_reminders_sent: number;
  key_expiry_recorded: boolean | number;
  prev_key_hash: string | null;
  prev_key_sealed_secret: string | null;
  prev_key_superseded_at: Time | null;
  prev_key_ends_at: Time | null;
  prev_key_grace_ms: number | string | null;
  claim_token_hash: string | null;
  claim_code_hash: string | null;
  claim_opened_at: Time | null;
  claim_expires_at: Time | null;
  claim_attempts: number | null;
  claim_max_attempts: number | null;
  last_used_at: Time | null;
} & AccessRow;

/** The access columns as a row holds them: JSON as text (SQLite) or parsed (PostgreSQL's jsonb). */
type AccessRow = {
  scopes: string | readonly string[] | null;
  allowed_ips: string | readonly string[];
  rate_limit: number | string | null;
  rate_window_ms: number | string | null;
  quota_limit: number | string | null;
  quota_period: string | null;
};

/**
 * The columns verification reads: as few as it needs, on the hot path. Both
 * key hashes come back, and the row's own comparison says which one matched.
 */
export const KEY_HOLDER_COLUMNS =
  'id, tenant, username, active, key_hash, key_expires_at, prev_key_hash, prev_key_superseded_at, prev_key_ends_at, scopes, allowed_ips, rate_limit, rate_window_ms, quota_limit, quota_period';

/** A row of {@link KEY_HOLDER_COLUMNS}. */
export type KeyHolderRow<Time> = {
  id: string;
  tenant: string;
  username: string;
  active: boolean | number;
  key_hash: string | null;
  key_expires_at: Time | null;
  prev_key_hash: string | null;
  prev_key_superseded_at: Time | null;
  prev_key_ends_at: Time | null;
} & AccessRow;

/** The columns a signed request's verifier reads. */
export const SIGNER_COLUMNS = `${KEY_HOLDER_COLUMNS}, key_sealed_secret, prev_key_sealed_secret`;

/**
 * The signer of a username: always one row, of nulls when no account has
 * it, so that an unknown username costs what a known one does (a plain
 * `WHERE` answered a miss ten times faster than a hit, and a signed request's
 * timing told who exists). The parameters are the dialect's placeholders.
 */
export function signerLookupSql(
  accounts: string,
  tenantParameter: string,
  usernameParameter: string,
): string {
  const columns = SIGNER_COLUMNS.split(', ')
    .map((column) => `a.${column}`)
    .join(', ');
  return `SELECT ${columns} FROM (SELECT ${tenantParameter} AS t, ${usernameParameter} AS k) AS q LEFT JOIN ${accounts} AS a ON a.tenant = q.t AND a.username_key = q.k`;
}

/** A row of {@link SIGNER_COLUMNS}. */
export type SignerRow<Time> = KeyHolderRow<Time> & {
  key_sealed_secret: string | null;
  prev_key_sealed_secret: string | null;
};

/** A row of the events table. */
export type EventRow<Time> = {
  type: string;
  account_id: string;
  tenant: string;
  actor_id: string | null;
  at: Time;
  fields: string | readonly string[] | null;
  until: Time | null;
  changes: string | AccountEvent['changes'] | null;
  leak: string | AccountEvent['leak'] | null;
};

/**
 * Converts between records and rows for one dialect's way of storing time.
 */
export function rowCodec<Time>(time: { toTime(date: Date): Time; fromTime(value: Time): Date }) {
  const toDate = (value: Time) => time.fromTime(value);
  const maybe = (value: Time | null) => (value === null ? null : toDate(value));
  const invalid = () => new Date(Number.NaN);
  return {
    toRow(record: AccountRecord): AccountRow<Time> {
      const { key, previousKey, claim } = record;
      return {
        id: record.id,
        tenant: record.tenant,
        username: record.username,
        username_key: record.usernameKey,
        email: record.email,
        phone: record.phone,
        active: record.active,
        version: record.version,
        created_at: time.toTime(record.createdAt),
        updated_at: time.toTime(record.updatedAt),
        key_hash: key?.hash ?? null,
        key_issued_at: key ? time.toTime(key.issuedAt) : null,
        key_sealed_secret: key?.sealedSecret ?? null,
        key_expires_at: key?.expiresAt ? time.toTime(key.expiresAt) : null,
        key_reminders_sent: key?.remindersSent ?? 0,
        key_expiry_recorded: key?.expiryRecorded ?? false,
        prev_key_hash: previousKey?.hash ?? null,
        prev_key_sealed_secret: previousKey?.sealedSecret ?? null,
        prev_key_superseded_at: previousKey ? time.toTime(previousKey.supersededAt) : null,
        prev_key_ends_at: previousKey ? time.toTime(previousKey.endsAt) : null,
        prev_key_grace_ms: previousKey?.graceAfterClaimMs ?? null,
        claim_token_hash: claim?.tokenHash ?? null,
        claim_code_hash: claim?.codeHash ?? null,
        claim_opened_at: claim ? time.toTime(claim.openedAt) : null,
        claim_expires_at: claim ? time.toTime(claim.expiresAt) : null,
        claim_attempts: claim?.attempts ?? null,
        claim_max_attempts: claim?.maxAttempts ?? null,
        last_used_at: record.lastUsedAt ? time.toTime(record.lastUsedAt) : null,
        scopes: record.access.scopes === null ? null : JSON.stringify(record.access.scopes),
        allowed_ips: JSON.stringify(record.access.allowedIps),
        rate_limit: record.access.rateLimit?.limit ?? null,
        rate_window_ms: record.access.rateLimit?.windowMs ?? null,
        quota_limit: record.access.quota?.limit ?? null,
        quota_period: record.access.quota?.period ?? null,
      };
    },

    fromRow(row: AccountRow<Time>): AccountRecord {
      return {
        id: row.id,
        tenant: row.tenant,
        username: row.username,
        usernameKey: row.username_key,
        email: row.email,
        phone: row.phone,
        active: Boolean(row.active),
        version: Number(row.version),
        createdAt: toDate(row.created_at),
        updatedAt: toDate(row.updated_at),
        key:
          row.key_hash === null
            ? null
            : {
                hash: row.key_hash,
                issuedAt: maybe(row.key_issued_at) ?? invalid(),
                sealedSecret: row.key_sealed_secret,
                expiresAt: maybe(row.key_expires_at),
                remindersSent: Number(row.key_reminders_sent ?? 0),
                expiryRecorded: Boolean(row.key_expiry_recorded),
              },
        previousKey:
          row.prev_key_hash === null
            ? null
            : {
                hash: row.prev_key_hash,
                sealedSecret: row.prev_key_sealed_secret,
                supersededAt: maybe(row.prev_key_superseded_at) ?? invalid(),
                endsAt: maybe(row.prev_key_ends_at) ?? invalid(),
                graceAfterClaimMs:
                  row.prev_key_grace_ms === null ? null : Number(row.prev_key_grace_ms),
              },
        claim:
          row.claim_token_hash === null
            ? null
            : {
                tokenHash: row.claim_token_hash,
                codeHash: row.claim_code_hash ?? '',
                openedAt: maybe(row.claim_opened_at) ?? invalid(),
                expiresAt: maybe(row.claim_expires_at) ?? invalid(),
                attempts: Number(row.claim_attempts),
                maxAttempts: Number(row.claim_max_attempts),
              },
        lastUsedAt: maybe(row.last_used_at ?? null),
        access: accessFromRow(row),
      };
    },

    /**
     * The holder of `keyHash` as the port sees it, from a row found by
     * either hash; `null` when neither column holds it (a loose driver).
     */
    keyHolderFromRow(row: KeyHolderRow<Time>, keyHash: string): KeyHolder | null {
      // Literals with every field, not spreads: every holder then shares one shape.
      const current = row.key_hash === keyHash;
      if (!current && row.prev_key_hash !== keyHash) return null;
      return {
        accountId: row.id,
        tenant: row.tenant,
        username: row.username,
        active: Boolean(row.active),
        keyHash,
        keyState: current ? 'current' : 'previous',
        expiresAt: current ? maybe(row.key_expires_at) : (maybe(row.prev_key_ends_at) ?? invalid()),
        supersededAt: current ? null : (maybe(row.prev_key_superseded_at) ?? invalid()),
        access: accessFromRow(row),
      };
    },

    signerFromRow(row: SignerRow<Time>): Signer {
      return {
        accountId: row.id,
        tenant: row.tenant,
        username: row.username,
        active: Boolean(row.active),
        keyHash: row.key_hash,
        sealedSecret: row.key_sealed_secret,
        keyExpiresAt: maybe(row.key_expires_at),
        previous:
          row.prev_key_hash === null
            ? null
            : {
                keyHash: row.prev_key_hash,
                sealedSecret: row.prev_key_sealed_secret,
                supersededAt: maybe(row.prev_key_superseded_at) ?? invalid(),
                endsAt: maybe(row.prev_key_ends_at) ?? invalid(),
              },
        access: accessFromRow(row),
      };
    },

    eventFromRow(row: EventRow<Time>): AccountEvent {
      const fields =
        typeof row.fields === 'string' ? (JSON.parse(row.fields) as string[]) : row.fields;
      return {
        type: row.type as AccountEvent['type'],
        accountId: row.account_id,
        tenant: row.tenant,
        actorId: row.actor_id,
        at: toDate(row.at),
        ...(fields ? { fields: fields as NonNullable<AccountEvent['fields']> } : {}),
        ...(row.until !== null && row.until !== undefined ? { until: toDate(row.until) } : {}),
        ...(row.changes ? { changes: fromJson(row.changes) } : {}),
        ...(row.leak ? { leak: fromJson(row.leak) } : {}),
      };
    },
  };
}

/** A JSON column's value: text from SQLite, already parsed from PostgreSQL's jsonb. */
function fromJson<T>(value: string | T): T {
  return typeof value === 'string' ? (JSON.parse(value) as T) : value;
}

/**
 * An account's access from its columns. A list that is not a list of text
 * (a row edited by hand) reads as a list no address or scope matches: never
 * as "anywhere" or "everything".
 */
function accessFromRow(row: AccessRow): AccountAccess {
  const list = (value: string | readonly string[]): readonly string[] => {
    const parsed: unknown = fromJson(value);
    return Array.isArray(parsed) && parsed.every((item) => typeof item === 'string')
      ? parsed
      : ['(unreadable)'];
  };
  return {
    scopes: row.scopes === null ? null : list(row.scopes),
    allowedIps: list(row.allowed_ips ?? '[]'),
    rateLimit:
      row.rate_limit === null || row.rate_window_ms === null
        ? null
        : { limit: Number(row.rate_limit), windowMs: Number(row.rate_window_ms) },
    // An unreadable period (a row edited by hand) reads as the stricter one, a month.
    quota:
      row.quota_limit === null
        ? null
        : { limit: Number(row.quota_limit), period: row.quota_period === 'day' ? 'day' : 'month' },
  };
}

/**
 * Which uniqueness a constraint violation broke, read from the constraint or
 * column name in the driver's error; `null` when it was not ours to map.
 */
export function uniqueViolationOf(error: unknown): 'username_taken' | 'email_taken' | null {
  if (typeof error !== 'object' || error === null) return null;
  const { code, constraint, message } = error as {
    code?: unknown;
    constraint?: unknown;
    message?: unknown;
  };
  const unique =
    code === '23505' ||
    code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
  if (!unique) return null;
  const where = `${String(constraint ?? '')} ${String(message ?? '')}`;
  // PostgreSQL names the constraint; SQLite names the column ("UNIQUE constraint failed: t.email").
  if (/(_username_key_unique|\.username_key)\b/.test(where)) return 'username_taken';
  if (/(_email_unique|\.email)\b/.test(where)) return 'email_taken';
  return null;
}
