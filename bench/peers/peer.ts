/**
 * The peer: better-auth's API key plugin verifying one key in a loop (rate
 * limiting off), on its memory adapter and on better-sqlite3, against
 * api-accounts' verifyApiKey on the same kind of store, in the same process.
 *
 * Lives in bench/peers with its own package.json so that the project's install
 * stays lean; `npm run bench` installs it on first use.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { apiKey } from '@better-auth/api-key';
import { betterAuth } from 'better-auth';
import { memoryAdapter } from 'better-auth/adapters/memory';
import { getMigrations } from 'better-auth/db/migration';
import Database from 'better-sqlite3';
import {
  type AccountStore,
  ApiAccountManager,
  inMemoryPorts,
  SETTINGS_ADMINISTRATOR,
} from '../../dist/index.js';
import { sqliteStore } from '../../dist/sqlite/index.js';
import { latestClaim } from '../../dist/testing/index.js';
import { CORE_ONLY } from '../accounts.js';
import { type Measurement, measure, printTable } from '../harness.js';

const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 2);

async function peerVerifier(
  database: Parameters<typeof betterAuth>[0]['database'],
  sqlite: boolean,
) {
  const options = {
    database,
    secret: randomBytes(32).toString('hex'),
    emailAndPassword: { enabled: true },
    plugins: [apiKey({ rateLimit: { enabled: false } })],
    logger: { disabled: true },
  } as const;
  if (sqlite) await (await getMigrations(options as never)).runMigrations();
  const auth = betterAuth(options as never) as unknown as {
    api: {
      signUpEmail(input: {
        body: { email: string; password: string; name: string };
      }): Promise<{ user: { id: string } }>;
      createApiKey(input: { body: { userId: string } }): Promise<{ key: string }>;
      verifyApiKey(input: { body: { key: string } }): Promise<{ valid: boolean }>;
    };
  };
  const { user } = await auth.api.signUpEmail({
    body: { email: 'peer@partner.example', password: 'correct horse battery', name: 'Peer' },
  });
  const { key } = await auth.api.createApiKey({ body: { userId: user.id } });
  const check = await auth.api.verifyApiKey({ body: { key } });
  if (!check.valid) throw new Error('the peer did not verify its own key');
  return () => auth.api.verifyApiKey({ body: { key } });
}

async function ourVerifier(store: AccountStore) {
  const ports = inMemoryPorts();
  const manager = new ApiAccountManager({
    ...ports,
    ...CORE_ONLY,
    store,
    claimUrl: (t) => `https://bo.example/claim?token=${t}`,
  });
  await manager.createAccount(
    { id: 'bench', roles: [SETTINGS_ADMINISTRATOR] },
    { username: 'Us', email: 'us@partner.example', phone: '+447894123456' },
  );
  const { apiKey: key } = (await manager.claimApiKey(latestClaim(ports)))._unsafeUnwrap();
  return () => manager.verifyApiKey(key);
}

const dir = mkdtempSync(join(tmpdir(), 'api-accounts-peer-'));
const rows: { measurement: Measurement; base?: Measurement; target?: string }[] = [];

const peerMemory = await measure(
  'better-auth api-key, memory adapter',
  await peerVerifier(
    memoryAdapter({ user: [], session: [], account: [], verification: [], apikey: [] }),
    false,
  ),
  SECONDS,
);
const oursMemory = await measure(
  'api-accounts verifyApiKey, in-memory store',
  await ourVerifier(inMemoryPorts().store),
  SECONDS,
);
rows.push(
  { measurement: peerMemory },
  { measurement: oursMemory, base: peerMemory, target: '≥ 100 ×' },
);

const peerDb = new Database(join(dir, 'peer.db'));
peerDb.pragma('journal_mode = WAL');
const peerSqlite = await measure(
  'better-auth api-key, better-sqlite3',
  await peerVerifier(peerDb, true),
  SECONDS,
);
const ourDb = new Database(join(dir, 'ours.db'));
ourDb.pragma('journal_mode = WAL');
const store = sqliteStore(ourDb);
await store.migrate();
const oursSqlite = await measure(
  'api-accounts verifyApiKey, sqliteStore',
  await ourVerifier(store),
  SECONDS,
);
rows.push(
  { measurement: peerSqlite },
  { measurement: oursSqlite, base: peerSqlite, target: '≥ 100 ×' },
);

printTable('The peer: one key verified in a loop, sequential calls (verifications/s)', rows);
peerDb.close();
ourDb.close();
rmSync(dir, { recursive: true, force: true });
