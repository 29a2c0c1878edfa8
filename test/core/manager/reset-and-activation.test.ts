import { ApiAccountManager } from 'api-accounts';
import { describe, expect, it } from 'vitest';
import { accountInput, accountWithKey, admin, CLAIM_BASE, world } from '../../helpers.js';

describe('verifyApiKey (R9, section 3)', () => {
  it('returns a System Owner principal for a claimed key', async () => {
    const w = world();
    const { id, apiKey } = await accountWithKey(w, accountInput({ username: 'ACME' }));
    expect((await w.manager.verifyApiKey(apiKey))._unsafeUnwrap()).toEqual({
      accountId: id,
      tenant: 'default',
      username: 'ACME',
      mode: 'system-owner',
      scheme: 'bearer',
      keyState: 'current',
      keyExpiresAt: null,
      deprecatedAt: null,
      scopes: [],
      rateLimit: null,
      quota: null,
    });
  });

  it('stores only the SHA-256 of the key', async () => {
    const w = world();
    const { apiKey } = await accountWithKey(w);
    const { createHash } = await import('node:crypto');
    const [stored] = w.ports.store.snapshot().accounts;
    expect(stored?.key?.hash).toBe(createHash('sha256').update(apiKey).digest('hex'));
    expect(JSON.stringify(w.ports.store.snapshot())).not.toContain(apiKey);
  });

  it.each([
    ['', 'malformed_key'],
    ['x'.repeat(1_000_000), 'malformed_key'],
    [`ak_live_${'0'.repeat(49)}`, 'bad_checksum'],
    [Buffer.alloc(32, 7).toString('base64'), 'unknown_key'],
    [42, 'malformed_key'],
    [null, 'malformed_key'],
  ])('refuses %#: reason %s', async (key, reason) => {
    const w = world();
    await accountWithKey(w);
    expect((await w.manager.verifyApiKey(key as string))._unsafeUnwrapErr()).toMatchObject({
      type: 'InvalidKey',
      reason,
    });
  });

  it('refuses a prefixed key with one character changed without asking the store', async () => {
    const w = world({ keyFormat: { prefix: 'ak_test' } });
    const { apiKey } = await accountWithKey(w);
    const typo = apiKey.slice(0, 20) + (apiKey[20] === 'a' ? 'b' : 'a') + apiKey.slice(21);
    let lookups = 0;
    const counting = new ApiAccountManager({
      ...w.ports,
      store: {
        ...w.ports.store,
        findKeyHolder: async (h) => {
          lookups++;
          return w.ports.store.findKeyHolder(h);
        },
      },
      claimUrl: (t) => CLAIM_BASE + t,
    });
    expect((await counting.verifyApiKey(typo))._unsafeUnwrapErr()).toMatchObject({
      reason: 'bad_checksum',
    });
    expect(lookups).toBe(0);
  });

  it('keeps keys of the other format working after keyFormat changes', async () => {
    const ports = world().ports;
    const base64 = world({}, ports);
    const { apiKey: oldKey } = await accountWithKey(base64);
    const prefixed = world({ keyFormat: { prefix: 'ak_live' } }, ports);
    const { apiKey: newKey } = await accountWithKey(prefixed);
    expect(newKey.startsWith('ak_live_')).toBe(true);
    expect((await prefixed.manager.verifyApiKey(oldKey)).isOk()).toBe(true);
    expect((await base64.manager.verifyApiKey(newKey)).isOk()).toBe(true);
  });
});

describe('resetApiKey (R5)', () => {
  it('requires explicit confirmation and changes nothing without it', async () => {
    const w = world();
    const { id, apiKey } = await accountWithKey(w);
    for (const options of [undefined, {}, { confirm: false }, { confirm: 'yes' }]) {
      const result = await w.manager.resetApiKey(admin, id, options as never);
      expect(result._unsafeUnwrapErr().type).toBe('ConfirmationRequired');
    }
    expect((await w.manager.verifyApiKey(apiKey)).isOk()).toBe(true);
  });

  it('kills the old key at once and opens a new claim by SMS and email', async () => {
    const w = world();
    const { id, apiKey, account } = await accountWithKey(w);
    const sentBefore = w.ports.sms.sent.length;
    const reset = (await w.manager.resetApiKey(admin, id, { confirm: true }))._unsafeUnwrap();
    expect(reset.account).toMatchObject({ claimPending: true, keyIssuedAt: null, active: true });
    expect(reset.delivery).toEqual({
      sms: { status: 'sent', attempts: 1 },
      email: { status: 'sent', attempts: 1 },
    });
    expect(w.ports.sms.sent.length).toBe(sentBefore + 1);
    expect(w.ports.email.sent.at(-1)?.to).toBe(account.email);
    expect((await w.manager.verifyApiKey(apiKey))._unsafeUnwrapErr()).toMatchObject({
      type: 'InvalidKey',
      reason: 'unknown_key',
    });
    const { apiKey: newKey } = (await w.manager.claimApiKey(w.lastClaim()))._unsafeUnwrap();
    expect(newKey).not.toBe(apiKey);
    expect((await w.manager.verifyApiKey(newKey)).isOk()).toBe(true);
    expect((await w.manager.verifyApiKey(apiKey)).isErr()).toBe(true);
  });

  it("tells the partner by email why each claim was sent, and asks authorize for each method's own name", async () => {
    const asked: string[] = [];
    const w = world({ authorize: (_actor, action) => Boolean(asked.push(action)) });
    const { id } = await accountWithKey(w);
    const lastEmail = () => w.ports.email.sent.at(-1)?.text ?? '';
    expect((await w.manager.rotateApiKey(admin, id, { confirm: true })).isOk()).toBe(true);
    expect(lastEmail()).toContain('is ready to claim');
    expect((await w.manager.resendClaim(admin, id)).isOk()).toBe(true);
    expect(lastEmail()).toContain('Earlier links no longer work');
    expect((await w.manager.resetApiKey(admin, id, { confirm: true })).isOk()).toBe(true);
    expect(lastEmail()).toContain('was reset. The old key no longer works.');
    expect(asked.slice(-3)).toEqual(['rotateApiKey', 'resendClaim', 'resetApiKey']);
    for (const [method, what] of [
      ['resetApiKey', 'reset'],
      ['rotateApiKey', 'rotation'],
    ] as const) {
      const refused = (await w.manager[method](admin, id, {} as never))._unsafeUnwrapErr();
      expect(refused.type).toBe('ConfirmationRequired');
      expect(refused.message).toContain(`to confirm the ${what}.`);
    }
  });

  it("a resend keeps a rotation's previous key; a reset ends it", async () => {
    const w = world();
    const { id, apiKey } = await accountWithKey(w);
    await w.manager.rotateApiKey(admin, id, { confirm: true });
    await w.manager.resendClaim(admin, id);
    expect((await w.manager.verifyApiKey(apiKey)).isOk()).toBe(true);
    const before = w.ports.store.snapshot().accounts.find((a) => a.id === id);
    expect(before?.previousKey).not.toBeNull();
    await w.manager.resetApiKey(admin, id, { confirm: true });
    expect((await w.manager.verifyApiKey(apiKey)).isErr()).toBe(true);
    const after = w.ports.store.snapshot().accounts.find((a) => a.id === id);
    expect(after?.previousKey).toBeNull();
    expect(after?.key).toBeNull();
  });

  it('invalidates the previous claim link when reset while a claim is pending', async () => {
    const w = world();
    const created = (await w.manager.createAccount(admin, accountInput()))._unsafeUnwrap();
    const first = w.lastClaim();
    await w.manager.resetApiKey(admin, created.account.id, { confirm: true });
    expect((await w.manager.claimApiKey(first))._unsafeUnwrapErr().type).toBe('ClaimNotFound');
    expect((await w.manager.claimApiKey(w.lastClaim())).isOk()).toBe(true);
  });

  it('is allowed on an inactive account; the new claim completes only after reactivation', async () => {
    const w = world();
    const { id, apiKey } = await accountWithKey(w);
    await w.manager.deactivateAccount(admin, id);
    const reset = (await w.manager.resetApiKey(admin, id, { confirm: true }))._unsafeUnwrap();
    expect(reset.account.active).toBe(false);
    const claim = w.lastClaim();
    expect((await w.manager.claimApiKey(claim))._unsafeUnwrapErr().type).toBe('AccountInactive');
    await w.manager.reactivateAccount(admin, id);
    expect((await w.manager.verifyApiKey(apiKey)).isErr()).toBe(true);
    expect((await w.manager.claimApiKey(claim)).isOk()).toBe(true);
  });
});

describe('deactivate and reactivate (R6)', () => {
  it('stops the key while inactive and restores the same key, deleting nothing', async () => {
    const w = world();
    const { id, apiKey } = await accountWithKey(w);
    const off = (await w.manager.deactivateAccount(admin, id))._unsafeUnwrap();
    expect(off.active).toBe(false);
    expect(off.keyIssuedAt).not.toBeNull();
    expect((await w.manager.verifyApiKey(apiKey))._unsafeUnwrapErr()).toEqual(
      expect.objectContaining({ type: 'AccountInactive', accountId: id }),
    );
    const on = (await w.manager.reactivateAccount(admin, id))._unsafeUnwrap();
    expect(on.active).toBe(true);
    expect((await w.manager.verifyApiKey(apiKey)).isOk()).toBe(true);
  });

  it('changes nothing (no version, no event) when already in the asked state', async () => {
    const w = world();
    const { id } = await accountWithKey(w);
    const before = (await w.manager.getAccount(admin, id))._unsafeUnwrap();
    const same = (await w.manager.reactivateAccount(admin, id))._unsafeUnwrap();
    expect(same.version).toBe(before.version);
    const events = (await w.manager.accountHistory(admin, id))
      ._unsafeUnwrap()
      .items.map((e) => e.type);
    expect(events).toEqual(['account.created', 'key.claimed']);
  });

  it('answers AccountNotFound for unknown ids', async () => {
    const w = world();
    for (const id of ['acct_0000000000000000000000', 'nope', '']) {
      expect((await w.manager.deactivateAccount(admin, id))._unsafeUnwrapErr().type).toBe(
        'AccountNotFound',
      );
      expect((await w.manager.getAccount(admin, id))._unsafeUnwrapErr().type).toBe(
        'AccountNotFound',
      );
      expect(
        (await w.manager.resetApiKey(admin, id, { confirm: true }))._unsafeUnwrapErr().type,
      ).toBe('AccountNotFound');
      expect((await w.manager.accountHistory(admin, id))._unsafeUnwrapErr().type).toBe(
        'AccountNotFound',
      );
    }
  });
});
