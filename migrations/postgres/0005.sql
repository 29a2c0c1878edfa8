-- api-accounts PostgreSQL migration 5. Generated from the store's own migrations
-- (npm run migrations); run in order, each in one transaction.
BEGIN;
CREATE TABLE IF NOT EXISTS "api_accounts_migrations" (version integer PRIMARY KEY, applied_at timestamptz NOT NULL);
ALTER TABLE "api_accounts"
  ADD COLUMN quota_limit bigint,
  ADD COLUMN quota_period text;
INSERT INTO "api_accounts_migrations" (version, applied_at) VALUES (5, now());
COMMIT;
