import assert from 'node:assert/strict';
import type { AccountAccess, AccountStore } from '../ports/account-store.js';
import type { ContractCase } from './contract.js';
import { at, changeOf, eventFor, issuedKey, newAccount } from './store-fixtures.js';

type Check = (name: string, body: (store: AccountStore) => Promise<void>) => ContractCase;

const RESTRICTED: AccountAccess = {
  scopes: ['customers:read', 'orders:write'],
  allowedIps: ['203.0.113.0/24', '2001:db8::/32'],
  rateLimit: { limit: 600, windowMs: 60_000 },
  quota: { limit: 1_000_000, period: 'month' },
};

/**
 * The cases of access policy (migrations 3 and 5): scopes, allowed
 * addresses, a rate limit and a quota stored with the account, handed to verification with its key,
 * changed atomically with the rest of a change, and the before and after of
 * access events kept. Part of `accountStoreContract`.
 */
export function accessStoreCases(check: Check): ContractCase[] {
  return [
    check(
      'stores scopes, allowed addresses and a rate limit, and hands them to verification',
      async (store) => {
        const key = { ...issuedKey(), sealedSecret: 'k1.c2VhbGVk' };
        const account = newAccount({ key, claim: null, access: RESTRICTED });
        await store.insertAccount(account, []);
        assert.deepEqual((await store.findAccountById(account.id))?.access, RESTRICTED);
        assert.deepEqual((await store.findKeyHolder(key.hash))?.access, RESTRICTED);
        assert.deepEqual(
          (await store.findSigner('default', account.usernameKey))?.access,
          RESTRICTED,
        );
      },
    ),

    check(
      'keeps scopes never set apart from no scopes, and no rate limit apart from one',
      async (store) => {
        const unset = newAccount({
          access: { scopes: null, allowedIps: [], rateLimit: null, quota: null },
        });
        const none = newAccount({
          access: { scopes: [], allowedIps: [], rateLimit: null, quota: null },
        });
        await store.insertAccount(unset, []);
        await store.insertAccount(none, []);
        assert.deepEqual((await store.findAccountById(unset.id))?.access, unset.access);
        assert.deepEqual((await store.findAccountById(none.id))?.access, none.access);
      },
    ),

    check(
      'changes access with the rest of a change, and keeps what access events changed',
      async (store) => {
        const key = issuedKey();
        const account = newAccount({ key, claim: null });
        await store.insertAccount(account, []);
        const changes = {
          scopes: { before: [], after: ['customers:read'] },
          allowedIps: { before: [], after: ['203.0.113.0/24'] },
          rateLimit: { before: null, after: { limit: 10, windowMs: 1_000 } },
          quota: { before: null, after: { limit: 5_000_000_000, period: 'day' as const } },
        };
        const next: AccountAccess = {
          scopes: ['customers:read'],
          allowedIps: ['203.0.113.0/24'],
          rateLimit: { limit: 10, windowMs: 1_000 },
          // Past 2^32: the store keeps a quota's limit whole, however large.
          quota: { limit: 5_000_000_000, period: 'day' },
        };
        const changed = await store.applyAccountChange(
          changeOf(account, {
            access: next,
            active: false,
            events: [
              { ...eventFor(account, 'account.scopes_changed', at(5000)), changes },
              eventFor(account, 'account.deactivated', at(5000)),
            ],
          }),
        );
        assert.equal(changed.outcome, 'applied');
        if (changed.outcome !== 'applied') return;
        assert.deepEqual(changed.account.access, next);
        assert.equal(changed.account.active, false);
        assert.deepEqual((await store.findKeyHolder(key.hash))?.access, next);
        const history = await store.listEvents(account.id);
        assert.deepEqual(history.at(-2)?.changes, changes);
        assert.equal(history.at(-1)?.changes, undefined);
        // A change that leaves access out leaves it as it is.
        const renamed = await store.applyAccountChange(changeOf(changed.account, { active: true }));
        assert.equal(renamed.outcome, 'applied');
        if (renamed.outcome === 'applied') assert.deepEqual(renamed.account.access, next);
        const cleared = await store.applyAccountChange(
          changeOf(renamed.outcome === 'applied' ? renamed.account : account, {
            access: { scopes: null, allowedIps: [], rateLimit: null, quota: null },
          }),
        );
        assert.equal(cleared.outcome, 'applied');
        assert.deepEqual((await store.findKeyHolder(key.hash))?.access, {
          scopes: null,
          allowedIps: [],
          rateLimit: null,
          quota: null,
        });
      },
    ),
  ];
}
