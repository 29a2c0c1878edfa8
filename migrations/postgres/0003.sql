-- api-accounts PostgreSQL migration 3. Generated from the store's own migrations
-- (npm run migrations); run in order, each in one transaction.
BEGIN;
CREATE TABLE IF NOT EXISTS "api_accounts_migrations" (version integer PRIMARY KEY, applied_at timestamptz NOT NULL);
ALTER TABLE "api_accounts"
  ADD COLUMN scopes jsonb,
  ADD COLUMN allowed_ips jsonb NOT NULL DEFAULT '[]'::jsonb,
  ADD COLUMN rate_limit integer,
  ADD COLUMN rate_window_ms integer;
ALTER TABLE "api_account_events" ADD COLUMN changes jsonb;
INSERT INTO "api_accounts_migrations" (version, applied_at) VALUES (3, now());
COMMIT;
