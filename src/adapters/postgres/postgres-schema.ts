import type { TableNames } from '../sql/table-names.js';

/**
 * The PostgreSQL schema as numbered migrations, each a list of statements run
 * in one transaction. Constraint names are fixed (with the table prefix) because
 * the store maps unique violations by name.
 */
export function postgresMigrations(
  names: TableNames,
): readonly { version: number; statements: readonly string[] }[] {
  const p = names.prefix;
  return [
    {
      version: 1,
      statements: [
        `CREATE TABLE ${names.accounts} (
          id text PRIMARY KEY,
          username text NOT NULL,
          username_key text NOT NULL CONSTRAINT "${p}api_accounts_username_key_unique" UNIQUE,
          email text NOT NULL CONSTRAINT "${p}api_accounts_email_unique" UNIQUE,
          phone text NOT NULL,
          active boolean NOT NULL,
          version integer NOT NULL,
          created_at timestamptz NOT NULL,
          updated_at timestamptz NOT NULL,
          key_hash text CONSTRAINT "${p}api_accounts_key_hash_unique" UNIQUE,
          key_issued_at timestamptz,
          key_sealed_secret text,
          claim_token_hash text CONSTRAINT "${p}api_accounts_claim_token_hash_unique" UNIQUE,
          claim_code_hash text,
          claim_opened_at timestamptz,
          claim_expires_at timestamptz,
          claim_attempts integer,
          claim_max_attempts integer,
          CONSTRAINT "${p}api_accounts_attempts_within_limit" CHECK (claim_attempts <= claim_max_attempts)
        )`,
        `CREATE INDEX "${p}api_accounts_created_at_id" ON ${names.accounts} (created_at, id)`,
        `CREATE TABLE ${names.events} (
          seq bigserial PRIMARY KEY,
          account_id text NOT NULL,
          type text NOT NULL,
          actor_id text,
          at timestamptz NOT NULL,
          fields jsonb
        )`,
        `CREATE INDEX "${p}api_account_events_account_seq" ON ${names.events} (account_id, seq)`,
      ],
    },
    {
      // Key lifecycle: expiry, reminders, a rotation's previous key, usage. Columns with constant
      // defaults are added without rewriting the table.
      version: 2,
      statements: [
        `ALTER TABLE ${names.accounts}
          ADD COLUMN key_expires_at timestamptz,
          ADD COLUMN key_reminders_sent integer NOT NULL DEFAULT 0,
          ADD COLUMN key_expiry_recorded boolean NOT NULL DEFAULT false,
          ADD COLUMN prev_key_hash text CONSTRAINT "${p}api_accounts_prev_key_hash_unique" UNIQUE,
          ADD COLUMN prev_key_sealed_secret text,
          ADD COLUMN prev_key_superseded_at timestamptz,
          ADD COLUMN prev_key_ends_at timestamptz,
          ADD COLUMN prev_key_grace_ms bigint`,
        `CREATE INDEX "${p}api_accounts_key_expires_at" ON ${names.accounts} (key_expires_at)
          WHERE key_expires_at IS NOT NULL`,
        `CREATE INDEX "${p}api_accounts_prev_key_ends_at" ON ${names.accounts} (prev_key_ends_at)
          WHERE prev_key_ends_at IS NOT NULL`,
        `ALTER TABLE ${names.events} ADD COLUMN until timestamptz`,
        `ALTER TABLE ${names.accounts} ADD COLUMN last_used_at timestamptz`,
        `CREATE INDEX "${p}api_accounts_last_used_id" ON ${names.accounts}
          (coalesce(last_used_at, '0001-01-01 00:00:00+00'::timestamptz), id)`,
        // Prefix search (LIKE 'abc%') by index whatever the database's collation.
        `CREATE INDEX "${p}api_accounts_username_key_prefix" ON ${names.accounts} (username_key text_pattern_ops)`,
        `CREATE INDEX "${p}api_accounts_email_prefix" ON ${names.accounts} (email text_pattern_ops)`,
        `CREATE TABLE ${names.usage} (
          account_id text NOT NULL,
          day date NOT NULL,
          accepted bigint NOT NULL,
          refused bigint NOT NULL,
          PRIMARY KEY (account_id, day)
        )`,
      ],
    },
    {
      // Access policy: scopes (NULL: never set, every declared scope), allowed addresses, a rate
      // limit of its own. Constant defaults: added without rewriting the table.
      version: 3,
      statements: [
        `ALTER TABLE ${names.accounts}
          ADD COLUMN scopes jsonb,
          ADD COLUMN allowed_ips jsonb NOT NULL DEFAULT '[]'::jsonb,
          ADD COLUMN rate_limit integer,
          ADD COLUMN rate_window_ms integer`,
        `ALTER TABLE ${names.events} ADD COLUMN changes jsonb`,
      ],
    },
    {
      // Tenants: every existing account and event moves into 'default' (a constant default, so no
      // rewrite); usernames and emails become unique per tenant.
      version: 4,
      statements: [
        `ALTER TABLE ${names.accounts} ADD COLUMN tenant text NOT NULL DEFAULT 'default'`,
        `ALTER TABLE ${names.accounts}
          DROP CONSTRAINT "${p}api_accounts_username_key_unique",
          DROP CONSTRAINT "${p}api_accounts_email_unique",
          ADD CONSTRAINT "${p}api_accounts_tenant_username_key_unique" UNIQUE (tenant, username_key),
          ADD CONSTRAINT "${p}api_accounts_tenant_email_unique" UNIQUE (tenant, email)`,
        // A tenant's pages, one index seek each whatever the other tenants hold.
        `CREATE INDEX "${p}api_accounts_tenant_created_at_id" ON ${names.accounts} (tenant, created_at, id)`,
        `CREATE INDEX "${p}api_accounts_tenant_last_used_id" ON ${names.accounts}
          (tenant, coalesce(last_used_at, '0001-01-01 00:00:00+00'::timestamptz), id)`,
        `CREATE INDEX "${p}api_accounts_username_key_id" ON ${names.accounts} (username_key, id)`,
        `ALTER TABLE ${names.events} ADD COLUMN tenant text NOT NULL DEFAULT 'default'`,
        // Where a leaked key was found (key.leaked).
        `ALTER TABLE ${names.events} ADD COLUMN leak jsonb`,
      ],
    },
    {
      // Quotas: a limit per UTC day or month of the account's own (both NULL: the manager's default).
      version: 5,
      statements: [
        `ALTER TABLE ${names.accounts}
          ADD COLUMN quota_limit bigint,
          ADD COLUMN quota_period text`,
      ],
    },
  ];
}
