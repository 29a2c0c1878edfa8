/**
 * What an uncached signed request costs for a username that exists, one that
 * does not, and one whose key is not claimed yet: all three must do the same
 * work (one store lookup, one unseal, two HMACs), so that timing does not tell
 * an attacker which usernames exist. Prints each against the known username,
 * measured in the same run; the ratios should sit near 1.
 *
 * Part of `npm run bench`, which runs against the built package (dist/).
 */
import { randomBytes } from 'node:crypto';
import {
  ApiAccountManager,
  aesGcmSealer,
  inMemoryPorts,
  SETTINGS_ADMINISTRATOR,
  signRequest,
} from 'api-accounts';
import { latestClaim } from 'api-accounts/testing';
import { measureInRounds, printTable } from './harness.js';

const ports = inMemoryPorts();
const manager = new ApiAccountManager({
  ...ports,
  sealer: aesGcmSealer({ keys: { k1: randomBytes(32) }, current: 'k1' }),
  claimUrl: (token) => `https://box-office.example/claim?token=${token}`,
});
const admin = { id: 'bench', roles: [SETTINGS_ADMINISTRATOR] };
const create = async (username: string, n: number) => {
  const input = { username, email: `p${n}@partner.example`, phone: '+447894123456' };
  (await manager.createAccount(admin, input))._unsafeUnwrap();
  return latestClaim(ports);
};
const claim = await create('Known Ltd', 1);
const { apiKey } = (await manager.claimApiKey(claim))._unsafeUnwrap();
await create('Keyless Ltd', 2);

const url = 'https://box-office.example/api/v3/customers';
const date = ports.clock.now().toUTCString();
const requestFor = async (username: string) => {
  const signed = (
    await signRequest({ method: 'GET', url, username, apiKey, date })
  )._unsafeUnwrap();
  return { method: 'GET', url, headers: { authorization: signed.authorization, date } };
};
const cases = await Promise.all(
  [
    { name: 'known username', username: 'Known Ltd' },
    { name: 'unknown username', username: 'Nobody Ltd' },
    { name: 'username without a key', username: 'Keyless Ltd' },
  ].map(async ({ name, username }) => {
    const request = await requestFor(username);
    return { name, operation: () => manager.verifySignedRequest(request) };
  }),
);
const [base, ...others] = await measureInRounds(cases);
if (!base) throw new Error('no measurement');
printTable('Signed requests, uncached: the same cost whether the username exists', [
  { measurement: base },
  ...others.map((measurement) => ({ measurement, base, target: '≈ 1 ×' })),
]);
