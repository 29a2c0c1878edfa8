import { type AccountStore, ApiAccountManager, inMemoryPorts } from 'api-accounts';
import { injectFaults } from 'api-accounts/testing';
import { describe, expect, it } from 'vitest';
import {
  accountInput,
  accountWithKey,
  admin,
  CLAIM_BASE,
  world,
  wrongCode,
} from '../../helpers.js';

const storeMethods: (keyof AccountStore)[] = [
  'insertAccount',
  'findAccountById',
  'findKeyHolder',
  'findAccountByClaimToken',
  'listAccounts',
  'applyAccountChange',
  'recordFailedClaimAttempt',
  'completeClaim',
  'listEvents',
];

describe('failing ports', () => {
  it.each(['reject', 'throw'] as const)(
    'turns a store that fails (%s) into StoreUnavailable on every method, and loses nothing',
    async (how) => {
      const ports = inMemoryPorts();
      const healthy = world({}, ports);
      const { id, apiKey } = await accountWithKey(healthy);
      const pending = (await healthy.manager.createAccount(admin, accountInput()))._unsafeUnwrap();
      const claim = healthy.lastClaim();
      const before = ports.store.snapshot();
      const broken = new ApiAccountManager({
        ...ports,
        store: injectFaults(ports.store, { methods: storeMethods, when: 'always', how }),
        claimUrl: (t) => CLAIM_BASE + t,
      });
      const results = await Promise.all([
        broken.createAccount(admin, accountInput()),
        broken.listAccounts(admin),
        broken.getAccount(admin, id),
        broken.updateAccount(admin, id, { username: 'x' }),
        broken.deactivateAccount(admin, id),
        broken.reactivateAccount(admin, id),
        broken.resetApiKey(admin, id, { confirm: true }),
        broken.resendClaim(admin, pending.account.id),
        broken.accountHistory(admin, id),
        broken.inspectClaim(claim.token),
        broken.claimApiKey(claim),
        broken.verifyApiKey(apiKey),
      ]);
      for (const result of results) {
        expect(result._unsafeUnwrapErr()).toMatchObject({
          type: 'StoreUnavailable',
          port: 'store',
        });
      }
      expect(ports.store.snapshot()).toEqual(before);
      expect(ports.sms.sent).toHaveLength(2);
      expect((await healthy.manager.claimApiKey(claim)).isOk()).toBe(true);
    },
  );

  it('fails a claim cleanly when the store fails at the moment of completing it, and the claim still works after', async () => {
    const ports = inMemoryPorts();
    const healthy = world({}, ports);
    await healthy.manager.createAccount(admin, accountInput());
    const claim = healthy.lastClaim();
    const flaky = world(
      { store: injectFaults(ports.store, { methods: ['completeClaim'], when: { nth: 1 } }) },
      ports,
    );
    expect((await flaky.manager.claimApiKey(claim))._unsafeUnwrapErr().type).toBe(
      'StoreUnavailable',
    );
    expect((await flaky.manager.claimApiKey(claim)).isOk()).toBe(true);
  });

  it('reports a failing user directory as StoreUnavailable (directory) and stores nothing', async () => {
    const ports = inMemoryPorts();
    const w = world({ directory: injectFaults(ports.directory, { when: 'always' }) }, ports);
    const result = await w.manager.createAccount(admin, accountInput());
    expect(result._unsafeUnwrapErr()).toMatchObject({
      type: 'StoreUnavailable',
      port: 'directory',
    });
    expect(ports.store.snapshot().accounts).toEqual([]);
  });

  it('reports a broken clock or key generator as PortFailed', async () => {
    const w = world({ clock: { now: () => new Date(Number.NaN) } });
    expect((await w.manager.createAccount(admin, accountInput()))._unsafeUnwrapErr()).toMatchObject(
      { type: 'PortFailed', port: 'clock' },
    );
    const throwing = world({
      clock: {
        now: () => {
          throw new Error('no time');
        },
      },
    });
    expect(
      (await throwing.manager.createAccount(admin, accountInput()))._unsafeUnwrapErr(),
    ).toMatchObject({ type: 'PortFailed', port: 'clock' });
    for (const randomBytes of [
      () => new Uint8Array(0),
      () => {
        throw new Error('no entropy');
      },
      () => 'not bytes' as unknown as Uint8Array,
      (n: number) => new Uint8Array(n).fill(255), // stuck: the code sampler can never accept it
    ]) {
      const keys = world({ keys: { randomBytes } });
      const result = await keys.manager.createAccount(admin, accountInput());
      expect(result._unsafeUnwrapErr()).toMatchObject({ type: 'PortFailed', port: 'keys' });
      expect(keys.ports.store.snapshot().accounts).toEqual([]);
    }
  });

  it('reports PortFailed when key generation fails at claim time; the claim stays open', async () => {
    const ports = inMemoryPorts();
    const healthy = world({}, ports);
    await healthy.manager.createAccount(admin, accountInput());
    const claim = healthy.lastClaim();
    const broken = world(
      {
        keys: {
          randomBytes: () => {
            throw new Error('no entropy');
          },
        },
      },
      ports,
    );
    expect((await broken.manager.claimApiKey(claim))._unsafeUnwrapErr()).toMatchObject({
      type: 'PortFailed',
      port: 'keys',
    });
    expect((await healthy.manager.claimApiKey(claim)).isOk()).toBe(true);
  });

  it('retries a reset that lost a race, and still revokes the key', async () => {
    const ports = inMemoryPorts();
    const w = world({}, ports);
    const { id, apiKey } = await accountWithKey(w);
    let raced = false;
    const racing: AccountStore = {
      ...ports.store,
      async applyAccountChange(change) {
        if (!raced) {
          raced = true;
          // Someone else edits the account between our read and our write.
          const current = await ports.store.findAccountById(id);
          await ports.store.applyAccountChange({
            accountId: id,
            expectedVersion: current?.version ?? 0,
            at: change.at,
            active: true,
            events: [],
          });
        }
        return ports.store.applyAccountChange(change);
      },
    };
    const racer = world({ store: racing }, ports);
    expect((await racer.manager.resetApiKey(admin, id, { confirm: true })).isOk()).toBe(true);
    expect((await w.manager.verifyApiKey(apiKey)).isErr()).toBe(true);
  });

  it('answers Conflict when every retry loses the race', async () => {
    const ports = inMemoryPorts();
    const w = world({}, ports);
    const { id } = await accountWithKey(w);
    const alwaysStale: AccountStore = {
      ...ports.store,
      applyAccountChange: async () => ({ outcome: 'version_conflict' }),
    };
    const loser = world({ store: alwaysStale }, ports);
    expect((await loser.manager.deactivateAccount(admin, id))._unsafeUnwrapErr()).toMatchObject({
      type: 'Conflict',
      accountId: id,
    });
  });

  it('refuses verification reads and write outcomes of the wrong shape as StoreUnavailable, and never throws', async () => {
    const ports = inMemoryPorts();
    const w = world({}, ports);
    const { id, apiKey } = await accountWithKey(w);
    const nonsense = new Proxy(ports.store, { get: () => async () => 42 }) as AccountStore;
    const broken = world({ store: nonsense }, ports);
    // What verification reads decides access, and a write's outcome decides what happens next.
    const refused = await Promise.all([
      broken.manager.verifyApiKey(apiKey),
      broken.manager.createAccount(admin, accountInput()),
    ]);
    for (const result of refused) {
      expect(result._unsafeUnwrapErr()).toMatchObject({ type: 'StoreUnavailable', port: 'store' });
    }
    // Other answers' shapes are the adapter's to prove with accountStoreContract; the core still never throws.
    const others = Promise.all([
      broken.manager.getAccount(admin, id),
      broken.manager.listAccounts(admin),
      broken.manager.deactivateAccount(admin, id),
    ]);
    await expect(others).resolves.toHaveLength(3);
    expect(ports.sms.sent).toHaveLength(1);
  });

  it.each([
    ['applyAccountChange', 'deactivate'],
    ['recordFailedClaimAttempt', 'wrong code'],
    ['completeClaim', 'claim'],
  ] as const)('acts on no undeclared outcome of %s (%s)', async (method, step) => {
    const ports = inMemoryPorts();
    const undeclared = new Proxy(ports.store, {
      get: (target, property, receiver) =>
        property === method
          ? async () => ({ outcome: 'done', attempts: 1, maxAttempts: 5 })
          : Reflect.get(target, property, receiver),
    }) as AccountStore;
    const w = world({ store: undeclared }, ports);
    const created = (await w.manager.createAccount(admin, accountInput()))._unsafeUnwrap();
    const claim = w.lastClaim();
    const result =
      step === 'deactivate'
        ? await w.manager.deactivateAccount(admin, created.account.id)
        : await w.manager.claimApiKey(
            step === 'claim' ? claim : { ...claim, code: wrongCode(claim.code) },
          );
    expect(result._unsafeUnwrapErr()).toMatchObject({ type: 'StoreUnavailable', port: 'store' });
    expect(String((result._unsafeUnwrapErr() as { cause: Error }).cause)).toContain(
      'outcome: done',
    );
  });
});
