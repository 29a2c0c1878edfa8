/**
 * `reportLeakedKey` (#26, SPEC section 10), the path every leak report takes:
 * a live key stops and its owner is told where it was found, a report it
 * cannot keep is refused, and nothing that is not live changes.
 */
import { describe, expect, it } from 'vitest';
import { accountInput, admin, type World, world } from '../../helpers.js';

async function keyed(w: World, input = accountInput()) {
  const created = (await w.manager.createAccount(admin, input))._unsafeUnwrap();
  const claim = w.lastClaim({ phone: input.phone, email: created.account.email });
  const { apiKey } = (await w.manager.claimApiKey(claim))._unsafeUnwrap();
  return { id: created.account.id, apiKey, email: created.account.email };
}

describe('reportLeakedKey (#26)', () => {
  it('takes a report from any channel, keeps no key in it, and answers null for what is not live', async () => {
    const w = world({ keyFormat: { prefix: 'ak_test' } });
    const { id, apiKey } = await keyed(w);
    const invalid = await w.manager.reportLeakedKey(apiKey, {
      source: '',
      url: 'ftp://x',
    } as never);
    expect(invalid._unsafeUnwrapErr()).toMatchObject({ type: 'InvalidInput', field: 'source' });
    expect(
      (
        await w.manager.reportLeakedKey(apiKey, { source: 'support', url: 'javascript:alert(1)' })
      )._unsafeUnwrapErr(),
    ).toMatchObject({ type: 'InvalidInput', field: 'url' });
    expect(JSON.stringify(invalid)).not.toContain(apiKey);
    const leaked = await w.manager.reportLeakedKey(apiKey, {
      source: 'support',
      url: `https://gist.example/raw?leaked=${apiKey}`,
    });
    expect(leaked._unsafeUnwrap()).toMatchObject({
      accountId: id,
      action: 'revoked',
      keyState: 'current',
    });
    const history = (await w.manager.accountHistory(admin, id))._unsafeUnwrap().items;
    expect(history.at(-1)?.leak).toEqual({
      source: 'support',
      url: 'https://gist.example/raw?leaked=[key]',
    });
    for (const key of [apiKey, 'ak_test_nope', 'not a key', 42]) {
      expect(
        (await w.manager.reportLeakedKey(key as string, { source: 'support' }))._unsafeUnwrap(),
      ).toBeNull();
    }
  });

  it('writes the leak message in German for a German locale', async () => {
    const w = world({ keyFormat: { prefix: 'ak_test' }, messages: { locale: 'de-DE' } });
    const { apiKey } = await keyed(w);
    await w.manager.reportLeakedKey(apiKey, { source: 'github', url: 'https://github.com/a/b' });
    const mail = w.ports.email.sent.at(-1);
    expect(mail?.subject).toContain('öffentlich gefunden');
    expect(mail?.text).toContain('Gemeldet hat ihn github, gefunden unter https://github.com/a/b');
  });
  it("ends only a previous key's grace, and tells nobody by message", async () => {
    const w = world();
    const { id, apiKey } = await keyed(w);
    (await w.manager.rotateApiKey(admin, id, { confirm: true }))._unsafeUnwrap();
    const next = (await w.manager.claimApiKey(w.lastClaim()))._unsafeUnwrap();
    const [sms, mail] = [w.ports.sms.sent.length, w.ports.email.sent.length];
    const leaked = (await w.manager.reportLeakedKey(apiKey, { source: 'partner' }))._unsafeUnwrap();
    expect(leaked).toEqual({
      accountId: id,
      tenant: 'default',
      keyState: 'previous',
      action: 'grace_ended',
    });
    expect((await w.manager.verifyApiKey(apiKey)).isErr()).toBe(true);
    expect((await w.manager.verifyApiKey(next.apiKey)).isOk()).toBe(true);
    expect([w.ports.sms.sent.length, w.ports.email.sent.length]).toEqual([sms, mail]);
    const history = (await w.manager.accountHistory(admin, id))._unsafeUnwrap().items;
    expect(history.at(-1)).toMatchObject({
      type: 'key.leaked',
      leak: { source: 'partner', url: null },
    });
  });

  it('answers null and changes nothing for a key past its grace or its lifetime', async () => {
    const DAY = 86_400_000;
    const w = world({ keyLifetime: { ms: 30 * DAY, reminders: [] } });
    const rotated = await keyed(w);
    (
      await w.manager.rotateApiKey(admin, rotated.id, { confirm: true, maxGraceMs: DAY })
    )._unsafeUnwrap();
    (await w.manager.claimApiKey(w.lastClaim()))._unsafeUnwrap();
    const expiring = await keyed(w);
    w.ports.clock.advance(31 * DAY);
    const before = w.ports.store.snapshot();
    const sent = w.ports.email.sent.length;
    for (const key of [rotated.apiKey, expiring.apiKey]) {
      expect(
        (await w.manager.reportLeakedKey(key, { source: 'support' }))._unsafeUnwrap(),
      ).toBeNull();
    }
    expect(w.ports.store.snapshot()).toEqual(before);
    expect(w.ports.email.sent.length).toBe(sent);
  });

  it('keeps a report only as a short source and an http(s) address, trimmed, without the key', async () => {
    const w = world();
    const { id, apiKey } = await keyed(w);
    const refused = async (report: object) =>
      (await w.manager.reportLeakedKey(apiKey, report as never))._unsafeUnwrapErr();
    for (const source of ['', '   ', 'x'.repeat(65), 'tab\there', 7, undefined]) {
      expect(await refused({ source })).toMatchObject({
        type: 'InvalidInput',
        field: 'source',
        message: 'source must be 1–64 characters of text.',
      });
    }
    for (const url of [
      'ftp://x.example/',
      'not a url',
      `https://x.example/${'x'.repeat(2048)}`,
      5,
    ]) {
      expect(await refused({ source: 'support', url })).toMatchObject({
        type: 'InvalidInput',
        field: 'url',
        message: 'url must be an http(s) address of up to 2048 characters.',
      });
    }
    expect(await refused(null as never)).toMatchObject({ field: 'source' });
    // Nothing refused changed anything.
    expect((await w.manager.verifyApiKey(apiKey)).isOk()).toBe(true);
    const leaked = await w.manager.reportLeakedKey(apiKey, {
      source: `  ${'s'.repeat(64)}  `,
      url: `http://x.example/${'y'.repeat(2000)}`,
    });
    expect(leaked._unsafeUnwrap()?.delivery).toEqual({
      sms: { status: 'sent', attempts: 1 },
      email: { status: 'sent', attempts: 1 },
    });
    const event = (await w.manager.accountHistory(admin, id))._unsafeUnwrap().items.at(-1);
    expect(event?.leak?.source).toBe('s'.repeat(64));
    expect(event?.leak?.url).toBe(`http://x.example/${'y'.repeat(2000)}`);
    // A reporter quoting the key in its source has it replaced too.
    const second = await keyed(w);
    await w.manager.reportLeakedKey(second.apiKey, {
      source: second.apiKey.slice(0, 40),
      url: null,
    });
    const quoted = await keyed(w);
    await w.manager.reportLeakedKey(quoted.apiKey, {
      source: 'x',
      url: `https://a.example/#${quoted.apiKey}`,
    });
    const kept = (await w.manager.accountHistory(admin, quoted.id))._unsafeUnwrap().items.at(-1);
    expect(kept?.leak).toEqual({ source: 'x', url: 'https://a.example/#[key]' });
  });
});
