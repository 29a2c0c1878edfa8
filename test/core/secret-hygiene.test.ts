/**
 * After a full lifecycle, no key, claim token or claim code appears in what
 * the SDK stores, records, returns as errors, or serialises.
 */
import { inspect } from 'node:util';
import type { AccountEvent } from 'api-accounts';
import { describe, expect, it } from 'vitest';
import { accountInput, admin, world, wrongCode } from '../helpers.js';

describe('secret hygiene (R10)', () => {
  it('keeps keys, tokens and codes out of storage, events, errors and serialised results', async () => {
    const events: AccountEvent[] = [];
    const w = world({ onEvent: (event) => void events.push(event) });
    const outputs: unknown[] = [];
    const secrets: { keys: string[]; tokens: string[]; codes: string[] } = {
      keys: [],
      tokens: [],
      codes: [],
    };
    const record = <T>(value: T): T => {
      outputs.push(value);
      return value;
    };
    const remember = () => {
      const claim = w.lastClaim();
      secrets.tokens.push(claim.token);
      secrets.codes.push(claim.code);
      return claim;
    };

    const created = record((await w.manager.createAccount(admin, accountInput()))._unsafeUnwrap());
    const id = created.account.id;
    const first = remember();
    record((await w.manager.inspectClaim(first.token))._unsafeUnwrap());
    record(
      (
        await w.manager.claimApiKey({ token: first.token, code: wrongCode(first.code) })
      )._unsafeUnwrapErr(),
    );
    // The claimed key is the one value meant to carry the key (its JSON does, see below): only its inspect is kept.
    const claimed = (await w.manager.claimApiKey(first))._unsafeUnwrap();
    record(inspect(claimed));
    secrets.keys.push(claimed.apiKey);
    record((await w.manager.claimApiKey(first))._unsafeUnwrapErr());
    record((await w.manager.verifyApiKey(claimed.apiKey))._unsafeUnwrap());
    record(await w.manager.resetApiKey(admin, id, { confirm: true }));
    const second = remember();
    record((await w.manager.verifyApiKey(claimed.apiKey))._unsafeUnwrapErr());
    record((await w.manager.verifyApiKey(`${claimed.apiKey.slice(0, -2)}A=`))._unsafeUnwrapErr());
    await w.manager.updateAccount(admin, id, { phone: '+447911123456' });
    record((await w.manager.claimApiKey(second))._unsafeUnwrapErr());
    record(await w.manager.resendClaim(admin, id));
    const third = remember();
    const again = (await w.manager.claimApiKey(third))._unsafeUnwrap();
    record(inspect(again));
    secrets.keys.push(again.apiKey);
    record(await w.manager.deactivateAccount(admin, id));
    record((await w.manager.verifyApiKey(again.apiKey))._unsafeUnwrapErr());
    record(await w.manager.listAccounts(admin));
    record(await w.manager.accountHistory(admin, id));
    record(await w.manager.resendClaim(admin, id));

    expect(secrets.keys.every((k) => k.length === 44)).toBe(true);
    expect(secrets.tokens.every((t) => t.length === 43)).toBe(true);
    expect(secrets.codes.every((c) => /^\d{6}$/.test(c))).toBe(true);

    const serialised = [
      JSON.stringify(w.ports.store.snapshot()),
      JSON.stringify(events),
      JSON.stringify(outputs),
      inspect(outputs, { depth: 10 }),
      JSON.stringify(w.manager),
    ].join('\n');
    // Six-digit runs can occur by chance inside hex digests; look for codes outside them.
    const withoutDigests = serialised.replace(/[0-9a-f]{64}/g, '<digest>');
    for (const key of secrets.keys) {
      expect(serialised).not.toContain(key);
      expect(serialised).not.toContain(key.slice(0, 20));
    }
    for (const token of secrets.tokens) expect(serialised).not.toContain(token.slice(0, 20));
    for (const code of secrets.codes) expect(withoutDigests).not.toContain(code);
    expect(serialised).toContain('[redacted]');
  });
});

describe('the claimed key, the one value meant to carry the key (#23)', () => {
  it('serialises with its key, so that sending it as JSON cannot lose it; inspect redacts', async () => {
    const w = world();
    await w.manager.createAccount(admin, accountInput({ username: 'Serialised Ltd' }));
    const claimed = (await w.manager.claimApiKey(w.lastClaim()))._unsafeUnwrap();
    expect(JSON.parse(JSON.stringify(claimed))).toEqual({
      username: 'Serialised Ltd',
      apiKey: claimed.apiKey,
    });
    expect(inspect(claimed)).not.toContain(claimed.apiKey);
    expect(inspect(claimed)).toContain('[redacted]');
  });
});

describe('secret hygiene with signed requests', () => {
  it('keeps the key material, its seal key and signatures out of storage, events and errors', async () => {
    const { randomBytes } = await import('node:crypto');
    const { aesGcmSealer, signRequest } = await import('api-accounts');
    const sealingKey = randomBytes(32);
    const events: AccountEvent[] = [];
    const w = world({
      sealer: aesGcmSealer({ keys: { k1: sealingKey }, current: 'k1' }),
      onEvent: (event) => void events.push(event),
    });
    const created = (await w.manager.createAccount(admin, accountInput()))._unsafeUnwrap();
    const { apiKey, username } = (await w.manager.claimApiKey(w.lastClaim()))._unsafeUnwrap();
    const url = 'https://bo.example/api/v3/customers';
    const signed = (
      await signRequest({ method: 'GET', url, username, apiKey, date: w.ports.clock.now() })
    )._unsafeUnwrap();
    const signature = signed.authorization.split(':').at(-1) ?? '';
    const errors = [
      (
        await w.manager.verifySignedRequest({
          method: 'GET',
          url: `${url}?x`,
          headers: { authorization: signed.authorization, date: signed.date },
        })
      )._unsafeUnwrapErr(),
      (
        await w.manager.verifySignedRequest({
          method: 'GET',
          url,
          headers: { authorization: signed.authorization, date: 'Mon, 01 Jan 2001 00:00:00 GMT' },
        })
      )._unsafeUnwrapErr(),
    ];
    await w.manager.resetApiKey(admin, created.account.id, { confirm: true });
    errors.push(
      (
        await w.manager.verifySignedRequest({
          method: 'GET',
          url,
          headers: { authorization: signed.authorization, date: signed.date },
        })
      )._unsafeUnwrapErr(),
    );

    const serialised = [
      JSON.stringify(w.ports.store.snapshot()),
      JSON.stringify(events),
      JSON.stringify(errors),
      inspect(errors),
    ].join('\n');
    const material = Buffer.from(apiKey, 'base64');
    for (const secret of [
      apiKey,
      material.toString('hex'),
      material.toString('base64url'),
      sealingKey.toString('base64'),
      sealingKey.toString('hex'),
      signature,
    ]) {
      expect(serialised).not.toContain(secret.slice(0, 16));
    }
  });
});
