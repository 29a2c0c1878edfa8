-- api-accounts SQLite migration 2. Generated from the store's own migrations
-- (npm run migrations); run in order, each in one transaction.
BEGIN;
CREATE TABLE IF NOT EXISTS "api_accounts_migrations" (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL);
ALTER TABLE "api_accounts" ADD COLUMN key_expires_at INTEGER;
ALTER TABLE "api_accounts" ADD COLUMN key_reminders_sent INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "api_accounts" ADD COLUMN key_expiry_recorded INTEGER NOT NULL DEFAULT 0
  CHECK (key_expiry_recorded IN (0, 1));
ALTER TABLE "api_accounts" ADD COLUMN prev_key_hash TEXT;
ALTER TABLE "api_accounts" ADD COLUMN prev_key_sealed_secret TEXT;
ALTER TABLE "api_accounts" ADD COLUMN prev_key_superseded_at INTEGER;
ALTER TABLE "api_accounts" ADD COLUMN prev_key_ends_at INTEGER;
ALTER TABLE "api_accounts" ADD COLUMN prev_key_grace_ms INTEGER;
CREATE UNIQUE INDEX "api_accounts_prev_key_hash" ON "api_accounts" (prev_key_hash);
CREATE INDEX "api_accounts_key_expires_at" ON "api_accounts" (key_expires_at)
  WHERE key_expires_at IS NOT NULL;
CREATE INDEX "api_accounts_prev_key_ends_at" ON "api_accounts" (prev_key_ends_at)
  WHERE prev_key_ends_at IS NOT NULL;
ALTER TABLE "api_account_events" ADD COLUMN until INTEGER;
ALTER TABLE "api_accounts" ADD COLUMN last_used_at INTEGER;
-- A column, not an expression index: SQLite seeks a row value (key, id) > (?, ?) only on
-- columns, and never-used accounts (all one key) would otherwise be read from the start.
ALTER TABLE "api_accounts" ADD COLUMN last_used_key INTEGER
  GENERATED ALWAYS AS (coalesce(last_used_at, -9007199254740991)) VIRTUAL;
CREATE INDEX "api_accounts_last_used_id" ON "api_accounts" (last_used_key, id);
CREATE TABLE "api_account_usage" (
  account_id TEXT NOT NULL,
  day TEXT NOT NULL,
  accepted INTEGER NOT NULL,
  refused INTEGER NOT NULL,
  PRIMARY KEY (account_id, day)
) WITHOUT ROWID;
INSERT INTO "api_accounts_migrations" (version, applied_at) VALUES (2, CAST(strftime('%s', 'now') AS INTEGER) * 1000);
COMMIT;
