import { describe, expect, it } from 'vitest';
import { accountInput, admin, world, wrongCode } from '../../helpers.js';

async function pendingClaim(options: Parameters<typeof world>[0] = {}) {
  const w = world(options);
  const created = (
    await w.manager.createAccount(admin, accountInput({ username: 'ACME Tickets' }))
  )._unsafeUnwrap();
  return { w, id: created.account.id, ...w.lastClaim() };
}

describe('inspectClaim (R4)', () => {
  it('shows the masked phone, the expiry and the attempts left, never the username', async () => {
    const { w, token } = await pendingClaim();
    const preview = (await w.manager.inspectClaim(token))._unsafeUnwrap();
    expect(preview).toEqual({
      maskedPhone: '+44 ••••••• 456',
      expiresAt: new Date(w.ports.clock.now().getTime() + 24 * 60 * 60 * 1000),
      attemptsRemaining: 5,
    });
    expect(JSON.stringify(preview)).not.toContain('ACME');
  });

  it('tells unknown, expired and locked links apart', async () => {
    const { w, token, code } = await pendingClaim();
    expect((await w.manager.inspectClaim('x'.repeat(43)))._unsafeUnwrapErr().type).toBe(
      'ClaimNotFound',
    );
    expect((await w.manager.inspectClaim('not a token'))._unsafeUnwrapErr().type).toBe(
      'ClaimNotFound',
    );
    for (let i = 0; i < 5; i++) await w.manager.claimApiKey({ token, code: wrongCode(code) });
    expect((await w.manager.inspectClaim(token))._unsafeUnwrapErr().type).toBe('ClaimLocked');
    const other = await pendingClaim();
    other.w.ports.clock.advance(24 * 60 * 60 * 1000);
    expect((await other.w.manager.inspectClaim(other.token))._unsafeUnwrapErr().type).toBe(
      'ClaimExpired',
    );
  });
});

describe('claimApiKey (R4)', () => {
  it('issues the key once and shows the username with it', async () => {
    const { w, id, token, code } = await pendingClaim();
    const claimed = (await w.manager.claimApiKey({ token, code }))._unsafeUnwrap();
    expect(claimed.username).toBe('ACME Tickets');
    expect(Buffer.from(claimed.apiKey, 'base64')).toHaveLength(32);
    const account = (await w.manager.getAccount(admin, id))._unsafeUnwrap();
    expect(account.claimPending).toBe(false);
    expect(account.keyIssuedAt).toEqual(w.ports.clock.now());
    expect((await w.manager.claimApiKey({ token, code }))._unsafeUnwrapErr().type).toBe(
      'ClaimNotFound',
    );
  });

  it('accepts the code typed with spaces or a dash', async () => {
    const { w, token, code } = await pendingClaim();
    const typed = `${code.slice(0, 3)} - ${code.slice(3)}`;
    expect((await w.manager.claimApiKey({ token, code: typed })).isOk()).toBe(true);
  });

  it('counts each wrong code; the fifth answers 0 remaining and every later try is ClaimLocked', async () => {
    const { w, token, code } = await pendingClaim();
    const remaining: number[] = [];
    for (let i = 0; i < 5; i++) {
      const error = (
        await w.manager.claimApiKey({ token, code: wrongCode(code) })
      )._unsafeUnwrapErr();
      expect(error.type).toBe('CodeIncorrect');
      if (error.type === 'CodeIncorrect') remaining.push(error.attemptsRemaining);
    }
    expect(remaining).toEqual([4, 3, 2, 1, 0]);
    expect(
      (await w.manager.claimApiKey({ token, code: wrongCode(code) }))._unsafeUnwrapErr().type,
    ).toBe('ClaimLocked');
    expect((await w.manager.claimApiKey({ token, code }))._unsafeUnwrapErr().type).toBe(
      'ClaimLocked',
    );
  });

  it('honours a configured attempt limit and time to live', async () => {
    const { w, token, code } = await pendingClaim({ claim: { maxAttempts: 2, ttlMs: 60_000 } });
    expect((await w.manager.inspectClaim(token))._unsafeUnwrap().attemptsRemaining).toBe(2);
    await w.manager.claimApiKey({ token, code: wrongCode(code) });
    w.ports.clock.advance(59_999);
    expect(
      (await w.manager.claimApiKey({ token, code: wrongCode(code) }))._unsafeUnwrapErr(),
    ).toMatchObject({
      type: 'CodeIncorrect',
      attemptsRemaining: 0,
    });
    const fresh = await pendingClaim({ claim: { ttlMs: 60_000 } });
    fresh.w.ports.clock.advance(60_000);
    expect(
      (
        await fresh.w.manager.claimApiKey({ token: fresh.token, code: fresh.code })
      )._unsafeUnwrapErr().type,
    ).toBe('ClaimExpired');
  });

  it('answers AccountInactive on a switched-off account without using an attempt', async () => {
    const { w, id, token, code } = await pendingClaim();
    await w.manager.deactivateAccount(admin, id);
    expect((await w.manager.claimApiKey({ token, code }))._unsafeUnwrapErr()).toMatchObject({
      type: 'AccountInactive',
      accountId: id,
    });
    expect(
      (await w.manager.claimApiKey({ token, code: wrongCode(code) }))._unsafeUnwrapErr().type,
    ).toBe('AccountInactive');
    expect((await w.manager.inspectClaim(token))._unsafeUnwrapErr().type).toBe('AccountInactive');
    await w.manager.reactivateAccount(admin, id);
    expect((await w.manager.inspectClaim(token))._unsafeUnwrap().attemptsRemaining).toBe(5);
    expect((await w.manager.claimApiKey({ token, code })).isOk()).toBe(true);
  });

  it("needs both halves: a token with another claim's code fails", async () => {
    const w = world();
    await w.manager.createAccount(admin, accountInput());
    const first = w.lastClaim();
    await w.manager.createAccount(admin, accountInput());
    const second = w.lastClaim();
    const mixed = await w.manager.claimApiKey({ token: first.token, code: second.code });
    if (first.code !== second.code) expect(mixed._unsafeUnwrapErr().type).toBe('CodeIncorrect');
    expect(
      (await w.manager.claimApiKey({ token: 'A'.repeat(43), code: first.code }))._unsafeUnwrapErr()
        .type,
    ).toBe('ClaimNotFound');
  });

  it('issues prefixed keys with a checksum when keyFormat has a prefix', async () => {
    const { w, token, code } = await pendingClaim({ keyFormat: { prefix: 'ak_live' } });
    const { apiKey } = (await w.manager.claimApiKey({ token, code }))._unsafeUnwrap();
    expect(apiKey).toMatch(/^ak_live_[0-9A-Za-z]{49}$/);
    expect((await w.manager.verifyApiKey(apiKey)).isOk()).toBe(true);
  });
});
