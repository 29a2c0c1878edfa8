-- api-accounts SQLite migration 1. Generated from the store's own migrations
-- (npm run migrations); run in order, each in one transaction.
BEGIN;
CREATE TABLE IF NOT EXISTS "api_accounts_migrations" (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL);
CREATE TABLE "api_accounts" (
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
CREATE INDEX "api_accounts_created_at_id" ON "api_accounts" (created_at, id);
CREATE TABLE "api_account_events" (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  account_id TEXT NOT NULL,
  type TEXT NOT NULL,
  actor_id TEXT,
  at INTEGER NOT NULL,
  fields TEXT
);
CREATE INDEX "api_account_events_account_seq" ON "api_account_events" (account_id, seq);
INSERT INTO "api_accounts_migrations" (version, applied_at) VALUES (1, CAST(strftime('%s', 'now') AS INTEGER) * 1000);
COMMIT;
