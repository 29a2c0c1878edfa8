/**
 * GitHub waits 30 s for an answer to a secret scanning report. A batch of
 * 1,000 live keys (the worst case: every one revoked, a claim opened and its
 * SMS and email sent) is answered by `githubSecretScanning` on SQLite (a
 * file), signature checked, against the floor of the same work through
 * another door: 1,000 `resetApiKey` calls on accounts of the same store.
 * Then the same batch again (every key already revoked: lookups only).
 *
 *   npm run bench -- secret-scanning
 */
import { generateKeyPairSync, sign } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiAccountManager, inMemoryPorts, SETTINGS_ADMINISTRATOR } from 'api-accounts';
import { githubSecretScanning } from 'api-accounts/secret-scanning';
import { sqliteStore } from 'api-accounts/sqlite';
import { latestClaim } from 'api-accounts/testing';
import Database from 'better-sqlite3';
import { type Measurement, printTable } from './harness.js';

const BATCH = 1000;
const admin = { id: 'bench', roles: [SETTINGS_ADMINISTRATOR] };
const dir = mkdtempSync(join(tmpdir(), 'api-accounts-leaks-'));
const db = new Database(join(dir, 'accounts.db'));
db.pragma('journal_mode = WAL');
const store = sqliteStore(db);
await store.migrate();
const ports = inMemoryPorts();
const manager = new ApiAccountManager({
  ...ports,
  store,
  keyFormat: { prefix: 'ak_bench' },
  claimUrl: (token) => `https://bo.example/claim?token=${token}`,
});

/** `count` accounts with claimed keys; their ids and keys. */
async function keyed(count: number, from: number) {
  const made = [];
  for (let i = from; i < from + count; i++) {
    const input = {
      username: `Partner ${i}`,
      email: `p${i}@partner.example`,
      phone: '+447894123456',
    };
    const { account } = (await manager.createAccount(admin, input))._unsafeUnwrap();
    const { apiKey } = (await manager.claimApiKey(latestClaim(ports)))._unsafeUnwrap();
    made.push({ id: account.id, apiKey });
  }
  return made;
}

const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const receiver = githubSecretScanning(manager, {
  publicKeys: async () => [
    {
      key_identifier: 'bench',
      key: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      is_current: true,
    },
  ],
});
const reportOf = (keys: readonly string[]) => {
  const body = JSON.stringify(
    keys.map((token) => ({
      token,
      type: 'api_accounts_key',
      url: 'https://github.com/o/r/blob/x/.env',
      source: 'content',
    })),
  );
  return new Request('https://bo.example/github/secret-scanning', {
    method: 'POST',
    body,
    headers: {
      'github-public-key-identifier': 'bench',
      'github-public-key-signature': sign('sha256', Buffer.from(body), privateKey).toString(
        'base64',
      ),
    },
  });
};

/** One timed batch, as a measurement of items per second. */
async function timed(
  name: string,
  run: () => Promise<void>,
): Promise<Measurement & { seconds: number }> {
  const started = performance.now();
  await run();
  const seconds = (performance.now() - started) / 1000;
  return { name, opsPerSecond: BATCH / seconds, operations: BATCH, seconds };
}

const resets = await keyed(BATCH, 0);
const floor = await timed(`${BATCH} resetApiKey calls (the floor)`, async () => {
  for (const { id } of resets)
    (await manager.resetApiKey(admin, id, { confirm: true }))._unsafeUnwrap();
});
const leaked = await keyed(BATCH, BATCH);
const tokens = leaked.map(({ apiKey }) => apiKey);
let labels: { label: string }[] = [];
const live = await timed(`report of ${BATCH} live keys, signed`, async () => {
  labels = (await (await receiver(reportOf(tokens))).json()) as { label: string }[];
});
if (labels.filter((entry) => entry.label === 'true_positive').length !== BATCH) {
  throw new Error('not every live key was answered true_positive');
}
const again = await timed(`the same report again (all revoked)`, async () => {
  labels = (await (await receiver(reportOf(tokens))).json()) as { label: string }[];
});
if (labels.some((entry) => entry.label !== 'false_positive')) {
  throw new Error('a revoked key was answered true_positive');
}
printTable(`Leak reports on SQLite (file, WAL): ${BATCH} tokens per report; GitHub waits 30 s`, [
  { measurement: floor },
  {
    measurement: live,
    base: floor,
    target: `answered in ${live.seconds.toFixed(2)} s (≤ a few s)`,
  },
  { measurement: again, base: floor, target: `answered in ${again.seconds.toFixed(2)} s` },
]);
await manager.close();
db.close();
rmSync(dir, { recursive: true, force: true });
