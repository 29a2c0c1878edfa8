import type { TableNames } from '../sql/table-names.js';

/**
 * The SQLite schema as numbered migrations. Times are stored as integer
 * milliseconds since the epoch; uniqueness (username key, email, key hash,
 * claim token hash) is enforced by unique indexes, so it holds across
 * processes sharing the file.
 */
export function sqliteMigrations(names: TableNames): readonly { version: number; sql: string }[] {
  const p = names.prefix;
  const rebuilt = `"${p}api_accounts_rebuilt"`;
  const copied = COLUMNS_BEFORE_TENANTS;
  return [
    {
      version: 1,
      sql: `
        CREATE TABLE ${names.accounts} (
          id TEXT PRIMARY KEY,
          username TEXT NOT NULL,
          username_key TEXT NOT NULL UNIQUE,
          email TEXT NOT NULL UNIQUE,
          phone TEXT NOT NULL,
          active INTEGER NOT NULL CHECK (active IN (0, 1)),
          version INTEGER NOT NULL,
          created_at INTEGER NOT NULL,
          updated_at INTEGER NOT NULL,
          key_hash TEXT UNIQUE,
          key_issued_at INTEGER,
          key_sealed_secret TEXT,
          claim_token_hash TEXT UNIQUE,
          claim_code_hash TEXT,
          claim_opened_at INTEGER,
          claim_expires_at INTEGER,
          claim_attempts INTEGER,
          claim_max_attempts INTEGER,
          CHECK (claim_attempts IS NULL OR claim_attempts <= claim_max_attempts)
        );
        CREATE INDEX "${p}api_accounts_created_at_id" ON ${names.accounts} (created_at, id);
        CREATE TABLE ${names.events} (
          seq INTEGER PRIMARY KEY AUTOINCREMENT,
          account_id TEXT NOT NULL,
          type TEXT NOT NULL,
          actor_id TEXT,
          at INTEGER NOT NULL,
          fields TEXT
        );
        CREATE INDEX "${p}api_account_events_account_seq" ON ${names.events} (account_id, seq);
      `,
    },
    {
      // Key lifecycle: expiry, reminders, a rotation's previous key, usage. Columns are only added
      // (SQLite cannot add a UNIQUE column, so its uniqueness is an index); no row is rewritten.
      version: 2,
      sql: `
        ALTER TABLE ${names.accounts} ADD COLUMN key_expires_at INTEGER;
        ALTER TABLE ${names.accounts} ADD COLUMN key_reminders_sent INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE ${names.accounts} ADD COLUMN key_expiry_recorded INTEGER NOT NULL DEFAULT 0
          CHECK (key_expiry_recorded IN (0, 1));
        ALTER TABLE ${names.accounts} ADD COLUMN prev_key_hash TEXT;
        ALTER TABLE ${names.accounts} ADD COLUMN prev_key_sealed_secret TEXT;
        ALTER TABLE ${names.accounts} ADD COLUMN prev_key_superseded_at INTEGER;
        ALTER TABLE ${names.accounts} ADD COLUMN prev_key_ends_at INTEGER;
        ALTER TABLE ${names.accounts} ADD COLUMN prev_key_grace_ms INTEGER;
        CREATE UNIQUE INDEX "${p}api_accounts_prev_key_hash" ON ${names.accounts} (prev_key_hash);
        CREATE INDEX "${p}api_accounts_key_expires_at" ON ${names.accounts} (key_expires_at)
          WHERE key_expires_at IS NOT NULL;
        CREATE INDEX "${p}api_accounts_prev_key_ends_at" ON ${names.accounts} (prev_key_ends_at)
          WHERE prev_key_ends_at IS NOT NULL;
        ALTER TABLE ${names.events} ADD COLUMN until INTEGER;
        ALTER TABLE ${names.accounts} ADD COLUMN last_used_at INTEGER;
        -- A column, not an expression index: SQLite seeks a row value (key, id) > (?, ?) only on
        -- columns, and never-used accounts (all one key) would otherwise be read from the start.
        ALTER TABLE ${names.accounts} ADD COLUMN last_used_key INTEGER
          GENERATED ALWAYS AS (coalesce(last_used_at, -9007199254740991)) VIRTUAL;
        CREATE INDEX "${p}api_accounts_last_used_id" ON ${names.accounts} (last_used_key, id);
        CREATE TABLE ${names.usage} (
          account_id TEXT NOT NULL,
          day TEXT NOT NULL,
          accepted INTEGER NOT NULL,
          refused INTEGER NOT NULL,
          PRIMARY KEY (account_id, day)
        ) WITHOUT ROWID;
      `,
    },
    {
      // Access policy: scopes (NULL: never set, every declared scope), allowed addresses, a rate
      // limit of its own. Added with constant defaults, so existing rows keep working as before.
      version: 3,
      sql: `
        ALTER TABLE ${names.accounts} ADD COLUMN scopes TEXT;
        ALTER TABLE ${names.accounts} ADD COLUMN allowed_ips TEXT NOT NULL DEFAULT '[]';
        ALTER TABLE ${names.accounts} ADD COLUMN rate_limit INTEGER;
        ALTER TABLE ${names.accounts} ADD COLUMN rate_window_ms INTEGER;
        ALTER TABLE ${names.events} ADD COLUMN changes TEXT;
      `,
    },
    {
      // Tenants: every existing account and event moves into 'default'. Usernames and emails
      // become unique per tenant; SQLite cannot drop a column's UNIQUE, so the accounts table is
      // rebuilt (create, copy, drop, rename, in this one transaction), keeping every row and index.
      version: 4,
      sql: `
        CREATE TABLE ${rebuilt} (
          id TEXT PRIMARY KEY,
          tenant TEXT NOT NULL DEFAULT 'default',
          username TEXT NOT NULL,
          username_key TEXT NOT NULL,
          email TEXT NOT NULL,
          phone TEXT NOT NULL,
          active INTEGER NOT NULL CHECK (active IN (0, 1)),
          version INTEGER NOT NULL,
          created_at INTEGER NOT NULL,
          updated_at INTEGER NOT NULL,
          key_hash TEXT UNIQUE,
          key_issued_at INTEGER,
          key_sealed_secret TEXT,
          claim_token_hash TEXT UNIQUE,
          claim_code_hash TEXT,
          claim_opened_at INTEGER,
          claim_expires_at INTEGER,
          claim_attempts INTEGER,
          claim_max_attempts INTEGER,
          key_expires_at INTEGER,
          key_reminders_sent INTEGER NOT NULL DEFAULT 0,
          key_expiry_recorded INTEGER NOT NULL DEFAULT 0 CHECK (key_expiry_recorded IN (0, 1)),
          prev_key_hash TEXT,
          prev_key_sealed_secret TEXT,
          prev_key_superseded_at INTEGER,
          prev_key_ends_at INTEGER,
          prev_key_grace_ms INTEGER,
          last_used_at INTEGER,
          last_used_key INTEGER GENERATED ALWAYS AS (coalesce(last_used_at, -9007199254740991)) VIRTUAL,
          scopes TEXT,
          allowed_ips TEXT NOT NULL DEFAULT '[]',
          rate_limit INTEGER,
          rate_window_ms INTEGER,
          UNIQUE (tenant, username_key),
          UNIQUE (tenant, email),
          CHECK (claim_attempts IS NULL OR claim_attempts <= claim_max_attempts)
        );
        INSERT INTO ${rebuilt} (${copied}, tenant) SELECT ${copied}, 'default' FROM ${names.accounts};
        DROP TABLE ${names.accounts};
        ALTER TABLE ${rebuilt} RENAME TO "${p}api_accounts";
        CREATE INDEX "${p}api_accounts_created_at_id" ON ${names.accounts} (created_at, id);
        CREATE UNIQUE INDEX "${p}api_accounts_prev_key_hash" ON ${names.accounts} (prev_key_hash);
        CREATE INDEX "${p}api_accounts_key_expires_at" ON ${names.accounts} (key_expires_at)
          WHERE key_expires_at IS NOT NULL;
        CREATE INDEX "${p}api_accounts_prev_key_ends_at" ON ${names.accounts} (prev_key_ends_at)
          WHERE prev_key_ends_at IS NOT NULL;
        CREATE INDEX "${p}api_accounts_last_used_id" ON ${names.accounts} (last_used_key, id);
        -- A tenant's pages, one index seek each whatever the other tenants hold.
        CREATE INDEX "${p}api_accounts_tenant_created_at_id" ON ${names.accounts} (tenant, created_at, id);
        CREATE INDEX "${p}api_accounts_tenant_last_used_id" ON ${names.accounts} (tenant, last_used_key, id);
        CREATE INDEX "${p}api_accounts_username_key_id" ON ${names.accounts} (username_key, id);
        -- Searching every tenant by email prefix, as the old unique index on email served it.
        CREATE INDEX "${p}api_accounts_email" ON ${names.accounts} (email);
        ALTER TABLE ${names.events} ADD COLUMN tenant TEXT NOT NULL DEFAULT 'default';
        ALTER TABLE ${names.events} ADD COLUMN leak TEXT;
      `,
    },
    {
      // Quotas: a limit per UTC day or month of the account's own (both NULL: the manager's default).
      version: 5,
      sql: `
        ALTER TABLE ${names.accounts} ADD COLUMN quota_limit INTEGER;
        ALTER TABLE ${names.accounts} ADD COLUMN quota_period TEXT;
      `,
    },
  ];
}

/** Every column of the accounts table before migration 4 (the generated one aside), as it copies them. */
const COLUMNS_BEFORE_TENANTS = [
  'id',
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
  'claim_token_hash',
  'claim_code_hash',
  'claim_opened_at',
  'claim_expires_at',
  'claim_attempts',
  'claim_max_attempts',
  'key_expires_at',
  'key_reminders_sent',
  'key_expiry_recorded',
  'prev_key_hash',
  'prev_key_sealed_secret',
  'prev_key_superseded_at',
  'prev_key_ends_at',
  'prev_key_grace_ms',
  'last_used_at',
  'scopes',
  'allowed_ips',
  'rate_limit',
  'rate_window_ms',
].join(', ');
