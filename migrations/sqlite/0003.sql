-- api-accounts SQLite migration 3. Generated from the store's own migrations
-- (npm run migrations); run in order, each in one transaction.
BEGIN;
CREATE TABLE IF NOT EXISTS "api_accounts_migrations" (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL);
ALTER TABLE "api_accounts" ADD COLUMN scopes TEXT;
ALTER TABLE "api_accounts" ADD COLUMN allowed_ips TEXT NOT NULL DEFAULT '[]';
ALTER TABLE "api_accounts" ADD COLUMN rate_limit INTEGER;
ALTER TABLE "api_accounts" ADD COLUMN rate_window_ms INTEGER;
ALTER TABLE "api_account_events" ADD COLUMN changes TEXT;
INSERT INTO "api_accounts_migrations" (version, applied_at) VALUES (3, CAST(strftime('%s', 'now') AS INTEGER) * 1000);
COMMIT;
