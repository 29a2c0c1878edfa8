import assert from 'node:assert/strict';
import type { AccountRecord, AccountStore } from '../ports/account-store.js';
import type { ContractCase } from './contract.js';
import { at, changeOf, eventFor, issuedKey, newAccount } from './store-fixtures.js';

type Check = (name: string, body: (store: AccountStore) => Promise<void>) => ContractCase;

/** Two accounts with one username and one email, each in its own venue. */
function twins() {
  const shared = { username: 'ACME', usernameKey: 'acme', email: 'dev@acme.example' };
  const a = newAccount({ ...shared, tenant: 'venue-a', key: issuedKey(), claim: null });
  const b = newAccount({ ...shared, tenant: 'venue-b', key: issuedKey(), claim: null });
  return { a, b };
}

/**
 * The cases of tenants (migration 4): usernames and emails unique within a
 * tenant only, atomically; keys unique across tenants and found with their
 * tenant; signers looked up within one tenant; reads confined to a list of
 * tenants answering another tenant's account as a missing one. Part of
 * `accountStoreContract`.
 */
export function tenantStoreCases(check: Check): ContractCase[] {
  return [
    check('lets two tenants hold the same username and email', async (store) => {
      const { a, b } = twins();
      assert.deepEqual(await store.insertAccount(a, [eventFor(a, 'account.created')]), {
        outcome: 'inserted',
      });
      assert.deepEqual(await store.insertAccount(b, [eventFor(b, 'account.created')]), {
        outcome: 'inserted',
      });
      assert.deepEqual(await store.findAccountById(b.id), b);
      const third = newAccount({ tenant: 'venue-a', username: 'acme', usernameKey: 'acme' });
      assert.deepEqual(await store.insertAccount(third, []), { outcome: 'username_taken' });
      const fourth = newAccount({ tenant: 'venue-b', email: 'dev@acme.example' });
      assert.deepEqual(await store.insertAccount(fourth, []), { outcome: 'email_taken' });
    }),

    check(
      'of concurrent inserts of one email in one tenant, exactly one wins; another tenant is apart',
      async (store) => {
        const email = 'race@acme.example';
        const racers = Array.from({ length: 10 }, (_, i) =>
          newAccount({
            tenant: 'venue-a',
            email,
            username: `Racer ${i}`,
            usernameKey: `racer ${i}`,
          }),
        );
        const elsewhere = newAccount({ tenant: 'venue-b', email });
        const outcomes = await Promise.all(
          [...racers, elsewhere].map((account) => store.insertAccount(account, [])),
        );
        const won = outcomes.slice(0, 10).filter((o) => o.outcome === 'inserted');
        assert.equal(won.length, 1);
        assert.deepEqual(outcomes[10], { outcome: 'inserted' });
      },
    ),

    check('keeps a change from taking a name its own tenant holds, not another', async (store) => {
      const { a, b } = twins();
      const other = newAccount({ tenant: 'venue-a', username: 'Other', usernameKey: 'other' });
      for (const account of [a, b, other]) await store.insertAccount(account, []);
      const profile = {
        username: 'ACME',
        usernameKey: 'acme',
        email: 'x@o.example',
        phone: other.phone,
      };
      assert.deepEqual(await store.applyAccountChange(changeOf(other, { profile })), {
        outcome: 'username_taken',
      });
      const moved = newAccount({ tenant: 'venue-c', username: 'Other', usernameKey: 'other' });
      await store.insertAccount(moved, []);
      const applied = await store.applyAccountChange(changeOf(moved, { profile }));
      assert.equal(applied.outcome, 'applied');
      assert.equal(applied.outcome === 'applied' && applied.account.tenant, 'venue-c');
    }),

    check(
      'finds a key in any tenant with its tenant, or within the tenant asked only',
      async (store) => {
        const { a, b } = twins();
        await store.insertAccount(a, []);
        await store.insertAccount(b, []);
        const [keyA, keyB] = [a.key?.hash ?? '', b.key?.hash ?? ''];
        assert.equal((await store.findKeyHolder(keyA))?.tenant, 'venue-a');
        assert.equal((await store.findKeyHolder(keyB))?.tenant, 'venue-b');
        assert.equal((await store.findKeyHolder(keyA, 'venue-a'))?.accountId, a.id);
        assert.equal(await store.findKeyHolder(keyA, 'venue-b'), null);
        // A rotation's previous key too.
        const moved = await store.applyAccountChange(
          changeOf(a, {
            revokeKey: true,
            previousKey: {
              hash: keyA,
              sealedSecret: null,
              supersededAt: at(1),
              endsAt: at(86_400_000),
              graceAfterClaimMs: null,
            },
          }),
        );
        assert.equal(moved.outcome, 'applied');
        assert.equal((await store.findKeyHolder(keyA, 'venue-a'))?.keyState, 'previous');
        assert.equal(await store.findKeyHolder(keyA, 'venue-b'), null);
      },
    ),

    check('finds a signer within the tenant asked only', async (store) => {
      const { a, b } = twins();
      await store.insertAccount(a, []);
      await store.insertAccount(b, []);
      assert.equal((await store.findSigner('venue-a', 'acme'))?.accountId, a.id);
      assert.equal((await store.findSigner('venue-b', 'acme'))?.accountId, b.id);
      assert.equal((await store.findSigner('default', 'acme'))?.accountId, undefined);
      assert.equal(await store.findSigner('venue-c', 'acme'), null);
    }),

    check(
      "answers another tenant's account, and its history, as missing when reads are confined",
      async (store) => {
        const { a } = twins();
        await store.insertAccount(a, [eventFor(a, 'account.created')]);
        assert.deepEqual(await store.findAccountById(a.id, ['venue-a', 'venue-b']), a);
        assert.equal(await store.findAccountById(a.id, ['venue-b']), null);
        assert.equal(await store.findAccountById(a.id, []), null);
        assert.equal((await store.listEvents(a.id, ['venue-a'])).length, 1);
        assert.deepEqual(await store.listEvents(a.id, ['venue-b']), []);
        // A deleted account's one remaining entry stays in its tenant.
        await store.deleteAccount(a.id, a.version, eventFor(a, 'account.deleted', at(1000)));
        assert.deepEqual(await store.listEvents(a.id, ['venue-b']), []);
        assert.deepEqual(
          (await store.listEvents(a.id, ['venue-a'])).map((event) => [event.type, event.tenant]),
          [['account.deleted', 'venue-a']],
        );
      },
    ),

    check("lists and counts one tenant's accounts, or several tenants'", async (store) => {
      const { a, b } = twins();
      const c = newAccount({ tenant: 'venue-c' });
      for (const account of [a, b, c]) await store.insertAccount(account, []);
      const now = at(0);
      const list = async (tenants?: readonly string[]) =>
        (
          await store.listAccounts({
            limit: 10,
            after: null,
            sort: 'username',
            filter: tenants ? { tenants } : {},
            now,
          })
        ).map((account) => account.id);
      assert.deepEqual(await list(['venue-b']), [b.id]);
      assert.deepEqual((await list(['venue-a', 'venue-c'])).sort(), [a.id, c.id].sort());
      assert.deepEqual(await list([]), []);
      assert.equal((await list()).length, 3);
      assert.equal(await store.countAccounts({ filter: { tenants: ['venue-a'] }, now }), 1);
      // Two tenants' accounts with one username page through without a skip or a repeat.
      const page = (after: AccountRecord | null) =>
        store.listAccounts({
          limit: 1,
          after,
          sort: 'username',
          filter: { tenants: ['venue-a', 'venue-b'] },
          now,
        });
      const [only] = await page(null);
      assert.ok(only);
      const second = await page(only);
      assert.deepEqual(
        [only.id, second[0]?.id].sort(),
        [a.id, b.id].sort(),
        'both twins, one on each page',
      );
    }),
  ];
}
