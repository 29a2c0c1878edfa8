import { authenticate, fetchAuth } from 'api-accounts/middleware';
import { describe, expect, it } from 'vitest';
import { admin } from '../helpers.js';
import { protectedWorld } from './fixtures.js';

const URL_BASE = 'https://box-office.example/api/v3';

describe('authenticate (Web-standard Request)', () => {
  it('accepts Bearer, X-API-Key and SpektrixAPI3, and leaves the body readable', async () => {
    const w = await protectedWorld();
    const bearer = new Request(`${URL_BASE}/customers`, {
      headers: { authorization: `Bearer ${w.account.apiKey}` },
    });
    expect((await authenticate(w.manager, bearer))._unsafeUnwrap()).toMatchObject({
      username: 'ACME Tickets',
      scheme: 'bearer',
    });
    const header = new Request(`${URL_BASE}/customers`, {
      headers: { 'x-api-key': w.account.apiKey },
    });
    expect((await authenticate(w.manager, header))._unsafeUnwrap().scheme).toBe('bearer');
    const custom = new Request(`${URL_BASE}/customers`, {
      headers: { 'x-partner-key': w.account.apiKey },
    });
    expect((await authenticate(w.manager, custom, { apiKeyHeader: 'x-partner-key' })).isOk()).toBe(
      true,
    );

    const body = JSON.stringify({ name: 'Zoë' });
    const signed = await w.sign('POST', `${URL_BASE}/customers`, body);
    const request = new Request(`${URL_BASE}/customers`, {
      method: 'POST',
      body,
      headers: {
        authorization: signed.authorization,
        date: signed.date,
        'content-type': 'application/json',
      },
    });
    expect((await authenticate(w.manager, request))._unsafeUnwrap().scheme).toBe('SpektrixAPI3');
    expect(await request.json()).toEqual({ name: 'Zoë' });
  });

  it('answers MissingCredentials without any credential, and BodyTooLarge past the limit', async () => {
    const w = await protectedWorld();
    expect((await authenticate(w.manager, new Request(URL_BASE)))._unsafeUnwrapErr().type).toBe(
      'MissingCredentials',
    );
    const body = 'x'.repeat(2000);
    const signed = await w.sign('POST', URL_BASE, body);
    const big = new Request(URL_BASE, {
      method: 'POST',
      body,
      headers: { authorization: signed.authorization, date: signed.date },
    });
    expect(
      (await authenticate(w.manager, big, { maxBodyBytes: 1000 }))._unsafeUnwrapErr().type,
    ).toBe('BodyTooLarge');
  });
});

describe('fetchAuth', () => {
  const handler = (w: Awaited<ReturnType<typeof protectedWorld>>, log: unknown[] = []) =>
    fetchAuth(
      w.manager,
      async (_request, principal) => Response.json({ owner: principal.username }),
      {
        onRefused: ({ error }) => log.push(error),
      },
    );

  it('passes an authenticated request to the handler with its principal', async () => {
    const w = await protectedWorld();
    const response = await handler(w)(
      new Request(URL_BASE, { headers: { authorization: `Bearer ${w.account.apiKey}` } }),
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ owner: 'ACME Tickets' });
  });

  it('answers 401 with RFC 6750 challenges, telling what to fix but not what exists', async () => {
    const w = await protectedWorld();
    const log: { type: string; reason?: string }[] = [];
    const app = handler(w, log);
    const missing = await app(new Request(URL_BASE));
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toBe(
      'Bearer realm="api", SpektrixAPI3 realm="api"',
    );
    expect(missing.headers.get('cache-control')).toBe('no-store');

    const wrong = await app(
      new Request(URL_BASE, {
        headers: { authorization: `Bearer ${Buffer.alloc(32, 9).toString('base64')}` },
      }),
    );
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('www-authenticate')).toMatch(
      /^Bearer realm="api", error="invalid_token", error_description=".+"$/,
    );
    expect(await wrong.json()).toEqual({
      error: 'invalid_token',
      message: 'The API key is not valid.',
    });

    // An unknown user and a bad signature from a known one read exactly the same.
    const signed = await w.sign('GET', URL_BASE);
    const unknownUser = await app(
      new Request(URL_BASE, {
        headers: {
          authorization: signed.authorization.replace('ACME Tickets', 'Nobody'),
          date: signed.date,
        },
      }),
    );
    const badSignature = await app(
      new Request(`${URL_BASE}?tampered`, {
        headers: { authorization: signed.authorization, date: signed.date },
      }),
    );
    expect(unknownUser.status).toBe(401);
    expect(unknownUser.headers.get('www-authenticate')).toBe('SpektrixAPI3 realm="api"');
    const [a, b] = [await unknownUser.json(), await badSignature.json()];
    expect(a).toEqual(b);
    expect(JSON.stringify(a)).not.toMatch(/Nobody|unknown|exist/i);
    expect(log.map((e) => e.reason)).toEqual([
      undefined,
      'unknown_key',
      'unknown_user',
      'bad_signature',
    ]);

    const stale = await app(
      new Request(URL_BASE, {
        headers: { authorization: signed.authorization, date: 'Mon, 01 Jan 2001 00:00:00 GMT' },
      }),
    );
    expect(((await stale.json()) as { message: string }).message).toMatch(/Date header/);
  });

  it('says a switched-off account is switched off (only to a holder of valid credentials)', async () => {
    const w = await protectedWorld();
    await w.manager.deactivateAccount(admin, w.account.id);
    const response = await handler(w)(
      new Request(URL_BASE, { headers: { authorization: `Bearer ${w.account.apiKey}` } }),
    );
    expect(response.status).toBe(401);
    expect(((await response.json()) as { error: string }).error).toBe('account_inactive');
  });

  it('answers 503 with Retry-After when the store is down', async () => {
    const w = await protectedWorld();
    const { ApiAccountManager } = await import('api-accounts');
    const down = new ApiAccountManager({
      ...w.ports,
      store: { ...w.ports.store, findKeyHolder: async () => Promise.reject(new Error('db down')) },
      claimUrl: (t) => t,
    });
    const response = await fetchAuth(
      down,
      async () => new Response('never'),
    )(new Request(URL_BASE, { headers: { authorization: `Bearer ${w.account.apiKey}` } }));
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('5');
  });
});
