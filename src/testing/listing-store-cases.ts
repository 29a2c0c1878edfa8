import assert from 'node:assert/strict';
import type {
  AccountFilter,
  AccountPosition,
  AccountRecord,
  AccountSort,
  AccountStore,
} from '../ports/account-store.js';
import type { ContractCase } from './contract.js';
import { at, issuedKey, newAccount, openClaim, positionOf, T0 } from './store-fixtures.js';

type Check = (name: string, body: (store: AccountStore) => Promise<void>) => ContractCase;

/** Every account `filter` lets through in `sort` order, read `limit` at a time. */
async function pageAll(
  store: AccountStore,
  sort: AccountSort,
  filter: AccountFilter = {},
  limit = 2,
): Promise<string[]> {
  const seen: string[] = [];
  let after: AccountPosition | null = null;
  for (let page = 0; page < 100; page++) {
    const records: AccountRecord[] = await store.listAccounts({
      limit,
      after,
      sort,
      filter,
      now: at(60_000),
    });
    seen.push(...records.map((record) => record.id));
    const last = records.at(-1);
    if (records.length < limit || !last) return seen;
    after = positionOf(last);
  }
  return seen;
}

/** Six accounts, one of each kind a listing tells apart (names in ASCII, so every collation agrees). */
async function sixAccounts(store: AccountStore) {
  const named = (username: string, email: string, overrides: Partial<AccountRecord>) =>
    newAccount({ username, usernameKey: username.toLowerCase(), email, ...overrides });
  const accounts = {
    pending: named('Delta Tickets', 'ops@delta.example', { createdAt: at(1000) }),
    expired: named('Echo Events', 'dev@echo.example', {
      createdAt: at(2000),
      claim: openClaim({ expiresAt: at(30_000) }),
    }),
    locked: named('Alpha Arts', 'api@alpha.example', {
      createdAt: at(3000),
      claim: openClaim({ attempts: 5, maxAttempts: 5 }),
    }),
    issued: named('Bravo Box', 'dev@bravo.example', {
      createdAt: at(4000),
      key: issuedKey(),
      claim: null,
      lastUsedAt: at(50_000),
    }),
    idle: named('Charlie Co', 'delta-team@charlie.example', {
      createdAt: at(5000),
      key: issuedKey(),
      claim: null,
      lastUsedAt: at(10_000),
    }),
    off: named('Foxtrot', 'f@foxtrot.example', {
      createdAt: at(6000),
      key: issuedKey(),
      claim: null,
      active: false,
    }),
  };
  for (const account of Object.values(accounts)) {
    assert.deepEqual(await store.insertAccount(account, []), { outcome: 'inserted' });
  }
  return accounts;
}

/**
 * The cases of listing with filters, sorts and a total. Part of
 * `accountStoreContract`.
 */
export function listingStoreCases(check: Check): ContractCase[] {
  return [
    check(
      'filters by switch, by state (a pending claim is one that can still be completed), by last use',
      async (store) => {
        const a = await sixAccounts(store);
        const ids = (list: readonly AccountRecord[]) => list.map((record) => record.id).sort();
        const expect = async (filter: AccountFilter, expected: AccountRecord[]) => {
          const listed = await pageAll(store, 'createdAt', filter);
          assert.deepEqual([...listed].sort(), ids(expected), JSON.stringify(filter));
          assert.equal(await store.countAccounts({ filter, now: at(60_000) }), expected.length);
        };
        await expect({}, Object.values(a));
        await expect({ active: false }, [a.off]);
        await expect({ active: true }, [a.pending, a.expired, a.locked, a.issued, a.idle]);
        await expect({ state: 'claim_pending' }, [a.pending]);
        await expect({ state: 'key_issued' }, [a.issued, a.idle, a.off]);
        await expect({ state: 'no_key' }, [a.expired, a.locked]);
        await expect({ unusedSince: at(20_000) }, [a.pending, a.expired, a.locked, a.idle, a.off]);
        await expect({ state: 'key_issued', active: true, unusedSince: at(20_000) }, [a.idle]);
      },
    ),

    check('searches a prefix of the username key or of the email', async (store) => {
      const a = await sixAccounts(store);
      const search = async (prefix: string) =>
        await pageAll(store, 'username', { search: { usernameKey: prefix, email: prefix } }, 10);
      assert.deepEqual(await search('delta'), [a.idle.id, a.pending.id]);
      assert.deepEqual(await search('dev@'), [a.issued.id, a.expired.id]);
      assert.deepEqual(await search('bravo box'), [a.issued.id]);
      assert.deepEqual(await search('box'), []);
      // Wildcards of LIKE are plain characters here.
      assert.deepEqual(await search('%'), []);
      assert.deepEqual(await search('_'), []);
      assert.equal(
        await store.countAccounts({
          filter: { search: { usernameKey: 'd', email: 'd' } },
          now: at(60_000),
        }),
        4,
      );
    }),

    check(
      'sorts by username and by last use (never used first), a page at a time, ties by id',
      async (store) => {
        const a = await sixAccounts(store);
        assert.deepEqual(await pageAll(store, 'username'), [
          a.locked.id,
          a.issued.id,
          a.idle.id,
          a.pending.id,
          a.expired.id,
          a.off.id,
        ]);
        const neverUsed = [a.pending.id, a.expired.id, a.locked.id, a.off.id].sort();
        assert.deepEqual(await pageAll(store, 'lastUsedAt'), [
          ...neverUsed,
          a.idle.id,
          a.issued.id,
        ]);
        assert.deepEqual(await pageAll(store, 'lastUsedAt', {}, 1), [
          ...neverUsed,
          a.idle.id,
          a.issued.id,
        ]);
        assert.deepEqual(await pageAll(store, 'createdAt', { active: true }, 1), [
          a.pending.id,
          a.expired.id,
          a.locked.id,
          a.issued.id,
          a.idle.id,
        ]);
        assert.equal(T0.getTime() < at(1).getTime(), true);
      },
    ),
  ];
}
