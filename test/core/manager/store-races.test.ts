import { type AccountEvent, type AccountStore, inMemoryPorts } from 'api-accounts';
import { injectFaults } from 'api-accounts/testing';
import { describe, expect, it } from 'vitest';
import {
  accountInput,
  accountMethodCalls,
  accountWithKey,
  admin,
  world,
  wrongCode,
} from '../../helpers.js';

type Method = keyof Omit<AccountStore, 'invalidations'>;

/**
 * The in-memory store, except that `method` answers `answer` without touching
 * the data: what a store reports when another request changed the account
 * between the manager's read and its write.
 */
function racingStore(store: AccountStore, method: Method, answer: unknown) {
  let calls = 0;
  const raced = new Proxy(store, {
    get(target, property, receiver) {
      if (property !== method) return Reflect.get(target, property, receiver);
      return async () => {
        calls++;
        return answer;
      };
    },
  });
  return { store: raced, calls: () => calls };
}

/** A world whose store races on `method`, with every published event collected. */
async function racing(method: Method, answer: unknown) {
  const ports = inMemoryPorts();
  const events: AccountEvent[] = [];
  const setUp = world({}, ports);
  const created = (await setUp.manager.createAccount(admin, accountInput()))._unsafeUnwrap();
  const claim = setUp.lastClaim();
  const raced = racingStore(ports.store, method, answer);
  const w = world({ store: raced.store, onEvent: (event) => void events.push(event) }, ports);
  return { w, id: created.account.id, claim, events, calls: raced.calls };
}

describe('claims racing other requests', () => {
  it.each([
    ['gone', 'ClaimNotFound'],
    ['locked', 'ClaimLocked'],
    ['expired', 'ClaimExpired'],
    ['inactive', 'AccountInactive'],
  ])(
    'a claim the store reports %s when completing answers %s and publishes nothing',
    async (outcome, type) => {
      const { w, claim, events } = await racing('completeClaim', { outcome });
      expect((await w.manager.claimApiKey(claim))._unsafeUnwrapErr().type).toBe(type);
      expect(events).toEqual([]);
    },
  );

  it.each([
    ['gone', 'ClaimNotFound'],
    ['locked', 'ClaimLocked'],
  ])(
    'a wrong code the store reports %s when counting answers %s and publishes nothing',
    async (outcome, type) => {
      const { w, claim, events } = await racing('recordFailedClaimAttempt', { outcome });
      const result = await w.manager.claimApiKey({ ...claim, code: wrongCode(claim.code) });
      expect(result._unsafeUnwrapErr().type).toBe(type);
      expect(events).toEqual([]);
    },
  );

  it('a counted wrong code answers the attempts left and publishes the rejection once', async () => {
    const ports = inMemoryPorts();
    const events: AccountEvent[] = [];
    const w = world({ onEvent: (event) => void events.push(event) }, ports);
    const created = (await w.manager.createAccount(admin, accountInput()))._unsafeUnwrap();
    const claim = w.lastClaim();
    events.length = 0;
    const result = await w.manager.claimApiKey({ ...claim, code: wrongCode(claim.code) });
    expect(result._unsafeUnwrapErr()).toMatchObject({
      type: 'CodeIncorrect',
      attemptsRemaining: 4,
    });
    expect(events).toEqual([
      expect.objectContaining({ type: 'claim.code_rejected', accountId: created.account.id }),
    ]);
  });
});

describe('changes racing other requests', () => {
  it('an account deleted under the change answers AccountNotFound', async () => {
    const { w, id } = await racing('applyAccountChange', { outcome: 'not_found' });
    expect((await w.manager.deactivateAccount(admin, id))._unsafeUnwrapErr()).toMatchObject({
      type: 'AccountNotFound',
      accountId: id,
    });
  });

  it('a username or email taken meanwhile names the value that was refused', async () => {
    const username = await racing('applyAccountChange', { outcome: 'username_taken' });
    expect(
      (
        await username.w.manager.updateAccount(admin, username.id, { username: 'Raced Ltd' })
      )._unsafeUnwrapErr(),
    ).toMatchObject({ type: 'UsernameTaken', username: 'Raced Ltd' });
    const email = await racing('applyAccountChange', { outcome: 'email_taken' });
    expect(
      (
        await email.w.manager.updateAccount(admin, email.id, { email: 'Raced@Partner.example' })
      )._unsafeUnwrapErr(),
    ).toMatchObject({ type: 'EmailTaken', email: 'raced@partner.example', takenBy: 'api-account' });
  });

  it('retries a lost version race three times in all, then answers Conflict', async () => {
    const { w, id, calls, events } = await racing('applyAccountChange', {
      outcome: 'version_conflict',
    });
    expect((await w.manager.deactivateAccount(admin, id))._unsafeUnwrapErr()).toMatchObject({
      type: 'Conflict',
      accountId: id,
    });
    expect(calls()).toBe(3);
    expect(events).toEqual([]);
  });

  it('does not retry when the caller named the version it expects', async () => {
    const { w, id, calls } = await racing('applyAccountChange', { outcome: 'version_conflict' });
    const result = await w.manager.updateAccount(admin, id, { active: false, expectedVersion: 1 });
    expect(result._unsafeUnwrapErr().type).toBe('Conflict');
    expect(calls()).toBe(1);
  });

  it('applies an edit based on the current version, including version 1', async () => {
    const w = world();
    const created = (await w.manager.createAccount(admin, accountInput()))._unsafeUnwrap();
    expect(created.account.version).toBe(1);
    const edited = await w.manager.updateAccount(admin, created.account.id, {
      username: 'Versioned Ltd',
      expectedVersion: 1,
    });
    expect(edited._unsafeUnwrap()).toMatchObject({ username: 'Versioned Ltd', version: 2 });
  });
});

describe('account ids that cannot exist', () => {
  const throwingToString = {
    toString() {
      throw new Error('no');
    },
  };
  it.each([
    [null, '[null]'],
    [undefined, '[undefined]'],
    [42, '[number]'],
    [throwingToString, '[object]'],
    ['acct_short', 'acct_short'],
    [`acct_${'0'.repeat(100)}`, `acct_${'0'.repeat(59)}`],
  ])('answer AccountNotFound for %j without asking the store', async (accountId, echoed) => {
    const ports = inMemoryPorts();
    const w = world({ store: injectFaults(ports.store, { when: 'always' }) }, ports);
    const id = accountId as string;
    const results = await Promise.all(accountMethodCalls(w.manager, admin, id));
    for (const result of results) {
      expect(result._unsafeUnwrapErr()).toEqual(
        expect.objectContaining({ type: 'AccountNotFound', accountId: echoed }),
      );
    }
  });

  it('answers AccountNotFound with the id for a well-formed id no account has', async () => {
    const w = world();
    const id = `acct_${'A'.repeat(22)}`;
    expect((await w.manager.getAccount(admin, id))._unsafeUnwrapErr()).toMatchObject({
      type: 'AccountNotFound',
      accountId: id,
    });
    const { id: real } = await accountWithKey(w);
    expect((await w.manager.getAccount(admin, real))._unsafeUnwrap().id).toBe(real);
  });
});
