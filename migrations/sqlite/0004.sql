-- api-accounts SQLite migration 4. Generated from the store's own migrations
-- (npm run migrations); run in order, each in one transaction.
BEGIN;
CREATE TABLE IF NOT EXISTS "api_accounts_migrations" (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL);
CREATE TABLE "api_accounts_rebuilt" (
  id TEXT PRIMARY KEY,
  tenant TEXT NOT NULL DEFAULT 'default',
  username TEXT NOT NULL,
  username_key TEXT NOT NULL,
  email TEXT NOT NULL,
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
  key_expires_at INTEGER,
  key_reminders_sent INTEGER NOT NULL DEFAULT 0,
  key_expiry_recorded INTEGER NOT NULL DEFAULT 0 CHECK (key_expiry_recorded IN (0, 1)),
  prev_key_hash TEXT,
  prev_key_sealed_secret TEXT,
  prev_key_superseded_at INTEGER,
  prev_key_ends_at INTEGER,
  prev_key_grace_ms INTEGER,
  last_used_at INTEGER,
  last_used_key INTEGER GENERATED ALWAYS AS (coalesce(last_used_at, -9007199254740991)) VIRTUAL,
  scopes TEXT,
  allowed_ips TEXT NOT NULL DEFAULT '[]',
  rate_limit INTEGER,
  rate_window_ms INTEGER,
  UNIQUE (tenant, username_key),
  UNIQUE (tenant, email),
  CHECK (claim_attempts IS NULL OR claim_attempts <= claim_max_attempts)
);
INSERT INTO "api_accounts_rebuilt" (id, username, username_key, email, phone, active, version, created_at, updated_at, key_hash, key_issued_at, key_sealed_secret, claim_token_hash, claim_code_hash, claim_opened_at, claim_expires_at, claim_attempts, claim_max_attempts, key_expires_at, key_reminders_sent, key_expiry_recorded, prev_key_hash, prev_key_sealed_secret, prev_key_superseded_at, prev_key_ends_at, prev_key_grace_ms, last_used_at, scopes, allowed_ips, rate_limit, rate_window_ms, tenant) SELECT id, username, username_key, email, phone, active, version, created_at, updated_at, key_hash, key_issued_at, key_sealed_secret, claim_token_hash, claim_code_hash, claim_opened_at, claim_expires_at, claim_attempts, claim_max_attempts, key_expires_at, key_reminders_sent, key_expiry_recorded, prev_key_hash, prev_key_sealed_secret, prev_key_superseded_at, prev_key_ends_at, prev_key_grace_ms, last_used_at, scopes, allowed_ips, rate_limit, rate_window_ms, 'default' FROM "api_accounts";
  DROP TABLE "api_accounts";
ALTER TABLE "api_accounts_rebuilt" RENAME TO "api_accounts";
CREATE INDEX "api_accounts_created_at_id" ON "api_accounts" (created_at, id);
CREATE UNIQUE INDEX "api_accounts_prev_key_hash" ON "api_accounts" (prev_key_hash);
CREATE INDEX "api_accounts_key_expires_at" ON "api_accounts" (key_expires_at)
  WHERE key_expires_at IS NOT NULL;
CREATE INDEX "api_accounts_prev_key_ends_at" ON "api_accounts" (prev_key_ends_at)
  WHERE prev_key_ends_at IS NOT NULL;
CREATE INDEX "api_accounts_last_used_id" ON "api_accounts" (last_used_key, id);
-- A tenant's pages, one index seek each whatever the other tenants hold.
CREATE INDEX "api_accounts_tenant_created_at_id" ON "api_accounts" (tenant, created_at, id);
CREATE INDEX "api_accounts_tenant_last_used_id" ON "api_accounts" (tenant, last_used_key, id);
CREATE INDEX "api_accounts_username_key_id" ON "api_accounts" (username_key, id);
-- Searching every tenant by email prefix, as the old unique index on email served it.
CREATE INDEX "api_accounts_email" ON "api_accounts" (email);
ALTER TABLE "api_account_events" ADD COLUMN tenant TEXT NOT NULL DEFAULT 'default';
ALTER TABLE "api_account_events" ADD COLUMN leak TEXT;
INSERT INTO "api_accounts_migrations" (version, applied_at) VALUES (4, CAST(strftime('%s', 'now') AS INTEGER) * 1000);
COMMIT;
