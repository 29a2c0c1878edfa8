-- api-accounts PostgreSQL migration 2. Generated from the store's own migrations
-- (npm run migrations); run in order, each in one transaction.
BEGIN;
CREATE TABLE IF NOT EXISTS "api_accounts_migrations" (version integer PRIMARY KEY, applied_at timestamptz NOT NULL);
ALTER TABLE "api_accounts"
  ADD COLUMN key_expires_at timestamptz,
  ADD COLUMN key_reminders_sent integer NOT NULL DEFAULT 0,
  ADD COLUMN key_expiry_recorded boolean NOT NULL DEFAULT false,
  ADD COLUMN prev_key_hash text CONSTRAINT "api_accounts_prev_key_hash_unique" UNIQUE,
  ADD COLUMN prev_key_sealed_secret text,
  ADD COLUMN prev_key_superseded_at timestamptz,
  ADD COLUMN prev_key_ends_at timestamptz,
  ADD COLUMN prev_key_grace_ms bigint;
CREATE INDEX "api_accounts_key_expires_at" ON "api_accounts" (key_expires_at)
  WHERE key_expires_at IS NOT NULL;
CREATE INDEX "api_accounts_prev_key_ends_at" ON "api_accounts" (prev_key_ends_at)
  WHERE prev_key_ends_at IS NOT NULL;
ALTER TABLE "api_account_events" ADD COLUMN until timestamptz;
ALTER TABLE "api_accounts" ADD COLUMN last_used_at timestamptz;
CREATE INDEX "api_accounts_last_used_id" ON "api_accounts"
  (coalesce(last_used_at, '0001-01-01 00:00:00+00'::timestamptz), id);
CREATE INDEX "api_accounts_username_key_prefix" ON "api_accounts" (username_key text_pattern_ops);
CREATE INDEX "api_accounts_email_prefix" ON "api_accounts" (email text_pattern_ops);
CREATE TABLE "api_account_usage" (
  account_id text NOT NULL,
  day date NOT NULL,
  accepted bigint NOT NULL,
  refused bigint NOT NULL,
  PRIMARY KEY (account_id, day)
);
INSERT INTO "api_accounts_migrations" (version, applied_at) VALUES (2, now());
COMMIT;
