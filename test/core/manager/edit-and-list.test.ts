import type { AccountPage } from 'api-accounts';
import { inMemoryUserDirectory } from 'api-accounts/testing';
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

  it('defaults to 50 a page, takes up to 200, and refuses more as it refuses 0 (#23)', async () => {
    const w = world();
    for (let i = 0; i < 205; i++) await w.manager.createAccount(admin, accountInput());
    expect((await w.manager.listAccounts(admin))._unsafeUnwrap().items).toHaveLength(50);
    expect(
      (await w.manager.listAccounts(admin, { limit: 200 }))._unsafeUnwrap().items,
    ).toHaveLength(200);
    for (const limit of [201, 1000, 100_000]) {
      expect((await w.manager.listAccounts(admin, { limit }))._unsafeUnwrapErr()).toMatchObject({
        type: 'InvalidInput',
        field: 'limit',
      });
    }
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

describe('listAccounts cursors and limits', () => {
  const cursorOf = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

  it('gives no next cursor when the last page is exactly full, and accepts a limit of 1', async () => {
    const w = world();
    for (let i = 0; i < 3; i++) await w.manager.createAccount(admin, accountInput());
    const full = (await w.manager.listAccounts(admin, { limit: 3 }))._unsafeUnwrap();
    expect(full.items).toHaveLength(3);
    expect(full.nextCursor).toBeNull();
    const one = (await w.manager.listAccounts(admin, { limit: 1 }))._unsafeUnwrap();
    expect(one.items).toHaveLength(1);
    expect(one.nextCursor).not.toBeNull();
    const nullCursor = await w.manager.listAccounts(admin, { limit: 3, cursor: null as never });
    expect(nullCursor._unsafeUnwrap().items).toHaveLength(3);
  });

  it('accepts a cursor up to 2,048 characters and refuses longer ones', async () => {
    const w = world();
    for (let i = 0; i < 2; i++) await w.manager.createAccount(admin, accountInput());
    const first = (await w.manager.listAccounts(admin, { limit: 1 }))._unsafeUnwrap();
    const position = JSON.parse(
      Buffer.from(first.nextCursor ?? '', 'base64url').toString('utf8'),
    ) as unknown[];
    // The same position, padded with JSON whitespace to 1,536 bytes: 2,048 base64url characters.
    const json = JSON.stringify(position);
    const padded = `[${' '.repeat(1536 - json.length)}${json.slice(1)}`;
    const longest = Buffer.from(padded).toString('base64url');
    expect(longest).toHaveLength(2048);
    const second = (
      await w.manager.listAccounts(admin, { limit: 1, cursor: longest })
    )._unsafeUnwrap();
    expect(second.items.map((a) => a.id)).not.toContain(first.items[0]?.id);
    const tooLong = Buffer.from(`[ ${padded.slice(1)}`).toString('base64url');
    expect(tooLong.length).toBeGreaterThan(2048);
    expect(
      (await w.manager.listAccounts(admin, { cursor: tooLong }))._unsafeUnwrapErr(),
    ).toMatchObject({
      type: 'InvalidInput',
      field: 'cursor',
    });
  });

  const id = 'acct_0000000000000000000000';
  it.each([
    ['a number', 42],
    ['an object', cursorOf({ sort: 'createdAt', id })],
    ['one element', cursorOf(['createdAt'])],
    ['four elements', cursorOf(['createdAt', id, 0, 'x'])],
    ['another sort', cursorOf(['username', id, 0, 'x', null])],
    ['an unknown sort', cursorOf(['size', id, 0, 'x', null])],
    ['a string time', cursorOf(['createdAt', id, '0', 'x', null])],
    ['an infinite time', Buffer.from(`["createdAt","${id}",1e999,"x",null]`).toString('base64url')],
    ['a time past the Date range', cursorOf(['createdAt', id, 8.7e15, 'x', null])],
    ['a string last use', cursorOf(['createdAt', id, 0, 'x', '0'])],
    ['a numeric username key', cursorOf(['createdAt', id, 0, 7, null])],
    ['a malformed id', cursorOf(['createdAt', 'nope', 0, 'x', null])],
    ['a numeric id', cursorOf(['createdAt', 7, 0, 'x', null])],
    ['JSON null', cursorOf(null)],
  ])('refuses a cursor holding %s', async (_, cursor) => {
    const w = world();
    expect(
      (await w.manager.listAccounts(admin, { cursor: cursor as never }))._unsafeUnwrapErr(),
    ).toMatchObject({
      type: 'InvalidInput',
      field: 'cursor',
      message: 'cursor is not one returned by listAccounts for this sort.',
    });
  });

  it('says what a limit must be', async () => {
    const w = world();
    expect(
      (await w.manager.listAccounts(admin, { limit: '5' as never }))._unsafeUnwrapErr(),
    ).toMatchObject({
      type: 'InvalidInput',
      field: 'limit',
      message: 'limit must be a whole number from 1 to 200.',
    });
  });
});

describe('updateAccount edges', () => {
  it('changes nothing when the patch repeats the current values', async () => {
    const w = world();
    const { id, account } = await accountWithKey(w);
    const before = (await w.manager.getAccount(admin, id))._unsafeUnwrap();
    const same = await w.manager.updateAccount(admin, id, {
      username: account.username,
      email: account.email.toUpperCase(),
      phone: account.phone,
      active: true,
    });
    expect(same._unsafeUnwrap()).toEqual(before);
    const history = (await w.manager.accountHistory(admin, id))._unsafeUnwrap().items;
    expect(history.map((event) => event.type)).toEqual(['account.created', 'key.claimed']);
  });

  it("does not hold the account's own email against it when the host later has a user with it", async () => {
    const w = world();
    const { id, account } = await accountWithKey(w);
    w.ports.directory.add(account.email);
    const renamed = await w.manager.updateAccount(admin, id, { username: 'Renamed Ltd' });
    expect(renamed._unsafeUnwrap().username).toBe('Renamed Ltd');
    const sameEmail = await w.manager.updateAccount(admin, id, {
      username: 'Renamed Again',
      email: ` ${account.email.toUpperCase()} `,
    });
    expect(sameEmail._unsafeUnwrap().username).toBe('Renamed Again');
  });

  it.each([
    [null, 'patch', 'The changes must be an object such as { active: false }.'],
    ['active', 'patch', 'The changes must be an object such as { active: false }.'],
    [{ active: 'no' }, 'active', 'active must be true or false.'],
    [
      { expectedVersion: 0 },
      'expectedVersion',
      'expectedVersion must be a whole number of at least 1.',
    ],
    [
      { expectedVersion: '2' },
      'expectedVersion',
      'expectedVersion must be a whole number of at least 1.',
    ],
    [
      { expectedVersion: 1.5 },
      'expectedVersion',
      'expectedVersion must be a whole number of at least 1.',
    ],
  ])('refuses the patch %j, naming %s', async (patch, field, message) => {
    const w = world();
    const { id } = await accountWithKey(w);
    const result = await w.manager.updateAccount(admin, id, patch as never);
    expect(result._unsafeUnwrapErr()).toEqual({ type: 'InvalidInput', field, message });
  });
});
