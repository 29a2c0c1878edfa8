import assert from 'node:assert/strict';
import type {
  AccountPosition,
  AccountRecord,
  AccountStore,
  ChangePage,
} from '../ports/account-store.js';
import { accessStoreCases } from './access-store-cases.js';
import type { ContractCase, ContractSuite, MaybePromise } from './contract.js';
import { keyLifecycleStoreCases } from './key-lifecycle-store-cases.js';
import { listingStoreCases } from './listing-store-cases.js';
import { checkingAnswers } from './store-answer-shapes.js';
import {
  at,
  changeOf,
  eventFor,
  everyAccount,
  issuedKey,
  newAccount,
  openClaim,
  positionOf,
  randomAccountId,
  randomDigest,
} from './store-fixtures.js';
import { tenantStoreCases } from './tenant-store-cases.js';

/** What `findKeyHolder` must answer for an account holding a key. */
function holderOf(account: AccountRecord) {
  return {
    accountId: account.id,
    tenant: account.tenant,
    username: account.username,
    active: account.active,
    keyHash: account.key?.hash,
    keyState: 'current',
    expiresAt: account.key?.expiresAt ?? null,
    supersededAt: null,
    access: account.access,
  };
}

/**
 * Options of {@link accountStoreContract}.
 *
 * @example
 * ```ts
 * accountStoreContract(makeStore, { parallelInserts: 100, parallelClaims: 40 });
 * ```
 */
export interface AccountStoreContractOptions {
  /** Parallel callers in the "exactly one wins" cases. Default 50 for inserts, 20 for claims. */
  readonly parallelInserts?: number;
  readonly parallelClaims?: number;
}

/**
 * The contract every {@link AccountStore} must pass: every answer has the
 * shape the port declares, field by field; what it stores comes back
 * unchanged; uniqueness, optimistic versions, single-use claims and the attempt
 * counter hold, including under concurrent calls; a failed write leaves nothing
 * behind.
 *
 * `makeStore` is called once per case and must return an empty store (a fresh
 * schema, truncated tables, or a new in-memory store).
 *
 * @example
 * ```ts
 * import { describe, it } from 'vitest';
 * import { accountStoreContract, runContractSuite } from 'api-accounts/testing';
 *
 * runContractSuite(accountStoreContract(() => createMyStore()), { describe, it });
 * ```
 */
export function accountStoreContract(
  makeStore: () => MaybePromise<AccountStore>,
  options: AccountStoreContractOptions = {},
): ContractSuite {
  const parallelInserts = options.parallelInserts ?? 50;
  const parallelClaims = options.parallelClaims ?? 20;
  const withStore =
    (body: (store: AccountStore) => Promise<void>): ContractCase['run'] =>
    async () =>
      body(checkingAnswers(await makeStore()));
  const check = (name: string, body: (store: AccountStore) => Promise<void>): ContractCase => ({
    name,
    run: withStore(body),
  });

  return {
    name: 'AccountStore contract',
    cases: [
      check('returns an inserted account unchanged, by id and by claim token', async (store) => {
        const account = newAccount({
          username: 'Ünïcødé Tickets 🎟',
          usernameKey: 'ünïcødé tickets 🎟',
        });
        assert.deepEqual(
          await store.insertAccount(account, [eventFor(account, 'account.created')]),
          {
            outcome: 'inserted',
          },
        );
        assert.deepEqual(await store.findAccountById(account.id), account);
        assert.deepEqual(
          await store.findAccountByClaimToken(account.claim?.tokenHash ?? ''),
          account,
        );
      }),

      check('answers null for unknown ids, key hashes and claim tokens', async (store) => {
        await store.insertAccount(newAccount(), []);
        assert.equal(await store.findAccountById(randomAccountId()), null);
        assert.equal(await store.findKeyHolder(randomDigest()), null);
        assert.equal(await store.findAccountByClaimToken(randomDigest()), null);
      }),

      check(
        'hands out copies: mutating a returned record changes nothing stored',
        async (store) => {
          const account = newAccount();
          await store.insertAccount(account, []);
          const copy = (await store.findAccountById(account.id)) as {
            -readonly [K in keyof AccountRecord]: AccountRecord[K];
          };
          copy.username = 'changed';
          copy.createdAt.setTime(0);
          assert.deepEqual(await store.findAccountById(account.id), account);
        },
      ),

      check('refuses a second account with the same username, ignoring case', async (store) => {
        const first = newAccount({ username: 'ACME Tickets', usernameKey: 'acme tickets' });
        await store.insertAccount(first, []);
        const second = newAccount({ username: 'acme TICKETS', usernameKey: 'acme tickets' });
        assert.deepEqual(await store.insertAccount(second, [eventFor(second, 'account.created')]), {
          outcome: 'username_taken',
        });
        assert.equal(await store.findAccountById(second.id), null);
        assert.deepEqual(await store.listEvents(second.id), []);
      }),

      check('refuses a second account with the same email', async (store) => {
        const first = newAccount({ email: 'dev@acme.example' });
        await store.insertAccount(first, []);
        const second = newAccount({ email: 'dev@acme.example' });
        assert.deepEqual(await store.insertAccount(second, [eventFor(second, 'account.created')]), {
          outcome: 'email_taken',
        });
        assert.equal(await store.findAccountById(second.id), null);
        assert.deepEqual(await store.listEvents(second.id), []);
      }),

      check(
        `of ${parallelInserts} concurrent inserts with one email, exactly one succeeds`,
        async (store) => {
          const accounts = Array.from({ length: parallelInserts }, () =>
            newAccount({ email: 'race@acme.example' }),
          );
          const outcomes = await Promise.all(
            accounts.map((account) =>
              store.insertAccount(account, [eventFor(account, 'account.created')]),
            ),
          );
          assert.equal(outcomes.filter((o) => o.outcome === 'inserted').length, 1);
          assert.equal(
            outcomes.filter((o) => o.outcome === 'email_taken').length,
            parallelInserts - 1,
          );
          const page = await store.listAccounts(everyAccount(parallelInserts * 2));
          assert.equal(page.length, 1);
        },
      ),

      check(
        'lists accounts in (createdAt, id) order, a page at a time, without skips or repeats',
        async (store) => {
          const accounts = Array.from({ length: 7 }, (_, i) =>
            newAccount({ createdAt: at(Math.floor(i / 2) * 1000), updatedAt: at(0) }),
          );
          for (const account of [...accounts].reverse()) await store.insertAccount(account, []);
          const expected = [...accounts]
            .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : 1))
            .map((a) => a.id);
          const seen: string[] = [];
          let after: AccountPosition | null = null;
          for (let page = 0; page < 10; page++) {
            const records: AccountRecord[] = await store.listAccounts(everyAccount(3, after));
            seen.push(...records.map((r) => r.id));
            const last = records.at(-1);
            if (records.length < 3 || !last) break;
            after = positionOf(last);
          }
          assert.deepEqual(seen, expected);
        },
      ),

      check(
        'applies a change at the expected version, bumping the version by one',
        async (store) => {
          const account = newAccount();
          await store.insertAccount(account, []);
          const outcome = await store.applyAccountChange(
            changeOf(account, {
              active: false,
              events: [eventFor(account, 'account.deactivated', at(5000))],
            }),
          );
          assert.equal(outcome.outcome, 'applied');
          const stored = await store.findAccountById(account.id);
          assert.deepEqual(stored, { ...account, active: false, version: 2, updatedAt: at(5000) });
          assert.deepEqual(outcome.outcome === 'applied' ? outcome.account : null, stored);
        },
      ),

      check('refuses a change based on a stale version and writes nothing', async (store) => {
        const account = newAccount();
        await store.insertAccount(account, []);
        await store.applyAccountChange(changeOf(account, { active: false }));
        const stale = await store.applyAccountChange(
          changeOf(account, { active: true, events: [eventFor(account, 'account.reactivated')] }),
        );
        assert.deepEqual(stale, { outcome: 'version_conflict' });
        assert.equal((await store.findAccountById(account.id))?.active, false);
        assert.deepEqual(
          (await store.listEvents(account.id)).map((e) => e.type),
          ['account.updated'],
        );
      }),

      check('of concurrent changes from one version, exactly one is applied', async (store) => {
        const account = newAccount();
        await store.insertAccount(account, []);
        const outcomes = await Promise.all(
          Array.from({ length: 10 }, (_, i) =>
            store.applyAccountChange(changeOf(account, { active: i % 2 === 0 })),
          ),
        );
        assert.equal(outcomes.filter((o) => o.outcome === 'applied').length, 1);
        assert.equal((await store.findAccountById(account.id))?.version, 2);
      }),

      check('answers not_found for a change to an unknown account', async (store) => {
        const ghost = newAccount();
        assert.deepEqual(await store.applyAccountChange(changeOf(ghost, { active: false })), {
          outcome: 'not_found',
        });
        assert.deepEqual(await store.listEvents(ghost.id), []);
      }),

      check('keeps usernames and emails unique when a change would collide', async (store) => {
        const taken = newAccount({
          username: 'Taken',
          usernameKey: 'taken',
          email: 'taken@acme.example',
        });
        const account = newAccount();
        await store.insertAccount(taken, []);
        await store.insertAccount(account, []);
        const profile = {
          username: account.username,
          usernameKey: account.usernameKey,
          email: account.email,
          phone: account.phone,
        };
        assert.deepEqual(
          await store.applyAccountChange(
            changeOf(account, { profile: { ...profile, username: 'TAKEN', usernameKey: 'taken' } }),
          ),
          { outcome: 'username_taken' },
        );
        assert.deepEqual(
          await store.applyAccountChange(
            changeOf(account, { profile: { ...profile, email: 'taken@acme.example' } }),
          ),
          { outcome: 'email_taken' },
        );
        assert.deepEqual(await store.findAccountById(account.id), account);
        assert.deepEqual(await store.listEvents(account.id), []);
        const own = await store.applyAccountChange(
          changeOf(account, { profile: { ...profile, username: account.username.toUpperCase() } }),
        );
        assert.equal(
          own.outcome,
          'applied',
          'changing only the case of its own username is allowed',
        );
      }),

      check('frees an old username and email for others once changed', async (store) => {
        const account = newAccount({
          username: 'Old',
          usernameKey: 'old',
          email: 'old@acme.example',
        });
        await store.insertAccount(account, []);
        await store.applyAccountChange(
          changeOf(account, {
            profile: {
              username: 'New',
              usernameKey: 'new',
              email: 'new@acme.example',
              phone: account.phone,
            },
          }),
        );
        const reuse = newAccount({
          username: 'Old',
          usernameKey: 'old',
          email: 'old@acme.example',
        });
        assert.deepEqual(await store.insertAccount(reuse, []), { outcome: 'inserted' });
      }),

      check('completes a claim once: the key is stored and the claim consumed', async (store) => {
        const account = newAccount();
        await store.insertAccount(account, []);
        const tokenHash = account.claim?.tokenHash ?? '';
        const key = issuedKey(at(2000));
        const done = await store.completeClaim(
          account.id,
          tokenHash,
          key,
          at(2000),
          eventFor(account, 'key.claimed', at(2000)),
        );
        assert.equal(done.outcome, 'completed');
        const expected = { ...account, key, claim: null, version: 2, updatedAt: at(2000) };
        assert.deepEqual(done.outcome === 'completed' ? done.account : null, expected);
        assert.deepEqual(await store.findKeyHolder(key.hash), holderOf(expected));
        assert.equal(await store.findAccountByClaimToken(tokenHash), null);
        const again = await store.completeClaim(
          account.id,
          tokenHash,
          issuedKey(),
          at(2001),
          eventFor(account, 'key.claimed'),
        );
        assert.deepEqual(again, { outcome: 'gone' });
        assert.deepEqual(await store.findKeyHolder(key.hash), holderOf(expected));
      }),

      check(
        `of ${parallelClaims} concurrent completions of one claim, exactly one succeeds`,
        async (store) => {
          const account = newAccount();
          await store.insertAccount(account, []);
          const tokenHash = account.claim?.tokenHash ?? '';
          const keys = Array.from({ length: parallelClaims }, () => issuedKey(at(2000)));
          const outcomes = await Promise.all(
            keys.map((key) =>
              store.completeClaim(
                account.id,
                tokenHash,
                key,
                at(2000),
                eventFor(account, 'key.claimed'),
              ),
            ),
          );
          assert.equal(outcomes.filter((o) => o.outcome === 'completed').length, 1);
          const working = [];
          for (const key of keys) if (await store.findKeyHolder(key.hash)) working.push(key);
          assert.equal(working.length, 1, 'exactly one key is stored');
          assert.equal(
            (await store.listEvents(account.id)).filter((e) => e.type === 'key.claimed').length,
            1,
          );
        },
      ),

      check('refuses to complete an expired, locked, inactive or unknown claim', async (store) => {
        const expired = newAccount({ claim: openClaim({ expiresAt: at(1000) }) });
        const locked = newAccount({ claim: openClaim({ attempts: 5, maxAttempts: 5 }) });
        const inactive = newAccount({ active: false });
        for (const account of [expired, locked, inactive]) await store.insertAccount(account, []);
        const complete = (account: AccountRecord, tokenHash = account.claim?.tokenHash ?? '') =>
          store.completeClaim(
            account.id,
            tokenHash,
            issuedKey(),
            at(1000),
            eventFor(account, 'key.claimed'),
          );
        assert.deepEqual(await complete(expired), { outcome: 'expired' });
        assert.deepEqual(await complete(locked), { outcome: 'locked' });
        assert.deepEqual(await complete(inactive), { outcome: 'inactive' });
        assert.deepEqual(await complete(inactive, randomDigest()), { outcome: 'gone' });
        for (const account of [expired, locked, inactive]) {
          assert.deepEqual(await store.findAccountById(account.id), account);
          assert.deepEqual(await store.listEvents(account.id), []);
        }
      }),

      check(
        'counts wrong codes up to the limit and never beyond, without a version bump',
        async (store) => {
          const account = newAccount({ claim: openClaim({ maxAttempts: 3 }) });
          await store.insertAccount(account, []);
          const tokenHash = account.claim?.tokenHash ?? '';
          const fail = () =>
            store.recordFailedClaimAttempt(
              account.id,
              tokenHash,
              eventFor(account, 'claim.code_rejected'),
            );
          assert.deepEqual(await fail(), { outcome: 'counted', attempts: 1, maxAttempts: 3 });
          assert.deepEqual(await fail(), { outcome: 'counted', attempts: 2, maxAttempts: 3 });
          assert.deepEqual(await fail(), { outcome: 'counted', attempts: 3, maxAttempts: 3 });
          assert.deepEqual(await fail(), { outcome: 'locked' });
          const stored = await store.findAccountById(account.id);
          assert.equal(stored?.claim?.attempts, 3);
          assert.equal(stored?.version, 1);
          assert.equal((await store.listEvents(account.id)).length, 3);
          assert.deepEqual(
            await store.recordFailedClaimAttempt(
              account.id,
              randomDigest(),
              eventFor(account, 'claim.code_rejected'),
            ),
            { outcome: 'gone' },
          );
        },
      ),

      check(
        `of ${parallelClaims} concurrent wrong codes, the counter stops at the limit`,
        async (store) => {
          const account = newAccount();
          await store.insertAccount(account, []);
          const tokenHash = account.claim?.tokenHash ?? '';
          const outcomes = await Promise.all(
            Array.from({ length: parallelClaims }, () =>
              store.recordFailedClaimAttempt(
                account.id,
                tokenHash,
                eventFor(account, 'claim.code_rejected'),
              ),
            ),
          );
          assert.equal(outcomes.filter((o) => o.outcome === 'counted').length, 5);
          assert.equal(outcomes.filter((o) => o.outcome === 'locked').length, parallelClaims - 5);
          assert.equal((await store.findAccountById(account.id))?.claim?.attempts, 5);
          assert.equal((await store.listEvents(account.id)).length, 5);
        },
      ),

      check(
        'a later change keeps the attempt count (no lost update of the counter)',
        async (store) => {
          const account = newAccount();
          await store.insertAccount(account, []);
          const tokenHash = account.claim?.tokenHash ?? '';
          await store.recordFailedClaimAttempt(
            account.id,
            tokenHash,
            eventFor(account, 'claim.code_rejected'),
          );
          await store.recordFailedClaimAttempt(
            account.id,
            tokenHash,
            eventFor(account, 'claim.code_rejected'),
          );
          await store.applyAccountChange(changeOf(account, { active: false }));
          assert.equal((await store.findAccountById(account.id))?.claim?.attempts, 2);
        },
      ),

      check(
        'revoking the key stops its lookup at once; opening a claim replaces the old one',
        async (store) => {
          const key = issuedKey();
          const account = newAccount({ key, claim: null });
          await store.insertAccount(account, []);
          assert.deepEqual(await store.findKeyHolder(key.hash), holderOf(account));
          const claim = openClaim({ openedAt: at(5000) });
          const outcome = await store.applyAccountChange(
            changeOf(account, {
              revokeKey: true,
              claim: { kind: 'open', claim },
              events: [eventFor(account, 'key.reset')],
            }),
          );
          assert.equal(outcome.outcome, 'applied');
          assert.equal(await store.findKeyHolder(key.hash), null);
          const reopened = await store.findAccountByClaimToken(claim.tokenHash);
          assert.deepEqual(reopened?.claim, claim);
          assert.equal(reopened?.key, null);

          const next = openClaim();
          const current = reopened ?? account;
          await store.applyAccountChange(
            changeOf(current, { claim: { kind: 'open', claim: next } }),
          );
          assert.equal(await store.findAccountByClaimToken(claim.tokenHash), null);
          assert.equal((await store.findAccountByClaimToken(next.tokenHash))?.id, account.id);
          const stale = await store.completeClaim(
            account.id,
            claim.tokenHash,
            issuedKey(),
            at(6000),
            eventFor(account, 'key.claimed'),
          );
          assert.deepEqual(stale, { outcome: 'gone' });
        },
      ),

      check('finds a signer by case-folded username, with its sealed secret', async (store) => {
        const key = { ...issuedKey(), sealedSecret: 'k1.aXY.c2VhbGVk' };
        const account = newAccount({
          username: 'Signer Ltd',
          usernameKey: 'signer ltd',
          key,
          claim: null,
        });
        const pending = newAccount({ username: 'Pending', usernameKey: 'pending' });
        await store.insertAccount(account, []);
        await store.insertAccount(pending, []);
        assert.deepEqual(await store.findSigner('default', 'signer ltd'), {
          accountId: account.id,
          tenant: account.tenant,
          username: 'Signer Ltd',
          active: true,
          keyHash: key.hash,
          sealedSecret: 'k1.aXY.c2VhbGVk',
          keyExpiresAt: null,
          previous: null,
          access: account.access,
        });
        assert.equal(
          await store.findSigner('default', 'Signer Ltd'),
          null,
          'the lookup is by the folded key, as given',
        );
        assert.equal(await store.findSigner('default', 'nobody'), null);
        assert.deepEqual(await store.findSigner('default', 'pending'), {
          accountId: pending.id,
          tenant: pending.tenant,
          username: 'Pending',
          active: true,
          keyHash: null,
          sealedSecret: null,
          keyExpiresAt: null,
          previous: null,
          access: pending.access,
        });
        await store.applyAccountChange(changeOf(account, { revokeKey: true, active: false }));
        assert.deepEqual(await store.findSigner('default', 'signer ltd'), {
          accountId: account.id,
          tenant: account.tenant,
          username: 'Signer Ltd',
          active: false,
          keyHash: null,
          sealedSecret: null,
          keyExpiresAt: null,
          previous: null,
          access: account.access,
        });
      }),

      check('cancelling a claim makes its token unknown', async (store) => {
        const account = newAccount();
        await store.insertAccount(account, []);
        await store.applyAccountChange(changeOf(account, { claim: { kind: 'cancel' } }));
        assert.equal(await store.findAccountByClaimToken(account.claim?.tokenHash ?? ''), null);
        assert.equal((await store.findAccountById(account.id))?.claim, null);
      }),

      check(
        "keeps each account's events, oldest first, apart from other accounts' events",
        async (store) => {
          const a = newAccount();
          const b = newAccount();
          await store.insertAccount(a, [eventFor(a, 'account.created', at(0))]);
          await store.insertAccount(b, [eventFor(b, 'account.created', at(0))]);
          await store.applyAccountChange(
            changeOf(a, {
              active: false,
              events: [
                eventFor(a, 'account.deactivated', at(1)),
                eventFor(a, 'claim.cancelled', at(1)),
              ],
            }),
          );
          const withFields = {
            ...eventFor(a, 'account.updated', at(2)),
            fields: ['email', 'phone'] as const,
          };
          const current = await store.findAccountById(a.id);
          await store.applyAccountChange(
            changeOf(current ?? a, { active: true, events: [withFields] }),
          );
          assert.deepEqual(await store.listEvents(a.id), [
            eventFor(a, 'account.created', at(0)),
            eventFor(a, 'account.deactivated', at(1)),
            eventFor(a, 'claim.cancelled', at(1)),
            withFields,
          ]);
          assert.deepEqual(await store.listEvents(b.id), [eventFor(b, 'account.created', at(0))]);
        },
      ),

      check(
        'reports every change in its change feed, from the end it was first read at',
        async (store) => {
          if (!store.readChangesSince) return; // optional: managers then need verifyCache.singleInstance
          const before = newAccount();
          await store.insertAccount(before, [eventFor(before, 'account.created')]);
          const start = await store.readChangesSince(null);
          assert.deepEqual(start.accountIds, [], 'a reader starting now is not told of the past');
          const a = newAccount();
          const b = newAccount();
          await store.insertAccount(a, [eventFor(a, 'account.created')]);
          await store.insertAccount(b, [eventFor(b, 'account.created')]);
          await store.applyAccountChange(
            changeOf(before, { active: false, events: [eventFor(before, 'account.deactivated')] }),
          );
          const first = await store.readChangesSince(start.position);
          assert.deepEqual(new Set(first.accountIds), new Set([a.id, b.id, before.id]));
          assert.equal(first.more, false);
          const again = await store.readChangesSince(first.position);
          assert.deepEqual(again.accountIds, [], 'each change is reported once along a chain');
          await store.applyAccountChange(
            changeOf(a, { revokeKey: true, events: [eventFor(a, 'key.reset')] }),
          );
          const next = await store.readChangesSince(again.position);
          assert.deepEqual(next.accountIds, [a.id]);
        },
      ),

      check('reports concurrent changes in its change feed, none lost', async (store) => {
        if (!store.readChangesSince) return;
        const start = await store.readChangesSince(null);
        const accounts = Array.from({ length: parallelInserts }, () => newAccount());
        const reads: Promise<ChangePage>[] = [];
        let position = start.position;
        const seen = new Set<string>();
        // Reads race the writes, as a catch-up timer does; every write must show up.
        const writes = accounts.map(async (account) => {
          await store.insertAccount(account, [eventFor(account, 'account.created')]);
          const read = store.readChangesSince?.(position);
          if (read) reads.push(read);
        });
        await Promise.all(writes);
        for (;;) {
          const page = await store.readChangesSince(position);
          for (const id of page.accountIds) seen.add(id);
          position = page.position;
          if (!page.more) break;
        }
        await Promise.all(reads);
        assert.deepEqual(seen, new Set(accounts.map((account) => account.id)));
      }),
      ...keyLifecycleStoreCases(check),
      ...listingStoreCases(check),
      ...accessStoreCases(check),
      ...tenantStoreCases(check),
    ],
  };
}
