/**
 * Tenants at scale (#25, SPEC section 9), in one run:
 *
 * - Verification with 1,000 tenants of 100 accounts each against one tenant
 *   of 100,000 (the same number of rows, keys and usernames), bearer and
 *   signed, uncached, on SQLite (a file) and in memory; the target is
 *   ≥ 0.9 ×: a tenant column costs the hot path nothing it can see.
 * - A tenant's first page (100 accounts, by creation, by username, by last
 *   use) against a 200,000-account table of 2,000 tenants, with the plan
 *   SQLite and PostgreSQL give for it: the tenant's own index, whatever the
 *   other tenants hold (PostgreSQL also for a tenant of 20,000). Printed beside the first page of a table holding that
 *   tenant's 100 accounts alone.
 *
 *   npm run bench -- tenants     (PostgreSQL at DATABASE_URL, default the local server; skipped,
 *                                  and said so, when none answers)
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type AccountStore,
  ApiAccountManager,
  aesGcmSealer,
  inMemoryPorts,
  SETTINGS_ADMINISTRATOR,
  type SecretSealer,
  signRequest,
} from 'api-accounts';
import { postgresStore } from 'api-accounts/postgres';
import { sqliteStore } from 'api-accounts/sqlite';
import Database from 'better-sqlite3';
import pg from 'pg';
import { CORE_ONLY, keyedAccount } from './accounts.js';
import { type Measurement, measureInRounds, printTable } from './harness.js';

const ACCOUNTS = 100_000;
const SAMPLE = 5_000;
const sealer: SecretSealer = aesGcmSealer({ keys: { k1: randomBytes(32) }, current: 'k1' });
const URL_SIGNED = 'https://box-office.example/venue/api/v3/customers';

interface Layout {
  readonly name: string;
  readonly tenantOf: (i: number) => string;
}
const ONE_TENANT: Layout = { name: 'one tenant of 100,000', tenantOf: () => 'venue-0' };
const THOUSAND: Layout = {
  name: '1,000 tenants × 100',
  tenantOf: (i) => `venue-${i % 1000}`,
};

const keys = Array.from({ length: ACCOUNTS }, () => randomBytes(32).toString('base64'));

/** The store filled with `layout`'s accounts, each with a key and a sealed secret for signing. */
async function fill(store: AccountStore, layout: Layout) {
  const now = new Date();
  for (let start = 0; start < ACCOUNTS; start += 1000) {
    await Promise.all(
      Array.from({ length: 1000 }, async (_, j) => {
        const i = start + j;
        const apiKey = keys[i] ?? '';
        const sealedSecret = await sealer.seal(Buffer.from(apiKey, 'base64'), `acct_${i}`);
        const tenant = layout.tenantOf(i);
        const record = keyedAccount({
          id: `acct_${i}`,
          name: `Partner ${i}`,
          apiKey,
          now,
          sealedSecret,
          tenant,
        });
        await store.insertAccount(record, []);
      }),
    );
  }
}

function verifier(store: AccountStore) {
  return new ApiAccountManager({
    ...inMemoryPorts(),
    ...CORE_ONLY,
    store,
    sealer,
    claimUrl: (t) => t,
    usage: false,
  });
}

/** Signed requests for the sampled accounts, in each one's tenant, dated now. */
function signedSample(layout: Layout) {
  const date = new Date().toUTCString();
  return Array.from({ length: SAMPLE }, (_, n) => {
    const i = (n * 7919) % ACCOUNTS;
    const signed = signRequest({
      method: 'GET',
      url: URL_SIGNED,
      username: `Partner ${i}`,
      apiKey: keys[i] ?? '',
      date,
    })._unsafeUnwrap();
    return {
      tenant: layout.tenantOf(i),
      request: {
        method: 'GET',
        url: URL_SIGNED,
        headers: { authorization: signed.authorization, date },
        tenant: layout.tenantOf(i),
      },
      key: keys[i] ?? '',
    };
  });
}

async function verificationAtScale(label: string, open: () => Promise<AccountStore>) {
  const cases = [];
  const stores: AccountStore[] = [];
  for (const layout of [ONE_TENANT, THOUSAND]) {
    const store = await open();
    stores.push(store);
    await fill(store, layout);
    const manager = verifier(store);
    const sample = signedSample(layout);
    const at = (i: number) => sample[i % SAMPLE] as (typeof sample)[number];
    // Every answer must be a principal: a benchmark of refusals would measure nothing useful.
    for (const { key, tenant, request } of sample.slice(0, 50)) {
      (await manager.verifyApiKey(key, { tenant }))._unsafeUnwrap();
      (await manager.verifySignedRequest(request))._unsafeUnwrap();
    }
    cases.push(
      {
        name: `bearer, tenant named, ${layout.name}`,
        operation: (i: number) => manager.verifyApiKey(at(i).key, { tenant: at(i).tenant }),
      },
      {
        name: `signed, ${layout.name}`,
        operation: (i: number) => manager.verifySignedRequest(at(i).request),
      },
    );
  }
  const [bearerOne, signedOne, bearerMany, signedMany] = (await measureInRounds(
    cases,
  )) as Measurement[];
  if (!bearerOne || !signedOne || !bearerMany || !signedMany) throw new Error('no measurement');
  printTable(`Verification by tenant layout, uncached, ${label}`, [
    { measurement: bearerOne },
    { measurement: bearerMany, base: bearerOne, target: '≥ 0.9 ×' },
    { measurement: signedOne },
    { measurement: signedMany, base: signedOne, target: '≥ 0.9 ×' },
  ]);
  await Promise.all(stores.map((store) => (store as { close?: () => Promise<void> }).close?.()));
}

/** Rows written straight into a table: 2,000 tenants of 100 accounts, a third never used. */
function listingRows(count: number, tenants: number) {
  const base = Date.now() - count * 1000;
  return Array.from({ length: count }, (_, i) => ({
    id: `acct_${String(i).padStart(22, '0')}`,
    tenant: `venue-${i % tenants}`,
    username: `Partner ${i}`,
    username_key: `partner ${i}`,
    email: `p${i}@partner.example`,
    at: base + i * 1000,
    last: i % 3 === 0 ? null : base + i * 500,
  }));
}

const admin = { id: 'bench', roles: [SETTINGS_ADMINISTRATOR], tenants: '*' as const };
const SORTS = ['createdAt', 'username', 'lastUsedAt'] as const;

async function sqliteListing() {
  const dir = mkdtempSync(join(tmpdir(), 'api-accounts-tenants-'));
  const open = async (name: string, count: number, tenants: number) => {
    const db = new Database(join(dir, name));
    db.pragma('journal_mode = WAL');
    const store = sqliteStore(db);
    await store.migrate();
    const insert = db.prepare(
      `INSERT INTO "api_accounts" (id, tenant, username, username_key, email, phone, active, version, created_at, updated_at, last_used_at)
       VALUES (@id, @tenant, @username, @username_key, @email, '+447894123456', 1, 1, @at, @at, @last)`,
    );
    db.transaction(() => {
      for (const row of listingRows(count, tenants)) insert.run(row);
    })();
    db.exec('ANALYZE');
    return { db, store, manager: verifier(store) };
  };
  const big = await open('big.db', 200_000, 2000);
  const alone = await open('alone.db', 100, 1);
  const plan = (db: Database.Database, sql: string, params: unknown[]) =>
    (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[])
      .map((row) => row.detail)
      .join(' | ');
  const measured = await measureInRounds(
    SORTS.flatMap((sort) => [
      {
        name: `first page by ${sort}, 1 tenant of 2,000 (200,000 rows)`,
        operation: () => big.manager.listAccounts(admin, { tenant: 'venue-7', limit: 100, sort }),
      },
      {
        name: `first page by ${sort}, the tenant alone (100 rows)`,
        operation: () => alone.manager.listAccounts(admin, { tenant: 'venue-0', limit: 100, sort }),
      },
    ]),
  );
  const rows = SORTS.flatMap((_, n) => {
    const [inBig, inAlone] = [measured[2 * n], measured[2 * n + 1]];
    return inBig && inAlone
      ? [{ measurement: inAlone }, { measurement: inBig, base: inAlone }]
      : [];
  });
  printTable("A tenant's first page, SQLite (file, WAL)", rows);
  const page = (
    await big.manager.listAccounts(admin, { tenant: 'venue-7', limit: 100 })
  )._unsafeUnwrap();
  if (page.items.length !== 100 || page.items.some((item) => item.tenant !== 'venue-7')) {
    throw new Error("the page is not the tenant's 100 accounts");
  }
  console.log('SQLite plans of the page queries (each one index seek, no scan, no sort):');
  const pageSql = {
    createdAt: `SELECT * FROM "api_accounts" WHERE tenant = ? ORDER BY created_at, id LIMIT ?`,
    username: `SELECT * FROM "api_accounts" WHERE tenant = ? ORDER BY username_key LIMIT ?`,
    lastUsedAt: `SELECT * FROM "api_accounts" WHERE tenant = ? ORDER BY last_used_key, id LIMIT ?`,
  };
  for (const sort of SORTS) {
    console.log(`  ${sort}: ${plan(big.db, pageSql[sort], ['venue-7', 101])}`);
  }
  await Promise.all([big.manager.close(), alone.manager.close()]);
  big.db.close();
  alone.db.close();
  rmSync(dir, { recursive: true, force: true });
}

async function postgresListing() {
  const url = process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  pool.on('error', () => undefined);
  try {
    await pool.query('SELECT 1');
  } catch {
    console.log(`\nPostgreSQL listing plan: no server at ${new URL(url).host}; not measured.`);
    await pool.end();
    return;
  }
  const schema = `aa_bench_tenants_${randomBytes(4).toString('hex')}`;
  try {
    const store = postgresStore(pool, { schema });
    await store.migrate();
    await pool.query(
      `INSERT INTO "${schema}"."api_accounts" (id, tenant, username, username_key, email, phone, active, version, created_at, updated_at, last_used_at)
       SELECT 'acct_' || lpad(i::text, 22, '0'),
         CASE WHEN i < 20000 THEN 'venue-big' ELSE 'venue-' || (i % 2000) END, 'Partner ' || i, 'partner ' || i,
         'p' || i || '@partner.example', '+447894123456', true, 1,
         now() - (200000 - i) * interval '1 second', now(), CASE WHEN i % 3 = 0 THEN NULL ELSE now() - i * interval '1 second' END
       FROM generate_series(0, 199999) AS i`,
    );
    await pool.query(`ANALYZE "${schema}"."api_accounts"`);
    const manager = verifier(store);
    const [measurement] = await measureInRounds([
      {
        name: 'first page by createdAt, 1 tenant of 2,000 (200,000 rows)',
        operation: () => manager.listAccounts(admin, { tenant: 'venue-7', limit: 100 }),
      },
    ]);
    if (measurement)
      printTable(`A tenant's first page, PostgreSQL (${new URL(url).host})`, [{ measurement }]);
    const lastUsed = `coalesce(last_used_at, '0001-01-01 00:00:00+00'::timestamptz)`;
    console.log('PostgreSQL plans of the page queries:');
    // A tenant of 90 accounts is read whole through the tenant's index and its page sorted; one
    // of 20,000 is read in order from its sort's index: either way, nothing of the other tenants.
    for (const tenant of ['venue-7', 'venue-big']) {
      for (const [sort, order] of [
        ['createdAt', 'created_at, id'],
        ['username', 'username_key'],
        ['lastUsedAt', `${lastUsed}, id`],
      ]) {
        const { rows } = await pool.query<{ 'QUERY PLAN': string }>(
          `EXPLAIN SELECT * FROM "${schema}"."api_accounts" WHERE tenant = $1 ORDER BY ${order} LIMIT 101`,
          [tenant],
        );
        console.log(
          `  ${tenant}, ${sort}: ${rows.map((row) => row['QUERY PLAN'].trim()).join(' | ')}`,
        );
      }
    }
    await manager.close();
    await store.close();
  } finally {
    await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pool.end();
  }
}

await verificationAtScale('in memory', async () => inMemoryPorts().store);
const dir = mkdtempSync(join(tmpdir(), 'api-accounts-tenants-verify-'));
let files = 0;
await verificationAtScale('SQLite (file, WAL)', async () => {
  const db = new Database(join(dir, `verify-${files++}.db`));
  db.pragma('journal_mode = WAL');
  const store = sqliteStore(db);
  await store.migrate();
  return store;
});
rmSync(dir, { recursive: true, force: true });
await sqliteListing();
await postgresListing();
