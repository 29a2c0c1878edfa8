/**
 * A database written by the 0.1.0 release (test/fixtures/v0.1.0, generated
 * with that release's code by generate.ts there) comes through `migrate()`
 * with every key, sealed secret, claim and event intact, on SQLite and on
 * PostgreSQL, also when two processes migrate it at once.
 */
import { readFileSync } from 'node:fs';
import { type AccountStore, ApiAccountManager, aesGcmSealer, inMemoryPorts } from 'api-accounts';
import { describe, expect } from 'vitest';
import { admin, signedRequest } from '../helpers.js';
import { upgradeCases } from './upgrade-harness.js';

const fixtures = new URL('../fixtures/v0.1.0/', import.meta.url);
interface FixtureAccount {
  readonly id: string;
  readonly username: string;
  readonly state: 'active' | 'inactive' | 'pending';
  readonly apiKey?: string;
  readonly revokedKey?: string;
  readonly claim?: { readonly token: string; readonly code: string; readonly attemptsUsed: number };
  readonly history: readonly string[];
}
const manifest = JSON.parse(readFileSync(new URL('manifest.json', fixtures), 'utf8')) as {
  readonly sealingKeyHex: string;
  readonly sealingKeyId: string;
  readonly createdAt: string;
  readonly schema: string;
  readonly accounts: readonly FixtureAccount[];
};

/** Everything 0.1.0 wrote must still hold, read through today's manager, and the new columns work. */
async function expectEverythingIntact(store: AccountStore) {
  const ports = inMemoryPorts();
  ports.clock.set(new Date(Date.parse(manifest.createdAt) + 3_600_000));
  const manager = new ApiAccountManager({
    ...ports,
    store,
    sealer: aesGcmSealer({
      keys: { [manifest.sealingKeyId]: Buffer.from(manifest.sealingKeyHex, 'hex') },
      current: manifest.sealingKeyId,
    }),
    claimUrl: (token) => `https://bo.example/claim?token=${token}`,
    // Declared only now: accounts from 0.1.0 never had scopes set, so they hold all of them.
    scopes: { 'customers:read': 'Read customers', 'orders:write': 'Create orders' },
    defaultScopes: [],
  });
  const url = 'https://bo.example/api/v3/customers';
  for (const account of manifest.accounts) {
    const stored = (await manager.getAccount(admin, account.id))._unsafeUnwrap();
    expect(stored.username).toBe(account.username);
    // Keys issued by 0.1.0 never expire, and no rotation is under way.
    expect(stored).toMatchObject({ keyExpiresAt: null, previousKeyEndsAt: null });
    // Migration 3: the access they had, everything from anywhere without a limit.
    expect(stored).toMatchObject({
      scopes: ['customers:read', 'orders:write'],
      allowedIps: [],
      rateLimit: null,
    });
    const history = (await manager.accountHistory(admin, account.id))._unsafeUnwrap();
    expect(history.items.map((event) => event.type)).toEqual(account.history);
    if (account.apiKey) {
      const bearer = await manager.verifyApiKey(account.apiKey);
      const signed = await manager.verifySignedRequest(
        await signedRequest(
          { username: account.username, apiKey: account.apiKey },
          { method: 'POST', url, body: '{"a":1}' },
          ports.clock.now(),
        ),
      );
      if (account.state === 'active') {
        expect(bearer._unsafeUnwrap()).toMatchObject({
          accountId: account.id,
          keyState: 'current',
          scopes: ['customers:read', 'orders:write'],
          rateLimit: null,
        });
        expect(signed._unsafeUnwrap().accountId).toBe(account.id);
        // A key from 0.1.0 can be rotated: it works on as the previous key, for both schemes.
        (await manager.rotateApiKey(admin, account.id, { confirm: true }))._unsafeUnwrap();
        expect((await manager.verifyApiKey(account.apiKey))._unsafeUnwrap().keyState).toBe(
          'previous',
        );
        const signedAgain = await manager.verifySignedRequest(
          await signedRequest(
            { username: account.username, apiKey: account.apiKey },
            { method: 'GET', url },
            ports.clock.now(),
          ),
        );
        expect(signedAgain._unsafeUnwrap().keyState).toBe('previous');
      } else {
        expect(bearer._unsafeUnwrapErr().type).toBe('AccountInactive');
        expect(signed._unsafeUnwrapErr().type).toBe('AccountInactive');
      }
    }
    if (account.revokedKey) {
      expect((await manager.verifyApiKey(account.revokedKey))._unsafeUnwrapErr()).toMatchObject({
        type: 'InvalidKey',
        reason: 'unknown_key',
      });
    }
    if (account.claim) {
      // Claimable, so pending, and listed as such.
      expect(stored.claimPending).toBe(true);
      const { token, code, attemptsUsed } = account.claim;
      const preview = (await manager.inspectClaim(token))._unsafeUnwrap();
      expect(preview.attemptsRemaining).toBe(5 - attemptsUsed);
      const claimed = (await manager.claimApiKey({ token, code }))._unsafeUnwrap();
      expect((await manager.verifyApiKey(claimed.apiKey))._unsafeUnwrap().accountId).toBe(
        account.id,
      );
    }
  }
  // The columns and table migration 2 added work on the old rows: usage, last use, listing.
  (await manager.flushUsage())._unsafeUnwrap();
  const now = ports.clock.now();
  const used = manifest.accounts.find((account) => account.apiKey && account.state === 'active');
  if (used) {
    const usage = (
      await manager.accountUsage(admin, used.id, { from: now, to: now })
    )._unsafeUnwrap();
    expect(usage.items[0]?.accepted).toBeGreaterThan(0);
    expect((await manager.getAccount(admin, used.id))._unsafeUnwrap().lastUsedAt).toEqual(now);
  }
  // The access columns migration 3 added take changes on the old rows, and verification follows them.
  if (used?.apiKey) {
    await manager.updateAccount(admin, used.id, {
      scopes: ['customers:read'],
      allowedIps: ['203.0.113.0/24'],
      rateLimit: { limit: 1, windowMs: 60_000 },
    });
    expect((await manager.verifyApiKey(used.apiKey))._unsafeUnwrapErr().type).toBe('IpNotAllowed');
    const home = { clientIp: '203.0.113.7' };
    expect((await manager.verifyApiKey(used.apiKey, home))._unsafeUnwrap().scopes).toEqual([
      'customers:read',
    ]);
    expect((await manager.verifyApiKey(used.apiKey, home))._unsafeUnwrapErr().type).toBe(
      'RateLimited',
    );
  }
  const listed = (
    await manager.listAccounts(admin, { sort: 'lastUsedAt', limit: 200 })
  )._unsafeUnwrap();
  expect(listed.total).toBe(manifest.accounts.length);
  expect(listed.items.map((account) => account.id).sort()).toEqual(
    manifest.accounts.map((account) => account.id).sort(),
  );
  await manager.close();
}

describe('a 0.1.0 database, upgraded', () => {
  upgradeCases(fixtures, manifest.schema, expectEverythingIntact);
});
