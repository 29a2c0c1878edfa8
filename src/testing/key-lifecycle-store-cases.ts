import assert from 'node:assert/strict';
import type { AccountStore, PreviousKey } from '../ports/account-store.js';
import type { ContractCase } from './contract.js';
import {
  at,
  changeOf,
  eventFor,
  issuedKey,
  newAccount,
  openClaim,
  randomDigest,
} from './store-fixtures.js';

type Check = (name: string, body: (store: AccountStore) => Promise<void>) => ContractCase;

const DAY = 24 * 60 * 60 * 1000;

/** A rotation's previous key made from `key`, ending `endsMs` after `T0`. */
function previousOf(
  key: { readonly hash: string; readonly sealedSecret: string | null },
  endsMs: number,
  graceAfterClaimMs: number | null,
): PreviousKey {
  return {
    hash: key.hash,
    sealedSecret: key.sealedSecret,
    supersededAt: at(5000),
    endsAt: at(endsMs),
    graceAfterClaimMs,
  };
}

/**
 * The cases of the key lifecycle (migration 2): expiring keys, a rotation's
 * previous key, the due-work listing and usage. Part of `accountStoreContract`.
 */
export function keyLifecycleStoreCases(check: Check): ContractCase[] {
  return [
    check(
      'stores a key expiry and its notices, and reports the expiry to verification',
      async (store) => {
        const key = { ...issuedKey(), expiresAt: at(DAY), sealedSecret: 'k1.c2VhbGVk' };
        const account = newAccount({ key, claim: null });
        await store.insertAccount(account, []);
        assert.deepEqual((await store.findAccountById(account.id))?.key, key);
        assert.deepEqual(await store.findKeyHolder(key.hash), {
          accountId: account.id,
          tenant: account.tenant,
          username: account.username,
          active: true,
          keyHash: key.hash,
          keyState: 'current',
          expiresAt: at(DAY),
          supersededAt: null,
          access: account.access,
        });
        assert.deepEqual(
          (await store.findSigner('default', account.usernameKey))?.keyExpiresAt,
          at(DAY),
        );
        const noticed = await store.applyAccountChange(
          changeOf(account, { keyNotices: { remindersSent: 2, expiryRecorded: true } }),
        );
        assert.equal(noticed.outcome, 'applied');
        assert.deepEqual((await store.findAccountById(account.id))?.key, {
          ...key,
          remindersSent: 2,
          expiryRecorded: true,
        });
      },
    ),

    check(
      'a rotation keeps the previous key findable by its hash until it is dropped',
      async (store) => {
        const key = { ...issuedKey(), sealedSecret: 'k1.b2xk' };
        const account = newAccount({ key, claim: null });
        await store.insertAccount(account, []);
        const previousKey = previousOf(key, 14 * DAY, DAY);
        const rotated = await store.applyAccountChange(
          changeOf(account, {
            revokeKey: true,
            previousKey,
            claim: { kind: 'open', claim: openClaim({ openedAt: at(5000) }) },
            events: [
              { ...eventFor(account, 'key.rotation_opened', at(5000)), until: at(14 * DAY) },
            ],
          }),
        );
        assert.equal(rotated.outcome, 'applied');
        if (rotated.outcome !== 'applied') return;
        assert.equal(rotated.account.key, null);
        assert.deepEqual(rotated.account.previousKey, previousKey);
        assert.deepEqual(await store.findKeyHolder(key.hash), {
          accountId: account.id,
          tenant: account.tenant,
          username: account.username,
          active: true,
          keyHash: key.hash,
          keyState: 'previous',
          expiresAt: at(14 * DAY),
          supersededAt: at(5000),
          access: account.access,
        });
        assert.deepEqual((await store.findSigner('default', account.usernameKey))?.previous, {
          keyHash: key.hash,
          sealedSecret: 'k1.b2xk',
          supersededAt: at(5000),
          endsAt: at(14 * DAY),
        });
        assert.deepEqual((await store.listEvents(account.id)).at(-1)?.until, at(14 * DAY));
        const dropped = await store.applyAccountChange(
          changeOf(rotated.account, { previousKey: null }),
        );
        assert.equal(dropped.outcome, 'applied');
        assert.equal(await store.findKeyHolder(key.hash), null);
        assert.equal((await store.findSigner('default', account.usernameKey))?.previous, null);
      },
    ),

    check(
      "completing the claim brings the previous key's end forward to claim time + grace, never later",
      async (store) => {
        const key = issuedKey();
        const account = newAccount({ key, claim: null });
        await store.insertAccount(account, []);
        const claim = openClaim({ openedAt: at(5000) });
        const rotated = await store.applyAccountChange(
          changeOf(account, {
            revokeKey: true,
            previousKey: previousOf(key, 14 * DAY, DAY),
            claim: { kind: 'open', claim },
          }),
        );
        assert.equal(rotated.outcome, 'applied');
        const newKey = issuedKey(at(10_000));
        const done = await store.completeClaim(
          account.id,
          claim.tokenHash,
          newKey,
          at(10_000),
          eventFor(account, 'key.claimed', at(10_000)),
        );
        assert.equal(done.outcome, 'completed');
        const stored = await store.findAccountById(account.id);
        assert.deepEqual(stored?.previousKey, {
          ...previousOf(key, 10_000 + DAY, null),
        });
        assert.equal((await store.findKeyHolder(key.hash))?.keyState, 'previous');
        assert.equal((await store.findKeyHolder(newKey.hash))?.keyState, 'current');

        // A grace longer than what is left keeps the earlier end.
        const otherKey = issuedKey();
        const other = newAccount({ key: otherKey, claim: null });
        await store.insertAccount(other, []);
        const otherClaim = openClaim({ openedAt: at(5000) });
        await store.applyAccountChange(
          changeOf(other, {
            revokeKey: true,
            previousKey: previousOf(otherKey, 2 * DAY, 30 * DAY),
            claim: { kind: 'open', claim: otherClaim },
          }),
        );
        await store.completeClaim(
          other.id,
          otherClaim.tokenHash,
          issuedKey(),
          at(10_000),
          eventFor(other, 'key.claimed'),
        );
        assert.deepEqual((await store.findAccountById(other.id))?.previousKey?.endsAt, at(2 * DAY));
      },
    ),

    check(
      'lists the accounts with expiry or grace work due, in id order, page by page',
      async (store) => {
        const expiring = newAccount({
          key: { ...issuedKey(), expiresAt: at(10 * DAY) },
          claim: null,
        });
        const later = newAccount({
          key: { ...issuedKey(), expiresAt: at(100 * DAY) },
          claim: null,
        });
        const recorded = newAccount({
          key: { ...issuedKey(), expiresAt: at(DAY), expiryRecorded: true },
          claim: null,
        });
        const forever = newAccount({ key: issuedKey(), claim: null });
        const inGrace = newAccount({
          key: null,
          claim: null,
          previousKey: previousOf({ hash: randomDigest(), sealedSecret: null }, 3 * DAY, null),
        });
        const graceLater = newAccount({
          key: null,
          claim: null,
          previousKey: previousOf({ hash: randomDigest(), sealedSecret: null }, 50 * DAY, null),
        });
        for (const account of [expiring, later, recorded, forever, inGrace, graceLater]) {
          assert.deepEqual(await store.insertAccount(account, []), { outcome: 'inserted' });
        }
        const ids = async (after: string | null, limit = 10) =>
          (
            await store.listDueAccounts({
              keysExpiringBy: at(20 * DAY),
              previousEndingBy: at(5 * DAY),
              limit,
              after,
            })
          ).map((a) => a.id);
        const due = [expiring.id, inGrace.id].sort();
        assert.deepEqual(await ids(null), due);
        assert.deepEqual(await ids(null, 1), [due[0]]);
        assert.deepEqual(await ids(due[0] ?? null, 1), [due[1]]);
        assert.deepEqual(await ids(due[1] ?? null), []);
      },
    ),
    check(
      'adds usage counts per account and day, and moves lastUsedAt forward only',
      async (store) => {
        const account = newAccount({ key: issuedKey(), claim: null });
        await store.insertAccount(account, []);
        const count = (day: string, accepted: number, refused: number, last: Date | null) => ({
          accountId: account.id,
          day,
          accepted,
          refused,
          lastUsedAt: last,
        });
        await store.recordUsage([
          count('2026-03-01', 5, 1, at(3000)),
          count('2026-03-02', 2, 0, at(DAY)),
        ]);
        // Batches flushed by several instances at once all count.
        await Promise.all([
          store.recordUsage([count('2026-03-01', 10, 0, at(2000))]),
          store.recordUsage([count('2026-03-01', 1, 4, null)]),
          store.recordUsage([count('2026-03-03', 0, 7, null)]),
        ]);
        assert.deepEqual(await store.readUsage(account.id, '2026-03-01', '2026-03-31'), [
          { day: '2026-03-01', accepted: 16, refused: 5 },
          { day: '2026-03-02', accepted: 2, refused: 0 },
          { day: '2026-03-03', accepted: 0, refused: 7 },
        ]);
        assert.deepEqual(await store.readUsage(account.id, '2026-03-02', '2026-03-02'), [
          { day: '2026-03-02', accepted: 2, refused: 0 },
        ]);
        assert.deepEqual(await store.readUsage(account.id, '2026-04-01', '2026-04-30'), []);
        assert.deepEqual((await store.findAccountById(account.id))?.lastUsedAt, at(DAY));
        await store.recordUsage([count('2026-03-04', 1, 0, at(1000))]);
        assert.deepEqual((await store.findAccountById(account.id))?.lastUsedAt, at(DAY));
      },
    ),

    check(
      'drops usage counts of an account it does not hold, and keeps the rest of the batch',
      async (store) => {
        const account = newAccount({ key: issuedKey(), claim: null });
        await store.insertAccount(account, []);
        const ghost = newAccount();
        await store.recordUsage([
          { accountId: ghost.id, day: '2026-03-01', accepted: 3, refused: 0, lastUsedAt: at(1) },
          { accountId: account.id, day: '2026-03-01', accepted: 1, refused: 0, lastUsedAt: at(1) },
        ]);
        assert.deepEqual(await store.readUsage(ghost.id, '2026-01-01', '2026-12-31'), []);
        assert.equal(await store.findAccountById(ghost.id), null);
        assert.deepEqual(await store.readUsage(account.id, '2026-01-01', '2026-12-31'), [
          { day: '2026-03-01', accepted: 1, refused: 0 },
        ]);
        await store.recordUsage([]);
      },
    ),
    check(
      'deletes an account with its keys, claim, usage and history, keeping one entry',
      async (store) => {
        const key = issuedKey();
        const previous = { hash: randomDigest(), sealedSecret: null };
        const claim = openClaim();
        const account = newAccount({
          username: 'Gone Ltd',
          usernameKey: 'gone ltd',
          email: 'gone@gone.example',
          key: null,
          previousKey: previousOf(previous, 14 * DAY, DAY),
          claim,
        });
        await store.insertAccount(account, [eventFor(account, 'account.created')]);
        await store.recordUsage([
          { accountId: account.id, day: '2026-03-01', accepted: 1, refused: 0, lastUsedAt: at(1) },
        ]);
        const other = newAccount({ key, claim: null });
        await store.insertAccount(other, []);
        const stale = await store.deleteAccount(
          account.id,
          account.version + 1,
          eventFor(account, 'account.deleted'),
        );
        assert.deepEqual(stale, { outcome: 'version_conflict' });
        const deletion = eventFor(account, 'account.deleted', at(9000));
        assert.deepEqual(await store.deleteAccount(account.id, account.version, deletion), {
          outcome: 'deleted',
        });
        assert.equal(await store.findAccountById(account.id), null);
        assert.equal(await store.findKeyHolder(previous.hash), null);
        assert.equal(await store.findAccountByClaimToken(claim.tokenHash), null);
        assert.equal(await store.findSigner('default', 'gone ltd'), null);
        assert.deepEqual(await store.listEvents(account.id), [deletion]);
        assert.deepEqual(await store.readUsage(account.id, '2026-01-01', '2026-12-31'), []);
        assert.deepEqual(await store.deleteAccount(account.id, account.version, deletion), {
          outcome: 'not_found',
        });
        // The other account is untouched, and the freed username and email can be used again.
        assert.equal((await store.findKeyHolder(key.hash))?.accountId, other.id);
        const again = newAccount({
          username: 'Gone Ltd',
          usernameKey: 'gone ltd',
          email: 'gone@gone.example',
        });
        assert.deepEqual(await store.insertAccount(again, []), { outcome: 'inserted' });
      },
    ),
  ];
}
