-- api-accounts SQLite migration 5. Generated from the store's own migrations
-- (npm run migrations); run in order, each in one transaction.
BEGIN;
CREATE TABLE IF NOT EXISTS "api_accounts_migrations" (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL);
ALTER TABLE "api_accounts" ADD COLUMN quota_limit INTEGER;
ALTER TABLE "api_accounts" ADD COLUMN quota_period TEXT;
INSERT INTO "api_accounts_migrations" (version, applied_at) VALUES (5, CAST(strftime('%s', 'now') AS INTEGER) * 1000);
COMMIT;
