/**
 * verifyApiKey on SQLite (a file) and PostgreSQL with 100k accounts, uncached
 * and cached, each against a floor measured in the same run: SHA-256 of the key
 * plus one prepared indexed lookup through the same driver.
 *
 *   npm run bench            (PostgreSQL at DATABASE_URL, default the local server;
 *                             falls back to embedded PGlite if none answers)
 *   BENCH_SECONDS=2 BENCH_ROUNDS=5 npm run bench   (longer, steadier)
 */
import { hash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { type AccountStore, ApiAccountManager, inMemoryPorts } from 'api-accounts';
import { type PgPool, postgresStore } from 'api-accounts/postgres';
import { sqliteStore } from 'api-accounts/sqlite';
import Database from 'better-sqlite3';
import pg from 'pg';
import { CORE_ONLY } from './accounts.js';
import { type Measurement, measureInRounds, printTable } from './harness.js';

const ACCOUNTS = Number(process.env['BENCH_ACCOUNTS'] ?? 100_000);
/** Keys verified in rotation: enough to defeat any accidental single-row caching. */
const SAMPLE = 10_000;

const keys = Array.from({ length: ACCOUNTS }, () => randomBytes(32).toString('base64'));
const sample = keys.slice(0, SAMPLE);
const sha256 = (key: string) => hash('sha256', key, 'hex');

/**
 * What verification reads of a key's holder, as the stores do: who holds it,
 * whether it is on, the key's expiry, a rotation's previous key, the tenant
 * and the access (scopes, addresses, rate limit, quota). Any verification
 * that keeps those rules must read them, so the floor does too. The narrow
 * floor (four columns) was the floor before key lifetimes and access existed;
 * it is printed beside, for comparison with earlier runs.
 */
const HOLDER_COLUMNS =
  'id, tenant, username, active, key_hash, key_expires_at, prev_key_hash, prev_key_superseded_at, prev_key_ends_at, scopes, allowed_ips, rate_limit, rate_window_ms, quota_limit, quota_period';
const NARROW_COLUMNS = 'id, username, active, key_hash';

/** A manager on `store`; usage counting is on unless `usage` is false, as for a host. */
function manager(store: AccountStore, cached: boolean, usage = true): ApiAccountManager {
  return new ApiAccountManager({
    ...inMemoryPorts(),
    ...CORE_ONLY,
    store,
    claimUrl: (t) => t,
    ...(cached ? { verifyCache: { ttlMs: 600_000, maxEntries: 100_000 } } : {}),
    ...(usage ? {} : { usage: false }),
  });
}

/** Account rows with the keys' digests, written straight into the table for speed of setup. */
function rowsFor(start: number, count: number) {
  const now = Date.now();
  return Array.from({ length: count }, (_, j) => {
    const i = start + j;
    return {
      id: `acct_bench${String(i).padStart(17, '0')}`,
      username: `Bench ${i}`,
      username_key: `bench ${i}`,
      email: `bench${i}@partner.example`,
      phone: '+447894123456',
      key_hash: sha256(keys[i] ?? ''),
      at: now,
    };
  });
}

async function sqliteBench(): Promise<Measurement[]> {
  const dir = mkdtempSync(join(tmpdir(), 'api-accounts-bench-'));
  const db = new Database(join(dir, 'bench.db'));
  db.pragma('journal_mode = WAL');
  const store = sqliteStore(db);
  await store.migrate();
  const insert = db.prepare(
    `INSERT INTO "api_accounts" (id, username, username_key, email, phone, active, version, created_at, updated_at, key_hash, key_issued_at)
     VALUES (@id, @username, @username_key, @email, @phone, 1, 1, @at, @at, @key_hash, @at)`,
  );
  db.transaction(() => {
    for (const row of rowsFor(0, ACCOUNTS)) insert.run(row);
  })();
  const lookup = db.prepare(`SELECT ${HOLDER_COLUMNS} FROM "api_accounts" WHERE key_hash = ?`);
  const narrow = db.prepare(`SELECT ${NARROW_COLUMNS} FROM "api_accounts" WHERE key_hash = ?`);
  const uncached = manager(store, false);
  const uncounted = manager(store, false, false);
  const cached = manager(store, true);
  await warmUp(cached);
  const [floor, narrowFloor, plain, warm, off, adapter] = (await measureInRounds([
    {
      name: 'floor: sha256 + prepared lookup',
      operation: (i) => lookup.get(sha256(sample[i % SAMPLE] ?? '')),
    },
    {
      name: 'narrow floor: 4 columns',
      operation: (i) => narrow.get(sha256(sample[i % SAMPLE] ?? '')),
    },
    {
      name: 'verifyApiKey, no cache',
      operation: (i) => uncached.verifyApiKey(sample[i % SAMPLE] ?? ''),
    },
    {
      name: 'verifyApiKey, cache on',
      operation: (i) => cached.verifyApiKey(sample[i % SAMPLE] ?? ''),
    },
    {
      name: 'verifyApiKey, no cache, usage off',
      operation: (i) => uncounted.verifyApiKey(sample[i % SAMPLE] ?? ''),
    },
    {
      // The adapter alone: what the store costs over the floor, apart from the pipeline around it.
      name: 'sha256 + store.findKeyHolder',
      operation: (i) => store.findKeyHolder(sha256(sample[i % SAMPLE] ?? '')),
    },
  ])) as [Measurement, Measurement, Measurement, Measurement, Measurement, Measurement];
  await check(uncached, cached);
  await Promise.all([uncached.close(), uncounted.close(), cached.close()]);
  db.close();
  rmSync(dir, { recursive: true, force: true });
  printTable(`SQLite (file, WAL), ${ACCOUNTS.toLocaleString('en-GB')} accounts`, [
    { measurement: floor },
    { measurement: plain, base: floor, target: '≥ 0.7 ×' },
    { measurement: adapter, base: floor },
    { measurement: plain, base: adapter },
    { measurement: plain, base: narrowFloor },
    { measurement: warm, base: floor },
    { measurement: plain, base: off, target: '≥ 0.8 ×' },
  ]);
  return [floor, plain, warm];
}

async function postgresBench(): Promise<Measurement[]> {
  const url = process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
  const server = new pg.Pool({ connectionString: url, max: 4 });
  server.on('error', () => undefined);
  let pool: PgPool & { query: pg.Pool['query'] | PgPool['query'] } = server;
  let label = `PostgreSQL server (${new URL(url).host})`;
  let pglite: PGlite | null = null;
  try {
    await server.query('SELECT 1');
  } catch {
    await server.end();
    pglite = new PGlite();
    const db = pglite;
    pool = {
      query: async (text, values) => ({ rows: (await db.query(text, values)).rows as never[] }),
    };
    label = 'embedded PGlite (no server answered)';
  }
  const schema = `aa_bench_${randomBytes(4).toString('hex')}`;
  const store = postgresStore(pool, { schema });
  await store.migrate();
  const table = `"${schema}"."api_accounts"`;
  for (let start = 0; start < ACCOUNTS; start += 5_000) {
    const rows = rowsFor(start, Math.min(5_000, ACCOUNTS - start));
    await pool.query(
      `INSERT INTO ${table} (id, username, username_key, email, phone, active, version, created_at, updated_at, key_hash, key_issued_at)
       SELECT r.id, r.username, r.username_key, r.email, r.phone, true, 1, now(), now(), r.key_hash, now()
       FROM jsonb_to_recordset($1::jsonb) AS r(id text, username text, username_key text, email text, phone text, key_hash text)`,
      [JSON.stringify(rows)],
    );
  }
  await pool.query(`ANALYZE ${table}`);
  const text = `SELECT ${HOLDER_COLUMNS} FROM ${table} WHERE key_hash = $1`;
  const narrowText = `SELECT ${NARROW_COLUMNS} FROM ${table} WHERE key_hash = $1`;
  const uncached = manager(store, false);
  const cached = manager(store, true);
  await new Promise((resolve) => setTimeout(resolve, 200)); // the cache turns on once it listens
  await warmUp(cached);
  const prepared = (name: string, sql: string) => (i: number) =>
    pglite
      ? pool.query(sql, [sha256(sample[i % SAMPLE] ?? '')])
      : server.query({ name, text: sql, values: [sha256(sample[i % SAMPLE] ?? '')] });
  const [floor, narrowFloor, plain, warm] = (await measureInRounds([
    { name: 'floor: sha256 + prepared lookup', operation: prepared('bench-floor', text) },
    { name: 'narrow floor: 4 columns', operation: prepared('bench-narrow', narrowText) },
    {
      name: 'verifyApiKey, no cache',
      operation: (i) => uncached.verifyApiKey(sample[i % SAMPLE] ?? ''),
    },
    {
      name: 'verifyApiKey, cache on',
      operation: (i) => cached.verifyApiKey(sample[i % SAMPLE] ?? ''),
    },
  ])) as [Measurement, Measurement, Measurement, Measurement];
  await check(uncached, cached);
  await cached.close();
  await store.close();
  await pool.query(`DROP SCHEMA ${`"${schema}"`} CASCADE`);
  if (pglite) await pglite.close();
  else await server.end();
  printTable(`${label}, ${ACCOUNTS.toLocaleString('en-GB')} accounts`, [
    { measurement: floor },
    { measurement: plain, base: floor, target: '≥ 0.6 ×' },
    { measurement: plain, base: narrowFloor },
    { measurement: warm, base: plain, target: '≥ 20 ×' },
  ]);
  return [floor, plain, warm];
}

/** Verifies every key in rotation once, so the cached case measures hits, as a busy gateway would see. */
async function warmUp(cached: ApiAccountManager): Promise<void> {
  for (const key of sample) await cached.verifyApiKey(key);
}

/** The benchmark measures real verification: keys verify, and a wrong one does not. */
async function check(...managers: ApiAccountManager[]): Promise<void> {
  for (const m of managers) {
    const good = await m.verifyApiKey(keys[ACCOUNTS - 1] ?? '');
    const bad = await m.verifyApiKey(randomBytes(32).toString('base64'));
    if (good.isErr() || bad.isOk())
      throw new Error('verification answered wrongly during the benchmark');
  }
}

console.log(
  `verifyApiKey on storage: ${ACCOUNTS.toLocaleString('en-GB')} accounts, ${SAMPLE.toLocaleString('en-GB')} keys in rotation, sequential calls, node ${process.version}`,
);
await sqliteBench();
await postgresBench();
