/**
 * What an uncached signed request with a wrong signature costs for a username
 * that exists, one that does not, one whose key is not claimed yet, and one
 * in a rotation (two keys): what someone without a key can time. All four
 * must do the same work (one store lookup, two unseals, every candidate
 * string under two secrets), so that timing does not tell who exists. Each
 * is printed against the known username, measured in the same run, in memory
 * and on SQLite; the ratios should sit within 0.9–1.1 ×. A right signature
 * stops at its first match and costs less: that answer says it matched anyway.
 * Then bearer keys with a tenant named: another tenant's key against an
 * unknown one (both are refused as `unknown_key`), within the same 0.9–1.1 ×.
 *
 * Part of `npm run bench`, which runs against the built package (dist/).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type AccountStore,
  ApiAccountManager,
  aesGcmSealer,
  inMemoryPorts,
  SETTINGS_ADMINISTRATOR,
  signRequest,
} from 'api-accounts';
import { sqliteStore } from 'api-accounts/sqlite';
import { latestClaim } from 'api-accounts/testing';
import Database from 'better-sqlite3';
import { CORE_ONLY } from './accounts.js';
import { measureInRounds, printTable } from './harness.js';

async function timings(label: string, store: AccountStore) {
  const ports = inMemoryPorts();
  const manager = new ApiAccountManager({
    ...ports,
    ...CORE_ONLY,
    store,
    sealer: aesGcmSealer({ keys: { k1: randomBytes(32) }, current: 'k1' }),
    claimUrl: (token) => `https://box-office.example/claim?token=${token}`,
  });
  const admin = { id: 'bench', roles: [SETTINGS_ADMINISTRATOR] };
  const create = async (username: string, n: number) => {
    const input = { username, email: `p${n}@partner.example`, phone: '+447894123456' };
    const created = (await manager.createAccount(admin, input))._unsafeUnwrap();
    return { id: created.account.id, claim: latestClaim(ports) };
  };
  const known = await create('Known Ltd', 1);
  const { apiKey } = (await manager.claimApiKey(known.claim))._unsafeUnwrap();
  await create('Keyless Ltd', 2);
  const rotating = await create('Rotating Ltd', 3);
  (await manager.claimApiKey(rotating.claim))._unsafeUnwrap();
  (await manager.rotateApiKey(admin, rotating.id, { confirm: true }))._unsafeUnwrap();
  (await manager.claimApiKey(latestClaim(ports)))._unsafeUnwrap();

  const url = 'https://box-office.example/api/v3/customers';
  const date = ports.clock.now().toUTCString();
  // Signed with Known Ltd's key: right for Known Ltd, wrong for every other username.
  const requestFor = (username: string, wrong: boolean) => {
    const signed = signRequest({ method: 'GET', url, username, apiKey, date })._unsafeUnwrap();
    const authorization = wrong
      ? signed.authorization.replace(/:.*$/, ':AAAAAAAAAAAAAAAAAAAAAAAAAAA=')
      : signed.authorization;
    return { method: 'GET', url, headers: { authorization, date } };
  };
  const cases = [
    { name: 'known username, wrong signature', request: requestFor('Known Ltd', true) },
    { name: 'unknown username', request: requestFor('Nobody Ltd', false) },
    { name: 'username without a key', request: requestFor('Keyless Ltd', false) },
    { name: 'username in a rotation, wrong signature', request: requestFor('Rotating Ltd', true) },
    { name: 'known username, right signature', request: requestFor('Known Ltd', false) },
  ].map(({ name, request }) => ({
    name,
    operation: () => manager.verifySignedRequest(request),
  }));
  // A bearer key of another tenant where the request names one: refused as an unknown key, and timed as one.
  const venueAdmin = { id: 'bench', roles: [SETTINGS_ADMINISTRATOR], tenants: '*' as const };
  const elsewhere = {
    username: 'Elsewhere Ltd',
    email: 'e@partner.example',
    phone: '+447894123456',
  };
  (await manager.createAccount(venueAdmin, { ...elsewhere, tenant: 'venue-b' }))._unsafeUnwrap();
  const { apiKey: otherKey } = (await manager.claimApiKey(latestClaim(ports)))._unsafeUnwrap();
  const unknownKey = randomBytes(32).toString('base64');
  const bearer = [
    { name: 'bearer, unknown key', key: unknownKey },
    { name: "bearer, another tenant's key", key: otherKey },
  ].map(({ name, key }) => ({
    name,
    operation: () => manager.verifyApiKey(key, { tenant: 'default' }),
  }));
  const [base, unknown, keyless, inRotation, right, bearerUnknown, bearerOther] =
    await measureInRounds([...cases, ...bearer]);
  if (!base || !unknown || !keyless || !inRotation || !right || !bearerUnknown || !bearerOther) {
    throw new Error('no measurement');
  }
  printTable(
    `Signed requests, uncached, ${label}: a refusal costs the same whoever the username names`,
    [
      { measurement: base },
      ...[unknown, keyless, inRotation].map((measurement) => ({
        measurement,
        base,
        target: '0.9–1.1 ×',
      })),
      { measurement: right, base, target: '(accepted: not a timing question)' },
    ],
  );
  printTable(
    `Bearer keys, uncached, ${label}: another tenant's key costs what an unknown one does`,
    [
      { measurement: bearerUnknown },
      { measurement: bearerOther, base: bearerUnknown, target: '0.9–1.1 ×' },
    ],
  );
  await manager.close();
}

await timings('in memory', inMemoryPorts().store);
const file = join(mkdtempSync(join(tmpdir(), 'api-accounts-signer-')), 'accounts.db');
const db = new Database(file);
db.pragma('journal_mode = WAL');
const sqlite = sqliteStore(db);
await sqlite.migrate();
await timings('SQLite', sqlite);
await sqlite.close();
