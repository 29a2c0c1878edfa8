/**
 * verifyApiKey and verifySignedRequest on the in-memory store with 100k
 * accounts, against floors measured in the same process:
 *
 * - bearer floor: SHA-256 of the key (one-shot `crypto.hash`) plus one `Map` lookup;
 * - signed floor: one HMAC-SHA1 plus one MD5 of the body plus one `Map` lookup.
 *
 * The async floor is the same work returned as a `ResultAsync` and awaited, as
 * every method of the SDK must be: it shows what the promise alone costs. The
 * ceiling is the least an uncached verification must do on top of the floor
 * (see `leastUncachedVerification`): how fast any implementation could be.
 *
 * Part of `npm run bench`, which runs against the built package (dist/).
 */
import { createHmac, hash, randomBytes } from 'node:crypto';
import {
  ApiAccountManager,
  aesGcmSealer,
  inMemoryPorts,
  type SecretSealer,
  signRequest,
} from 'api-accounts';
import { okAsync } from 'neverthrow';
import { CORE_ONLY, keyedAccount } from './accounts.js';
import { type Measurement, measureInRounds, printTable } from './harness.js';

const ACCOUNTS = Number(process.env['BENCH_ACCOUNTS'] ?? 100_000);
const SAMPLE = 10_000;
const sealer: SecretSealer = aesGcmSealer({ keys: { k1: randomBytes(32) }, current: 'k1' });

const secrets = Array.from({ length: ACCOUNTS }, () => randomBytes(32));
const keys = secrets.map((secret) => secret.toString('base64'));

/** An in-memory store holding `ACCOUNTS` accounts with keys (and sealed secrets), inserted directly. */
async function populatedPorts() {
  const ports = inMemoryPorts();
  const now = ports.clock.now();
  for (let i = 0; i < ACCOUNTS; i++) {
    const id = `acct_bench${String(i).padStart(17, '0')}`;
    const sealedSecret = i < SAMPLE ? await sealer.seal(secrets[i] ?? new Uint8Array(), id) : null;
    const record = keyedAccount({
      id,
      name: `Bench ${i}`,
      apiKey: keys[i] ?? '',
      now,
      sealedSecret,
    });
    await ports.store.insertAccount(record, []);
  }
  return ports;
}

const ports = await populatedPorts();
/** Usage counting is on unless `usage` is false, as for a host. */
const manager = (cached: boolean, usage = true) =>
  new ApiAccountManager({
    ...ports,
    ...CORE_ONLY,
    claimUrl: (t) => t,
    sealer,
    ...(cached ? { verifyCache: { ttlMs: 600_000, maxEntries: 100_000 } } : {}),
    ...(usage ? {} : { usage: false }),
  });
const uncached = manager(false);
const cached = manager(true);
const uncounted = manager(false, false);
const cachedUncounted = manager(true, false);
await new Promise((resolve) => setTimeout(resolve, 10)); // the cache turns on once subscribed

// Bearer: the floor is what any verifier must do, a digest and a lookup.
const digests = new Map(keys.map((key, i) => [hash('sha256', key, 'hex'), i]));
for (const key of keys.slice(0, SAMPLE)) {
  await cached.verifyApiKey(key);
  await cachedUncounted.verifyApiKey(key);
}
const holders = new Map(
  keys.map((key, i) => {
    const keyHash = hash('sha256', key, 'hex');
    return [keyHash, { accountId: `acct_${i}`, username: `Bench ${i}`, active: true, keyHash }];
  }),
);
const bearer = (await measureInRounds([
  {
    name: 'floor: sha256 + Map.get',
    operation: (i) => digests.get(hash('sha256', keys[i % SAMPLE] ?? '', 'hex')),
  },
  {
    name: 'async floor: the same, as ResultAsync',
    operation: (i) => okAsync(digests.get(hash('sha256', keys[i % SAMPLE] ?? '', 'hex'))),
  },
  {
    name: 'ceiling: least an uncached verify must do',
    operation: (i) => leastUncachedVerification(keys[i % SAMPLE] ?? ''),
  },
  {
    name: 'verifyApiKey, no cache',
    operation: (i) => uncached.verifyApiKey(keys[i % SAMPLE] ?? ''),
  },
  { name: 'verifyApiKey, cache on', operation: (i) => cached.verifyApiKey(keys[i % SAMPLE] ?? '') },
  {
    name: 'verifyApiKey, no cache, usage off',
    operation: (i) => uncounted.verifyApiKey(keys[i % SAMPLE] ?? ''),
  },
  {
    name: 'verifyApiKey, cache on, usage off',
    operation: (i) => cachedUncounted.verifyApiKey(keys[i % SAMPLE] ?? ''),
  },
])) as [Measurement, Measurement, Measurement, Measurement, Measurement, Measurement, Measurement];
printTable(`Bearer keys, in-memory store, ${ACCOUNTS.toLocaleString('en-GB')} accounts`, [
  { measurement: bearer[0] },
  { measurement: bearer[1], base: bearer[0] },
  { measurement: bearer[2], base: bearer[0] },
  { measurement: bearer[3], base: bearer[0] },
  { measurement: bearer[4], base: bearer[0] },
  { measurement: bearer[3], base: bearer[2] },
  { measurement: bearer[4], base: bearer[1] },
  { measurement: bearer[3], base: bearer[5], target: '≥ 0.8 ×' },
  { measurement: bearer[4], base: bearer[6], target: '≥ 0.8 ×' },
]);

/**
 * The least any uncached verification that keeps the SPEC's promises can do,
 * written flat with nothing else: the digest and the lookup of the floor, a
 * check that the store's answer has the right shape, a constant-time
 * comparison of the digests, a principal, and a `ResultAsync` to return it in.
 * No key format check, no error handling, no logging: a ceiling, not a design.
 */
function leastUncachedVerification(key: string) {
  const digest = hash('sha256', key, 'hex');
  const holder: unknown = holders.get(digest) ?? null;
  const h = holder as { accountId: unknown; username: unknown; active: unknown; keyHash: unknown };
  const found =
    typeof holder === 'object' &&
    holder !== null &&
    typeof h.accountId === 'string' &&
    typeof h.username === 'string' &&
    typeof h.active === 'boolean' &&
    typeof h.keyHash === 'string' &&
    h.keyHash.length === digest.length;
  let difference = found ? 0 : 1;
  for (let i = 0; found && i < digest.length; i++)
    difference |= digest.charCodeAt(i) ^ (h.keyHash as string).charCodeAt(i);
  return okAsync(
    difference === 0
      ? { accountId: h.accountId, username: h.username, mode: 'system-owner', scheme: 'bearer' }
      : null,
  );
}

// Signed: a POST with a JSON body, signed as a partner's client would.
const url = 'https://box-office.example/acme/api/v3/customers?sort=name';
const body = JSON.stringify({ firstName: 'Zoë', lastName: 'Example', email: 'zoe@example.com' });
const date = ports.clock.now().toUTCString();
const requests = await Promise.all(
  keys.slice(0, 1000).map(async (apiKey, i) => {
    const signed = (
      await signRequest({ method: 'POST', url, body, username: `Bench ${i}`, apiKey, date })
    )._unsafeUnwrap();
    return {
      method: 'POST',
      url,
      body,
      headers: { authorization: signed.authorization, date: signed.date },
    };
  }),
);
const usernames = new Map(keys.map((_, i) => [`bench ${i}`, secrets[i] ?? new Uint8Array()]));
const text = `POST\n${url}\n${date}\n`;
for (const request of requests) await cached.verifySignedRequest(request);
const signedFloor = (i: number) => {
  const secret = usernames.get(`bench ${i % 1000}`) ?? new Uint8Array();
  const md5 = hash('md5', body, 'base64');
  return createHmac('sha1', secret)
    .update(text + md5)
    .digest('base64');
};
const signed = (await measureInRounds([
  { name: 'floor: HMAC-SHA1 + MD5 + Map.get', operation: signedFloor },
  { name: 'async floor: the same, as ResultAsync', operation: (i) => okAsync(signedFloor(i)) },
  {
    name: 'verifySignedRequest, no cache',
    operation: (i) => uncached.verifySignedRequest(requests[i % 1000] as never),
  },
  {
    name: 'verifySignedRequest, cache on',
    operation: (i) => cached.verifySignedRequest(requests[i % 1000] as never),
  },
])) as [Measurement, Measurement, Measurement, Measurement];
printTable(
  'SpektrixAPI3 signed POST, in-memory store (no cache: unseals the secret with AES-256-GCM each time)',
  [
    { measurement: signed[0] },
    { measurement: signed[1], base: signed[0] },
    { measurement: signed[2], base: signed[0] },
    { measurement: signed[3], base: signed[0] },
    { measurement: signed[3], base: signed[1] },
  ],
);

for (const m of [uncached, cached]) {
  const ok = await m.verifySignedRequest(requests[0] as never);
  const wrong = await m.verifyApiKey(randomBytes(32).toString('base64'));
  if (ok.isErr() || wrong.isOk())
    throw new Error('verification answered wrongly during the benchmark');
}
await Promise.all([uncached, cached, uncounted, cachedUncounted].map((m) => m.close()));
