-- api-accounts PostgreSQL migration 4. Generated from the store's own migrations
-- (npm run migrations); run in order, each in one transaction.
BEGIN;
CREATE TABLE IF NOT EXISTS "api_accounts_migrations" (version integer PRIMARY KEY, applied_at timestamptz NOT NULL);
ALTER TABLE "api_accounts" ADD COLUMN tenant text NOT NULL DEFAULT 'default';
ALTER TABLE "api_accounts"
  DROP CONSTRAINT "api_accounts_username_key_unique",
  DROP CONSTRAINT "api_accounts_email_unique",
  ADD CONSTRAINT "api_accounts_tenant_username_key_unique" UNIQUE (tenant, username_key),
  ADD CONSTRAINT "api_accounts_tenant_email_unique" UNIQUE (tenant, email);
CREATE INDEX "api_accounts_tenant_created_at_id" ON "api_accounts" (tenant, created_at, id);
CREATE INDEX "api_accounts_tenant_last_used_id" ON "api_accounts"
  (tenant, coalesce(last_used_at, '0001-01-01 00:00:00+00'::timestamptz), id);
CREATE INDEX "api_accounts_username_key_id" ON "api_accounts" (username_key, id);
ALTER TABLE "api_account_events" ADD COLUMN tenant text NOT NULL DEFAULT 'default';
ALTER TABLE "api_account_events" ADD COLUMN leak jsonb;
INSERT INTO "api_accounts_migrations" (version, applied_at) VALUES (4, now());
COMMIT;
