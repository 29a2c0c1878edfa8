import { inMemoryPorts } from 'api-accounts';
import { injectFaults, inMemoryUserDirectory } from 'api-accounts/testing';
import { describe, expect, it } from 'vitest';
import { accountInput, admin, CLAIM_BASE, world } from '../../helpers.js';

describe('createAccount (R2, R3)', () => {
  it('stores the account active, with no key and a pending claim, and normalises its fields', async () => {
    const w = world();
    const result = await w.manager.createAccount(admin, {
      username: '  ACME Tickets  ',
      email: '  Integrations@ACME.example ',
      phone: '+44 (7894) 123-456',
    });
    const { account, claim, delivery } = result._unsafeUnwrap();
    expect(account).toMatchObject({
      username: 'ACME Tickets',
      email: 'integrations@acme.example',
      phone: '+447894123456',
      active: true,
      claimPending: true,
      keyIssuedAt: null,
      version: 1,
    });
    expect(account.id).toMatch(/^acct_[0-9A-Za-z]{22}$/);
    expect(account.createdAt).toEqual(w.ports.clock.now());
    expect(claim.expiresAt.getTime() - w.ports.clock.now().getTime()).toBe(24 * 60 * 60 * 1000);
    expect(delivery).toEqual({
      sms: { status: 'sent', attempts: 1 },
      email: { status: 'sent', attempts: 1 },
    });
    expect((await w.manager.getAccount(admin, account.id))._unsafeUnwrap()).toEqual(account);
  });

  it('sends the code only by SMS and the link only by email', async () => {
    const w = world();
    await w.manager.createAccount(
      admin,
      accountInput({ email: 'dev@acme.example', phone: '+447894123456' }),
    );
    const [sms] = w.ports.sms.sent;
    const [email] = w.ports.email.sent;
    expect(sms?.to).toBe('+447894123456');
    expect(email?.to).toBe('dev@acme.example');
    const { token, code } = w.lastClaim();
    expect(code).toMatch(/^\d{6}$/);
    expect(token.length).toBeGreaterThanOrEqual(22); // at least 128 bits
    expect(sms?.text).not.toContain(token);
    expect(sms?.text).not.toContain('http');
    for (const part of [email?.text, email?.html, email?.subject]) {
      expect(part).not.toContain(code);
    }
    expect(email?.text).toContain(`${CLAIM_BASE}${token}`);
    expect(email?.html).toContain(`${CLAIM_BASE}${token}`);
  });

  it('draws a fresh token and code for every claim', async () => {
    const w = world();
    const tokens = new Set<string>();
    for (let i = 0; i < 20; i++) {
      await w.manager.createAccount(admin, accountInput());
      tokens.add(w.lastClaim().token);
    }
    expect(tokens.size).toBe(20);
  });

  it('rejects a username taken by another account, ignoring case and surrounding space', async () => {
    const w = world();
    await w.manager.createAccount(admin, accountInput({ username: 'ACME Tickets' }));
    const again = await w.manager.createAccount(
      admin,
      accountInput({ username: ' acme tickets ' }),
    );
    expect(again._unsafeUnwrapErr()).toMatchObject({
      type: 'UsernameTaken',
      username: 'acme tickets',
    });
  });

  it('refuses look-alikes of an existing username: full width, zero-width space, soft hyphen', async () => {
    const w = world();
    await w.manager.createAccount(admin, accountInput({ username: 'ACME' }));
    const fullWidth = await w.manager.createAccount(admin, accountInput({ username: 'ＡＣＭＥ' }));
    expect(fullWidth._unsafeUnwrapErr().type).toBe('UsernameTaken');
    for (const username of ['AC\u200BME', 'A\u00ADCME']) {
      const result = await w.manager.createAccount(admin, accountInput({ username }));
      expect(result._unsafeUnwrapErr()).toMatchObject({
        type: 'InvalidUsername',
        reason: 'invisible_character',
      });
    }
    expect(w.ports.store.snapshot().accounts).toHaveLength(1);
  });

  it('rejects an email taken by another API account after trimming, NFC and lower-casing', async () => {
    const w = world();
    await w.manager.createAccount(admin, accountInput({ email: 'rené@théâtre.example' }));
    const again = await w.manager.createAccount(
      admin,
      accountInput({ email: ' RENE\u0301@THÉÂTRE.example' }),
    );
    expect(again._unsafeUnwrapErr()).toMatchObject({
      type: 'EmailTaken',
      takenBy: 'api-account',
      email: 'rené@théâtre.example',
    });
  });

  it("rejects an email used by one of the host's user accounts", async () => {
    const w = world({ directory: inMemoryUserDirectory(['Box.Office@Riverside.example']) });
    const result = await w.manager.createAccount(
      admin,
      accountInput({ email: 'box.office@riverside.example' }),
    );
    expect(result._unsafeUnwrapErr()).toMatchObject({
      type: 'EmailTaken',
      takenBy: 'user-account',
    });
    expect((await w.manager.listAccounts(admin))._unsafeUnwrap().items).toEqual([]);
    expect(w.ports.sms.sent).toEqual([]);
  });

  it('directory.add on inMemoryPorts registers a host user', async () => {
    const w = world();
    w.ports.directory.add('staff@riverside.example');
    const result = await w.manager.createAccount(
      admin,
      accountInput({ email: 'STAFF@riverside.example' }),
    );
    expect(result._unsafeUnwrapErr()).toMatchObject({
      type: 'EmailTaken',
      takenBy: 'user-account',
    });
  });

  it.each([
    ['07894 123 456', 'missing_country_code'],
    ['+44 20 7946 0000', 'not_mobile'],
    ['phone me', 'not_a_number'],
    ['+44 7', 'too_short'],
    ['+44 78941234567890123', 'too_long'],
  ])('rejects the phone %s with reason %s, storing nothing', async (phone, reason) => {
    const w = world();
    const result = await w.manager.createAccount(admin, accountInput({ phone }));
    expect(result._unsafeUnwrapErr()).toMatchObject({ type: 'InvalidPhone', input: phone, reason });
    expect(w.ports.store.snapshot().accounts).toEqual([]);
  });

  it('explains that 07894 123 456 must be entered in international form', async () => {
    const w = world();
    const error = (
      await w.manager.createAccount(admin, accountInput({ phone: '07894 123 456' }))
    )._unsafeUnwrapErr();
    expect(error.message).toContain('+447894123456');
  });

  it('accepts national input when a defaultCountry is configured', async () => {
    const w = world({ phone: { defaultCountry: 'GB' } });
    const result = await w.manager.createAccount(admin, accountInput({ phone: '07894 123 456' }));
    expect(result._unsafeUnwrap().account.phone).toBe('+447894123456');
  });

  it('reports a failed SMS without failing or losing anything, and resend recovers', async () => {
    const ports = inMemoryPorts();
    const flaky = world({ sms: injectFaults(ports.sms, { when: { nth: 1 } }) }, ports);
    const created = (await flaky.manager.createAccount(admin, accountInput()))._unsafeUnwrap();
    expect(created.delivery.sms).toMatchObject({
      status: 'failed',
      error: { type: 'DeliveryFailed', channel: 'sms' },
    });
    expect(created.delivery.email).toEqual({ status: 'sent', attempts: 1 });
    expect(created.account.claimPending).toBe(true);
    const resent = (await flaky.manager.resendClaim(admin, created.account.id))._unsafeUnwrap();
    expect(resent.delivery).toEqual({
      sms: { status: 'sent', attempts: 1 },
      email: { status: 'sent', attempts: 1 },
    });
    const { token, code } = flaky.lastClaim();
    expect((await flaky.manager.claimApiKey({ token, code })).isOk()).toBe(true);
  });

  it('reports a failed email (even a synchronous throw) per channel', async () => {
    const ports = inMemoryPorts();
    const broken = world(
      { email: injectFaults(ports.email, { when: 'always', how: 'throw' }) },
      ports,
    );
    const created = (await broken.manager.createAccount(admin, accountInput()))._unsafeUnwrap();
    expect(created.delivery.email).toMatchObject({ status: 'failed', error: { channel: 'email' } });
    expect(created.delivery.sms).toEqual({ status: 'sent', attempts: 1 });
    expect(ports.store.snapshot().accounts).toHaveLength(1);
  });

  it('reports a failing template or claimUrl as a failed delivery', async () => {
    const w = world({
      claimUrl: () => {
        throw new Error('bad url config');
      },
      messages: {
        sms: () => {
          throw new Error('bad template');
        },
      },
    });
    const created = (await w.manager.createAccount(admin, accountInput()))._unsafeUnwrap();
    expect(created.delivery.sms.status).toBe('failed');
    expect(created.delivery.email.status).toBe('failed');
  });

  it('uses the host templates and system name when given', async () => {
    const w = world({
      systemName: 'Riverside Theatre',
      messages: {
        sms: (context, code) => `${context.systemName} code ${code} for ${context.username}`,
        email: (context, link) => ({
          subject: `Hello ${context.username}`,
          text: link,
          html: `<a href="${link}">x</a>`,
        }),
      },
    });
    await w.manager.createAccount(admin, accountInput({ username: 'ACME' }));
    expect(w.ports.sms.sent[0]?.text).toMatch(/^Riverside Theatre code \d{6} for ACME$/);
    expect(w.ports.email.sent[0]?.subject).toBe('Hello ACME');
  });

  it('escapes the username in the default HTML email', async () => {
    const w = world();
    await w.manager.createAccount(
      admin,
      accountInput({ username: `<script>O'Brien & Co</script>` }),
    );
    const html = w.ports.email.sent[0]?.html ?? '';
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;O&#39;Brien &amp; Co&lt;/script&gt;');
  });
});
