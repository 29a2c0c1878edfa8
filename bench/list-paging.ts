/**
 * listAccounts pages on SQLite and PostgreSQL with 200,000 accounts created
 * at one instant (an import, a migration): a page deep in the list must cost
 * what the first page costs, since the store seeks its (created_at, id) index
 * to the cursor instead of reading the tied rows before it.
 *
 *   npm run bench -- list-paging   (PostgreSQL at DATABASE_URL, default the local server)
 *
 * Part of `npm run bench`, which runs against the built package (dist/).
 */

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AccountStore } from 'api-accounts';
import type { AccountPosition } from 'api-accounts/ports';
import { postgresStore } from 'api-accounts/postgres';
import { sqliteStore } from 'api-accounts/sqlite';
import Database from 'better-sqlite3';
import pg from 'pg';
import { measureInRounds, printTable } from './harness.js';

const ACCOUNTS = Number(process.env['BENCH_ACCOUNTS'] ?? 200_000);
const PAGE = 20;
const CREATED = new Date('2026-01-01T00:00:00Z');
const idOf = (i: number) => `acct_page${String(i).padStart(18, '0')}`;

/** A page of every account in `sort` order after `after`, as the manager asks for one. */
const listing = (sort: 'createdAt' | 'lastUsedAt', after: AccountPosition | null) =>
  ({ limit: PAGE, after, sort, filter: {}, now: new Date() }) as const;

/**
 * The first page against one deep in the list, in creation order (every
 * account created at one instant) and in last-use order (none ever used):
 * both orders are one long tie that only the id breaks.
 */
async function measurePaging(label: string, store: AccountStore): Promise<void> {
  const deep: AccountPosition = {
    createdAt: CREATED,
    id: idOf(ACCOUNTS - PAGE - 1),
    usernameKey: '',
    lastUsedAt: null,
  };
  const rows = [];
  for (const sort of ['createdAt', 'lastUsedAt'] as const) {
    const [first, last] = await Promise.all([
      store.listAccounts(listing(sort, null)),
      store.listAccounts(listing(sort, deep)),
    ]);
    if (first[0]?.id !== idOf(0) || last[0]?.id !== idOf(ACCOUNTS - PAGE)) {
      throw new Error(`${label}: the pages by ${sort} hold the wrong accounts`);
    }
    const [top, bottom] = await measureInRounds([
      { name: `by ${sort}: first page`, operation: () => store.listAccounts(listing(sort, null)) },
      {
        name: `by ${sort}: page at depth ${(ACCOUNTS - PAGE).toLocaleString('en-GB')}`,
        operation: () => store.listAccounts(listing(sort, deep)),
      },
    ]);
    if (!top || !bottom) throw new Error('no measurement');
    rows.push({ measurement: top }, { measurement: bottom, base: top, target: '≈ 1 ×' });
  }
  printTable(
    `${label}, ${ACCOUNTS.toLocaleString('en-GB')} accounts created at one instant, none used`,
    rows,
  );
}

function row(i: number) {
  return {
    id: idOf(i),
    username: `Page ${i}`,
    username_key: `page ${i}`,
    email: `page${i}@partner.example`,
    phone: '+447894123456',
    at: CREATED.getTime(),
  };
}

async function sqlite(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'api-accounts-paging-'));
  const db = new Database(join(dir, 'paging.db'));
  db.pragma('journal_mode = WAL');
  const store = sqliteStore(db);
  await store.migrate();
  const insert = db.prepare(
    `INSERT INTO "api_accounts" (id, username, username_key, email, phone, active, version, created_at, updated_at)
     VALUES (@id, @username, @username_key, @email, @phone, 1, 1, @at, @at)`,
  );
  db.transaction(() => {
    for (let i = 0; i < ACCOUNTS; i++) insert.run(row(i));
  })();
  db.exec('ANALYZE');
  await measurePaging('SQLite (file, WAL)', store);
  db.close();
  rmSync(dir, { recursive: true, force: true });
}

async function postgres(): Promise<void> {
  const url = process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  const schema = `aa_paging_${process.pid}`;
  const store = postgresStore(pool, { schema });
  await store.migrate();
  const table = `"${schema}"."api_accounts"`;
  for (let start = 0; start < ACCOUNTS; start += 10_000) {
    const rows = Array.from({ length: Math.min(10_000, ACCOUNTS - start) }, (_, j) =>
      row(start + j),
    );
    await pool.query(
      `INSERT INTO ${table} (id, username, username_key, email, phone, active, version, created_at, updated_at)
       SELECT r.id, r.username, r.username_key, r.email, r.phone, true, 1, $2, $2
       FROM jsonb_to_recordset($1::jsonb) AS r(id text, username text, username_key text, email text, phone text)`,
      [JSON.stringify(rows), CREATED],
    );
  }
  await pool.query(`ANALYZE ${table}`);
  await measurePaging(`PostgreSQL server (${new URL(url).host})`, store);
  await pool.query(`DROP SCHEMA "${schema}" CASCADE`);
  await pool.end();
}

await sqlite();
await postgres();
