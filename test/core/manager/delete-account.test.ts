import { type AccountEvent, inMemoryPorts } from 'api-accounts';
import { describe, expect, it } from 'vitest';
import { accountInput, accountWithKey, admin, type World, world } from '../../helpers.js';

describe('deleteAccount', () => {
  it('needs confirmation; then the key stops at once and one anonymised entry remains', async () => {
    const heard: AccountEvent[] = [];
    const w = world({ verifyCache: { ttlMs: 60_000 }, onEvent: (event) => void heard.push(event) });
    const input = accountInput({ username: 'Gone Ltd', email: 'gone@gone.example' });
    const { id, apiKey } = await accountWithKey(w, input);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect((await w.manager.verifyApiKey(apiKey)).isOk()).toBe(true); // cached
    expect((await w.manager.deleteAccount(admin, id, {} as never))._unsafeUnwrapErr().type).toBe(
      'ConfirmationRequired',
    );
    const deleted = (await w.manager.deleteAccount(admin, id, { confirm: true }))._unsafeUnwrap();
    expect(deleted).toEqual({ accountId: id, deletedAt: w.ports.clock.now() });
    expect((await w.manager.verifyApiKey(apiKey))._unsafeUnwrapErr().type).toBe('InvalidKey');
    expect((await w.manager.getAccount(admin, id))._unsafeUnwrapErr().type).toBe('AccountNotFound');
    const history = (await w.manager.accountHistory(admin, id))._unsafeUnwrap().items;
    expect(history).toEqual([
      {
        type: 'account.deleted',
        accountId: id,
        tenant: 'default',
        actorId: admin.id,
        at: w.ports.clock.now(),
      },
    ]);
    expect(JSON.stringify(history)).not.toMatch(/gone/i);
    expect(heard.at(-1)?.type).toBe('account.deleted');
    expect(
      (await w.manager.deleteAccount(admin, id, { confirm: true }))._unsafeUnwrapErr().type,
    ).toBe('AccountNotFound');
    // The username and email are free again.
    expect((await w.manager.createAccount(admin, input)).isOk()).toBe(true);
  });

  it("stops a rotation's previous key too, and answers AccountNotFound for a malformed id", async () => {
    const w = world();
    const { id, apiKey } = await accountWithKey(w);
    await w.manager.rotateApiKey(admin, id, { confirm: true });
    expect((await w.manager.verifyApiKey(apiKey)).isOk()).toBe(true);
    await w.manager.deleteAccount(admin, id, { confirm: true });
    expect((await w.manager.verifyApiKey(apiKey)).isErr()).toBe(true);
    expect(
      (await w.manager.deleteAccount(admin, 'nope', { confirm: true }))._unsafeUnwrapErr().type,
    ).toBe('AccountNotFound');
    expect(
      (await w.manager.accountHistory(admin, `acct_${'Q'.repeat(22)}`))._unsafeUnwrapErr().type,
    ).toBe('AccountNotFound');
  });
});

describe('deleteAccount racing other writers', () => {
  /** A world whose store runs `before` ahead of each deletion it is asked for. */
  function racedWorld(before: (w: World, call: number) => Promise<unknown>) {
    const ports = inMemoryPorts();
    const w = world({ verifyCache: { ttlMs: 60_000 } }, ports);
    const deleteAccount = ports.store.deleteAccount.bind(ports.store);
    let calls = 0;
    ports.store.deleteAccount = async (...args) => {
      calls += 1;
      await before(w, calls);
      return deleteAccount(...args);
    };
    return { w, calls: () => calls };
  }
  const edit = (w: World, id: string, n: number) =>
    w.manager.updateAccount(admin, id, { username: `Renamed ${n}` });

  it('reads the account again after another writer changed it, and deletes it', async () => {
    let id = '';
    const { w, calls } = racedWorld(async (world, call) => {
      if (call === 1) await edit(world, id, call);
    });
    ({ id } = await accountWithKey(w));
    const deleted = await w.manager.deleteAccount(admin, id, { confirm: true });
    expect(deleted._unsafeUnwrap().accountId).toBe(id);
    expect(calls()).toBe(2);
    expect((await w.manager.getAccount(admin, id))._unsafeUnwrapErr().type).toBe('AccountNotFound');
  });

  it('gives up with Conflict after three attempts that each lost the race', async () => {
    let id = '';
    const { w, calls } = racedWorld(async (world, call) => edit(world, id, call));
    ({ id } = await accountWithKey(w));
    const refused = (
      await w.manager.deleteAccount(admin, id, { confirm: true })
    )._unsafeUnwrapErr();
    expect(refused).toMatchObject({ type: 'Conflict', accountId: id });
    expect(calls()).toBe(3);
    expect((await w.manager.getAccount(admin, id)).isOk()).toBe(true);
  });

  it('answers Conflict at once when the version the caller named is stale or loses the race', async () => {
    let id = '';
    const { w, calls } = racedWorld(async (world) => edit(world, id, 9));
    const created = await accountWithKey(w);
    id = created.id;
    const stale = await w.manager.deleteAccount(admin, id, {
      confirm: true,
      expectedVersion: created.account.version,
    } as never);
    expect(stale._unsafeUnwrapErr().type).toBe('Conflict');
    expect(calls()).toBe(0);
    const current = (await w.manager.getAccount(admin, id))._unsafeUnwrap().version;
    const lost = await w.manager.deleteAccount(admin, id, {
      confirm: true,
      expectedVersion: current,
    } as never);
    expect(lost._unsafeUnwrapErr().type).toBe('Conflict');
    expect(calls()).toBe(1);
  });

  it('answers AccountNotFound when another writer deleted it first', async () => {
    let id = '';
    const { w } = racedWorld(async (world, call) => {
      if (call === 1) await world.manager.deleteAccount(admin, id, { confirm: true });
    });
    ({ id } = await accountWithKey(w));
    const refused = await w.manager.deleteAccount(admin, id, { confirm: true });
    expect(refused._unsafeUnwrapErr()).toMatchObject({ type: 'AccountNotFound', accountId: id });
  });

  it('answers AccountNotFound when the account is gone by the time it is read again', async () => {
    const ports = inMemoryPorts();
    const w = world({}, ports);
    const { id } = await accountWithKey(w);
    const deleteAccount = ports.store.deleteAccount.bind(ports.store);
    ports.store.deleteAccount = async (accountId, version, event) => {
      await deleteAccount(accountId, version, event);
      return { outcome: 'version_conflict' };
    };
    const refused = await w.manager.deleteAccount(admin, id, { confirm: true });
    expect(refused._unsafeUnwrapErr()).toMatchObject({ type: 'AccountNotFound', accountId: id });
  });

  it('reads the account once when nobody races it, and asks authorize for deleteAccount', async () => {
    const ports = inMemoryPorts();
    const asked: string[] = [];
    const w = world({ authorize: (_actor, action) => Boolean(asked.push(action)) }, ports);
    const { id } = await accountWithKey(w);
    asked.length = 0;
    const findAccountById = ports.store.findAccountById.bind(ports.store);
    let reads = 0;
    ports.store.findAccountById = (...args) => {
      reads += 1;
      return findAccountById(...args);
    };
    expect((await w.manager.deleteAccount(admin, id, { confirm: true })).isOk()).toBe(true);
    expect(reads).toBe(1);
    expect(asked).toEqual(['deleteAccount']);
  });

  it('forgets the cached verdict when the store fails or answers something else', async () => {
    for (const answer of ['throws', 'confused'] as const) {
      const ports = inMemoryPorts();
      const w = world({ verifyCache: { ttlMs: 60_000, singleInstance: true } }, ports);
      const { id, apiKey } = await accountWithKey(w);
      expect((await w.manager.verifyApiKey(apiKey)).isOk()).toBe(true);
      const deleteAccount = ports.store.deleteAccount.bind(ports.store);
      // The store deletes, then fails to say so: the key must not live on in the cache.
      ports.store.deleteAccount = async (...args) => {
        await deleteAccount(...args);
        if (answer === 'throws') throw new Error('connection reset');
        return { outcome: 'gone' } as never;
      };
      const failed = (
        await w.manager.deleteAccount(admin, id, { confirm: true })
      )._unsafeUnwrapErr();
      expect(failed.type).toBe('StoreUnavailable');
      expect((await w.manager.verifyApiKey(apiKey))._unsafeUnwrapErr().type).toBe('InvalidKey');
    }
  });
});
