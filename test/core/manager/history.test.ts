import type { AccountEvent } from 'api-accounts';
import { describe, expect, it } from 'vitest';
import { accountInput, admin, world, wrongCode } from '../../helpers.js';

describe('events (R10)', () => {
  it('records who did what, when, to which account, oldest first', async () => {
    const w = world();
    const created = (await w.manager.createAccount(admin, accountInput()))._unsafeUnwrap();
    const id = created.account.id;
    const t0 = w.ports.clock.now();
    const claim = w.lastClaim();
    w.ports.clock.advance(1000);
    await w.manager.claimApiKey({ token: claim.token, code: wrongCode(claim.code) });
    await w.manager.claimApiKey(claim);
    w.ports.clock.advance(1000);
    await w.manager.updateAccount(admin, id, { username: 'Renamed', phone: '+447911123456' });
    await w.manager.deactivateAccount(admin, id);
    await w.manager.reactivateAccount(admin, id);
    await w.manager.resetApiKey(admin, id, { confirm: true });
    await w.manager.updateAccount(admin, id, { email: 'moved@acme.example' });
    await w.manager.resendClaim(admin, id);

    const { items } = (await w.manager.accountHistory(admin, id))._unsafeUnwrap();
    const t1 = new Date(t0.getTime() + 1000);
    const t2 = new Date(t0.getTime() + 2000);
    expect(items).toEqual([
      { type: 'account.created', accountId: id, tenant: 'default', actorId: 'admin-1', at: t0 },
      { type: 'claim.code_rejected', accountId: id, tenant: 'default', actorId: null, at: t1 },
      { type: 'key.claimed', accountId: id, tenant: 'default', actorId: null, at: t1 },
      {
        type: 'account.updated',
        accountId: id,
        tenant: 'default',
        actorId: 'admin-1',
        at: t2,
        fields: ['username', 'phone'],
      },
      { type: 'account.deactivated', accountId: id, tenant: 'default', actorId: 'admin-1', at: t2 },
      { type: 'account.reactivated', accountId: id, tenant: 'default', actorId: 'admin-1', at: t2 },
      { type: 'key.reset', accountId: id, tenant: 'default', actorId: 'admin-1', at: t2 },
      {
        type: 'account.updated',
        accountId: id,
        tenant: 'default',
        actorId: 'admin-1',
        at: t2,
        fields: ['email'],
      },
      { type: 'claim.cancelled', accountId: id, tenant: 'default', actorId: 'admin-1', at: t2 },
      { type: 'claim.resent', accountId: id, tenant: 'default', actorId: 'admin-1', at: t2 },
    ]);
  });

  it('offers each stored event to the listener, in order', async () => {
    const seen: AccountEvent[] = [];
    const w = world({ onEvent: (event) => void seen.push(event) });
    const created = (await w.manager.createAccount(admin, accountInput()))._unsafeUnwrap();
    await w.manager.claimApiKey(w.lastClaim());
    await w.manager.deactivateAccount(admin, created.account.id);
    const history = (await w.manager.accountHistory(admin, created.account.id))._unsafeUnwrap()
      .items;
    expect(seen).toEqual(history);
  });

  it('is not disturbed by a listener that throws or rejects', async () => {
    for (const onEvent of [
      () => {
        throw new Error('audit down');
      },
      () => Promise.reject(new Error('audit down')),
    ]) {
      const w = world({ onEvent });
      const created = await w.manager.createAccount(admin, accountInput());
      expect(created.isOk()).toBe(true);
      expect((await w.manager.claimApiKey(w.lastClaim())).isOk()).toBe(true);
    }
  });

  it('does not record refused changes', async () => {
    const w = world();
    const created = (await w.manager.createAccount(admin, accountInput()))._unsafeUnwrap();
    await w.manager.createAccount(admin, accountInput({ email: created.account.email }));
    await w.manager.resetApiKey(admin, created.account.id, { confirm: false } as never);
    const { items } = (await w.manager.accountHistory(admin, created.account.id))._unsafeUnwrap();
    expect(items.map((e) => e.type)).toEqual(['account.created']);
    expect(w.ports.store.snapshot().events).toHaveLength(1);
  });
});
