/**
 * A database written by the 0.2 line before tenants (test/fixtures/v0.2,
 * schema 3, generated with that code by generate.ts there) comes through
 * migration 4 with every account, key, rotation, access policy, claim, usage
 * row and event intact and in the tenant 'default', on SQLite and on
 * PostgreSQL, also when two processes migrate it at once; and the tenant
 * column works on the old rows.
 */
import { readFileSync } from 'node:fs';
import {
  type AccountStore,
  ApiAccountManager,
  aesGcmSealer,
  inMemoryPorts,
  SETTINGS_ADMINISTRATOR,
} from 'api-accounts';
import { describe, expect } from 'vitest';
import { admin, signedRequest } from '../helpers.js';
import { upgradeCases } from './upgrade-harness.js';

const fixtures = new URL('../fixtures/v0.2/', import.meta.url);
interface FixtureAccount {
  readonly id: string;
  readonly username: string;
  readonly email: string;
  readonly state: 'active' | 'rotating' | 'inactive' | 'pending';
  readonly apiKey?: string;
  readonly previousKey?: string;
  readonly claim?: { readonly token: string; readonly code: string };
  readonly scopes: readonly string[];
  readonly allowedIps?: readonly string[];
  readonly rateLimit?: { readonly limit: number; readonly windowMs: number };
  readonly usage?: { readonly accepted: number; readonly refused: number };
  readonly history: readonly string[];
}
const manifest = JSON.parse(readFileSync(new URL('manifest.json', fixtures), 'utf8')) as {
  readonly sealingKeyHex: string;
  readonly sealingKeyId: string;
  readonly createdAt: string;
  readonly deletedAccountId: string;
  readonly schema: string;
  readonly accounts: readonly FixtureAccount[];
};

async function expectEverythingIntact(store: AccountStore) {
  const ports = inMemoryPorts();
  const createdAt = new Date(manifest.createdAt);
  ports.clock.set(new Date(createdAt.getTime() + 3_600_000));
  const manager = new ApiAccountManager({
    ...ports,
    store,
    sealer: aesGcmSealer({
      keys: { [manifest.sealingKeyId]: Buffer.from(manifest.sealingKeyHex, 'hex') },
      current: manifest.sealingKeyId,
    }),
    claimUrl: (token) => `https://bo.example/claim?token=${token}`,
    scopes: { 'customers:read': 'Read customers', 'orders:write': 'Create orders' },
    defaultScopes: ['customers:read'],
  });
  const url = 'https://bo.example/api/v3/customers';
  const home = { clientIp: '203.0.113.5' };
  for (const account of manifest.accounts) {
    const stored = (await manager.getAccount(admin, account.id))._unsafeUnwrap();
    expect(stored).toMatchObject({
      tenant: 'default',
      username: account.username,
      email: account.email,
      scopes: account.scopes,
      allowedIps: account.allowedIps ?? [],
      rateLimit: account.rateLimit ?? null,
    });
    const history = (await manager.accountHistory(admin, account.id))._unsafeUnwrap().items;
    expect(history.map((event) => event.type)).toEqual(account.history);
    expect(new Set(history.map((event) => event.tenant))).toEqual(new Set(['default']));
    if (account.usage) {
      const usage = (
        await manager.accountUsage(admin, account.id, { from: createdAt, to: createdAt })
      )._unsafeUnwrap();
      expect(usage.items).toEqual([{ day: manifest.createdAt.slice(0, 10), ...account.usage }]);
    }
    if (account.apiKey) {
      const bearer = await manager.verifyApiKey(account.apiKey, home);
      const signed = await manager.verifySignedRequest({
        ...(await signedRequest(
          { username: account.username, apiKey: account.apiKey },
          { method: 'GET', url },
          ports.clock.now(),
        )),
        ...home,
      });
      if (account.state === 'active') {
        expect(bearer._unsafeUnwrap()).toMatchObject({ accountId: account.id, tenant: 'default' });
        expect(signed._unsafeUnwrap()).toMatchObject({ accountId: account.id, tenant: 'default' });
        // A tenant named in the request that is not the account's is no key at all.
        expect(
          (
            await manager.verifyApiKey(account.apiKey, { ...home, tenant: 'venue-b' })
          )._unsafeUnwrapErr(),
        ).toMatchObject({ type: 'InvalidKey', reason: 'unknown_key' });
      } else {
        expect(bearer._unsafeUnwrapErr().type).toBe('AccountInactive');
        expect(signed._unsafeUnwrapErr().type).toBe('AccountInactive');
      }
    }
    if (account.previousKey) {
      // The rotation's previous key still works in its grace period, for both schemes.
      expect((await manager.verifyApiKey(account.previousKey))._unsafeUnwrap()).toMatchObject({
        keyState: 'previous',
        tenant: 'default',
      });
    }
    if (account.claim) {
      const claimed = (await manager.claimApiKey(account.claim))._unsafeUnwrap();
      expect((await manager.verifyApiKey(claimed.apiKey))._unsafeUnwrap().accountId).toBe(
        account.id,
      );
    }
  }
  // The deleted account keeps its one anonymised entry, in 'default'.
  const gone = (await manager.accountHistory(admin, manifest.deletedAccountId))._unsafeUnwrap()
    .items;
  expect(gone.map((event) => [event.type, event.tenant])).toEqual([['account.deleted', 'default']]);
  // Another venue may now hold the same username and email, and its administrator sees only it.
  const venueAdmin = { id: 'venue-b-admin', roles: [SETTINGS_ADMINISTRATOR], tenants: ['venue-b'] };
  const [first] = manifest.accounts;
  const twin = await manager.createAccount(venueAdmin, {
    tenant: 'venue-b',
    username: first?.username ?? '',
    email: first?.email ?? '',
    phone: '+447894123456',
  });
  expect(twin._unsafeUnwrap().account.tenant).toBe('venue-b');
  const listed = (await manager.listAccounts(venueAdmin, {}))._unsafeUnwrap();
  expect(listed.items.map((account) => account.username)).toEqual([first?.username]);
  expect((await manager.getAccount(venueAdmin, first?.id ?? ''))._unsafeUnwrapErr().type).toBe(
    'AccountNotFound',
  );
  expect((await manager.listAccounts(admin, {}))._unsafeUnwrap().total).toBe(
    manifest.accounts.length,
  );
  await manager.close();
}

describe('a 0.2 database (schema 3), upgraded to tenants', () => {
  upgradeCases(fixtures, manifest.schema, expectEverythingIntact);
});
