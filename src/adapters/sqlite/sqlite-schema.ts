import type { TableNames } from '../sql/table-names.js';

/**
 * The SQLite schema as numbered migrations. Times are stored as integer
 * milliseconds since the epoch; uniqueness (username key, email, key hash,
 * claim token hash) is enforced by unique indexes, so it holds across
 * processes sharing the file.
 */
export function sqliteMigrations(names: TableNames): readonly { version: number; sql: string }[] {
  const p = names.prefix;
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
  ];
}
