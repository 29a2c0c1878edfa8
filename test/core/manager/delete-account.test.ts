import type { AccountEvent } from 'api-accounts';
import { describe, expect, it } from 'vitest';
import { accountInput, accountWithKey, admin, world } from '../../helpers.js';

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
