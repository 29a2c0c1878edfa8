-- api-accounts PostgreSQL migration 1. Generated from the store's own migrations
-- (npm run migrations); run in order, each in one transaction.
BEGIN;
CREATE TABLE IF NOT EXISTS "api_accounts_migrations" (version integer PRIMARY KEY, applied_at timestamptz NOT NULL);
CREATE TABLE "api_accounts" (
  id text PRIMARY KEY,
  username text NOT NULL,
  username_key text NOT NULL CONSTRAINT "api_accounts_username_key_unique" UNIQUE,
  email text NOT NULL CONSTRAINT "api_accounts_email_unique" UNIQUE,
  phone text NOT NULL,
  active boolean NOT NULL,
  version integer NOT NULL,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  key_hash text CONSTRAINT "api_accounts_key_hash_unique" UNIQUE,
  key_issued_at timestamptz,
  key_sealed_secret text,
  claim_token_hash text CONSTRAINT "api_accounts_claim_token_hash_unique" UNIQUE,
  claim_code_hash text,
  claim_opened_at timestamptz,
  claim_expires_at timestamptz,
  claim_attempts integer,
  claim_max_attempts integer,
  CONSTRAINT "api_accounts_attempts_within_limit" CHECK (claim_attempts <= claim_max_attempts)
);
CREATE INDEX "api_accounts_created_at_id" ON "api_accounts" (created_at, id);
CREATE TABLE "api_account_events" (
  seq bigserial PRIMARY KEY,
  account_id text NOT NULL,
  type text NOT NULL,
  actor_id text,
  at timestamptz NOT NULL,
  fields jsonb
);
CREATE INDEX "api_account_events_account_seq" ON "api_account_events" (account_id, seq);
INSERT INTO "api_accounts_migrations" (version, applied_at) VALUES (1, now());
COMMIT;
