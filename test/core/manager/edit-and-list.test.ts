import { type AccountPage, inMemoryUserDirectory } from 'api-accounts';
import { describe, expect, it } from 'vitest';
import { accountInput, accountWithKey, admin, world } from '../../helpers.js';

describe('updateAccount (R7)', () => {
  it('changes username, email and phone under the same validation, keeping the key', async () => {
    const w = world();
    const { id, apiKey } = await accountWithKey(w);
    const updated = (
      await w.manager.updateAccount(admin, id, {
        username: 'ACME Ltd',
        email: 'New@ACME.example',
        phone: '+1 201 555 0123',
      })
    )._unsafeUnwrap();
    expect(updated).toMatchObject({
      username: 'ACME Ltd',
      email: 'new@acme.example',
      phone: '+12015550123',
      version: 3,
    });
    const principal = (await w.manager.verifyApiKey(apiKey))._unsafeUnwrap();
    expect(principal.username).toBe('ACME Ltd');
  });

  it('validates each field as on create and changes nothing on error', async () => {
    const w = world();
    const { id } = await accountWithKey(w);
    const before = (await w.manager.getAccount(admin, id))._unsafeUnwrap();
    const cases = [
      [{ username: 'a:b' }, 'InvalidUsername'],
      [{ email: 'nope' }, 'InvalidEmail'],
      [{ phone: '+44 20 7946 0000' }, 'InvalidPhone'],
      [{ active: 'yes' }, 'InvalidInput'],
      [{ expectedVersion: 0 }, 'InvalidInput'],
      [null, 'InvalidInput'],
    ] as const;
    for (const [patch, type] of cases) {
      expect(
        (await w.manager.updateAccount(admin, id, patch as never))._unsafeUnwrapErr().type,
      ).toBe(type);
    }
    expect((await w.manager.getAccount(admin, id))._unsafeUnwrap()).toEqual(before);
  });

  it('enforces uniqueness of username and email against other accounts and host users', async () => {
    const w = world({ directory: inMemoryUserDirectory(['staff@riverside.example']) });
    await w.manager.createAccount(
      admin,
      accountInput({ username: 'Taken', email: 'taken@acme.example' }),
    );
    const { id } = await accountWithKey(w);
    expect(
      (await w.manager.updateAccount(admin, id, { username: 'TAKEN' }))._unsafeUnwrapErr().type,
    ).toBe('UsernameTaken');
    expect(
      (
        await w.manager.updateAccount(admin, id, { email: 'Taken@acme.example' })
      )._unsafeUnwrapErr(),
    ).toMatchObject({
      type: 'EmailTaken',
      takenBy: 'api-account',
    });
    expect(
      (
        await w.manager.updateAccount(admin, id, { email: 'staff@riverside.example' })
      )._unsafeUnwrapErr(),
    ).toMatchObject({
      type: 'EmailTaken',
      takenBy: 'user-account',
    });
  });

  it('cancels a pending claim when email or phone changes; resendClaim opens a fresh one to the new contact', async () => {
    const w = world();
    const created = (await w.manager.createAccount(admin, accountInput()))._unsafeUnwrap();
    const oldClaim = w.lastClaim();
    const updated = (
      await w.manager.updateAccount(admin, created.account.id, { phone: '+447911123456' })
    )._unsafeUnwrap();
    expect(updated.claimPending).toBe(false);
    expect((await w.manager.claimApiKey(oldClaim))._unsafeUnwrapErr().type).toBe('ClaimNotFound');
    const resent = (await w.manager.resendClaim(admin, created.account.id))._unsafeUnwrap();
    expect(resent.account.claimPending).toBe(true);
    expect(w.ports.sms.sent.at(-1)?.to).toBe('+447911123456');
    expect((await w.manager.claimApiKey(w.lastClaim())).isOk()).toBe(true);
  });

  it('keeps a pending claim when only the username changes', async () => {
    const w = world();
    const created = (await w.manager.createAccount(admin, accountInput()))._unsafeUnwrap();
    const claim = w.lastClaim();
    await w.manager.updateAccount(admin, created.account.id, { username: 'Renamed' });
    expect((await w.manager.claimApiKey(claim))._unsafeUnwrap().username).toBe('Renamed');
  });

  it('switches access with the active flag', async () => {
    const w = world();
    const { id, apiKey } = await accountWithKey(w);
    await w.manager.updateAccount(admin, id, { active: false });
    expect((await w.manager.verifyApiKey(apiKey))._unsafeUnwrapErr().type).toBe('AccountInactive');
    await w.manager.updateAccount(admin, id, { active: true });
    expect((await w.manager.verifyApiKey(apiKey)).isOk()).toBe(true);
  });

  it('refuses an edit based on an old version with Conflict', async () => {
    const w = world();
    const { id } = await accountWithKey(w);
    const loaded = (await w.manager.getAccount(admin, id))._unsafeUnwrap();
    await w.manager.updateAccount(admin, id, { username: 'First edit' });
    const stale = await w.manager.updateAccount(admin, id, {
      username: 'Second edit',
      expectedVersion: loaded.version,
    });
    expect(stale._unsafeUnwrapErr()).toMatchObject({ type: 'Conflict', accountId: id });
    expect((await w.manager.getAccount(admin, id))._unsafeUnwrap().username).toBe('First edit');
  });

  it('resendClaim on an account whose key is issued answers KeyAlreadyIssued', async () => {
    const w = world();
    const { id, apiKey } = await accountWithKey(w);
    expect((await w.manager.resendClaim(admin, id))._unsafeUnwrapErr()).toMatchObject({
      type: 'KeyAlreadyIssued',
      accountId: id,
    });
    expect((await w.manager.verifyApiKey(apiKey)).isOk()).toBe(true);
  });
});

describe('listAccounts (R8)', () => {
  it('lists every account with its state, oldest first, in pages', async () => {
    const w = world();
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) {
      const created = (await w.manager.createAccount(admin, accountInput()))._unsafeUnwrap();
      ids.push(created.account.id);
      w.ports.clock.advance(1000);
    }
    const claimed = await accountWithKey(w);
    ids.push(claimed.id);
    await w.manager.deactivateAccount(admin, ids[0] ?? '');

    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: AccountPage = (
        await w.manager.listAccounts(admin, { limit: 3, ...(cursor ? { cursor } : {}) })
      )._unsafeUnwrap();
      seen.push(...page.items.map((a) => a.id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    expect(seen).toEqual(ids);
    expect(pages).toBe(3);

    const all = (await w.manager.listAccounts(admin, { limit: 100 }))._unsafeUnwrap();
    expect(all.nextCursor).toBeNull();
    expect(all.items[0]).toMatchObject({ active: false, claimPending: true, keyIssuedAt: null });
    expect(all.items.at(-1)).toMatchObject({
      active: true,
      claimPending: false,
      keyIssuedAt: w.ports.clock.now(),
    });
  });

  it('defaults to 50 a page and caps the page at 200', async () => {
    const w = world();
    for (let i = 0; i < 205; i++) await w.manager.createAccount(admin, accountInput());
    expect((await w.manager.listAccounts(admin))._unsafeUnwrap().items).toHaveLength(50);
    expect(
      (await w.manager.listAccounts(admin, { limit: 1000 }))._unsafeUnwrap().items,
    ).toHaveLength(200);
  });

  it('rejects a malformed limit or cursor', async () => {
    const w = world();
    for (const query of [
      { limit: 0 },
      { limit: 1.5 },
      { limit: Number.NaN },
      { cursor: 'garbage' },
      { cursor: 'x'.repeat(10_000) },
    ]) {
      expect((await w.manager.listAccounts(admin, query))._unsafeUnwrapErr().type).toBe(
        'InvalidInput',
      );
    }
  });
});
