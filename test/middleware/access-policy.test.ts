import { inMemoryPorts, signRequest } from 'api-accounts';
import { authenticate, refusalFor } from 'api-accounts/middleware';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountInput, accountWithKey, freshSealer, world } from '../helpers.js';
import { everyShim, type Shim } from './real-clients.js';

const SCOPES = { 'customers:read': 'Read customers', 'orders:write': 'Create orders' };

describe('access policy through every shim (SPEC section 7)', () => {
  const ports = inMemoryPorts();
  ports.clock.set(new Date(Math.floor(Date.now() / 1000) * 1000));
  const w = world(
    { sealer: freshSealer(), scopes: SCOPES, defaultScopes: ['customers:read'] },
    ports,
  );
  const keys = { reader: { username: '', apiKey: '' }, home: '', away: '', limited: '' };
  let open: Shim[] = [];
  let ordersOnly: Shim[] = [];
  beforeAll(async () => {
    keys.reader = await accountWithKey(w, accountInput({ username: 'Reader' }));
    // The shims listen on 127.0.0.1: the socket's address is what each framework reports by default.
    keys.home = (
      await accountWithKey(w, accountInput({ allowedIps: ['127.0.0.0/8', '::1'] }))
    ).apiKey;
    keys.away = (await accountWithKey(w, accountInput({ allowedIps: ['203.0.113.0/24'] }))).apiKey;
    keys.limited = (
      await accountWithKey(w, accountInput({ rateLimit: { limit: 8, windowMs: 60_000 } }))
    ).apiKey;
    open = await everyShim(w.manager);
    ordersOnly = await everyShim(w.manager, { scopes: ['orders:write'] });
  });
  afterAll(async () => {
    await Promise.all([...open, ...ordersOnly].map((shim) => shim.close()));
  });

  const bearer = (shim: Shim, key: string) =>
    fetch(`${shim.base}/api/v3/orders`, { headers: { authorization: `Bearer ${key}` } });

  it('answers 403 insufficient_scope with the RFC 6750 challenge naming the scope', async () => {
    for (const shim of ordersOnly) {
      const response = await bearer(shim, keys.reader.apiKey);
      expect(response.status, shim.name).toBe(403);
      expect(response.headers.get('www-authenticate'), shim.name).toBe(
        'Bearer realm="api", error="insufficient_scope", scope="orders:write"',
      );
      expect(((await response.json()) as { error: string }).error, shim.name).toBe(
        'insufficient_scope',
      );
    }
    for (const shim of open) expect((await bearer(shim, keys.reader.apiKey)).status).toBe(200);
  });

  it('challenges a signed request without the scope with the SpektrixAPI3 scheme', async () => {
    for (const shim of ordersOnly) {
      const url = `${shim.base}/api/v3/orders`;
      const signed = signRequest({
        method: 'GET',
        url,
        username: keys.reader.username,
        apiKey: keys.reader.apiKey,
        date: ports.clock.now(),
      })._unsafeUnwrap();
      const response = await fetch(url, {
        headers: { authorization: signed.authorization, date: signed.date },
      });
      expect(response.status, shim.name).toBe(403);
      expect(response.headers.get('www-authenticate'), shim.name).toBe(
        'SpektrixAPI3 realm="api", error="insufficient_scope", scope="orders:write"',
      );
    }
  });

  it("reads the client's address from the socket by default, and refuses one outside the list", async () => {
    for (const shim of open) {
      expect((await bearer(shim, keys.home)).status, shim.name).toBe(200);
      const away = await bearer(shim, keys.away);
      expect(away.status, shim.name).toBe(403);
      expect(((await away.json()) as { error: string }).error, shim.name).toBe('ip_not_allowed');
    }
  });

  it('answers 429 with Retry-After and the RateLimit headers, and tells accepted answers where they stand', async () => {
    for (const shim of open) {
      const accepted = await bearer(shim, keys.limited);
      expect(accepted.status, shim.name).toBe(200);
      expect(accepted.headers.get('ratelimit-policy'), shim.name).toBe('"account";q=8;w=60');
      expect(accepted.headers.get('ratelimit'), shim.name).toMatch(/^"account";r=\d;t=\d+$/);
      const second = await bearer(shim, keys.limited);
      expect(second.status, shim.name).toBe(200);
    }
    // Eight used by the four shims; the clock stands still, so the next is refused everywhere.
    for (const shim of open) {
      const refused = await bearer(shim, keys.limited);
      expect(refused.status, shim.name).toBe(429);
      expect(refused.headers.get('retry-after'), shim.name).toBe('8');
      expect(refused.headers.get('ratelimit-policy'), shim.name).toBe('"account";q=8;w=60');
      expect(refused.headers.get('ratelimit'), shim.name).toBe('"account";r=0;t=8');
      expect(((await refused.json()) as { error: string }).error, shim.name).toBe('rate_limited');
    }
    // A key without a limit carries no RateLimit headers.
    const free = await bearer(open[0] as Shim, keys.reader.apiKey);
    expect(free.headers.has('ratelimit'), 'no limit').toBe(false);
  });
});

describe('authenticate with scopes and clientIp', () => {
  it('takes the address from clientIp(request), and requires every scope given', async () => {
    const w = world({ scopes: SCOPES, defaultScopes: ['customers:read'] });
    const { apiKey } = await accountWithKey(w, accountInput({ allowedIps: ['203.0.113.9'] }));
    const request = new Request('https://api.example/v3/customers', {
      headers: { authorization: `Bearer ${apiKey}`, 'x-real-ip': '203.0.113.9' },
    });
    const fromHeader = { clientIp: (r: Request) => r.headers.get('x-real-ip') };
    expect((await authenticate(w.manager, request)).isErr()).toBe(true);
    expect((await authenticate(w.manager, request, fromHeader)).isOk()).toBe(true);
    const both = await authenticate(w.manager, request, {
      ...fromHeader,
      scopes: ['customers:read', 'orders:write'],
    });
    expect(both._unsafeUnwrapErr()).toMatchObject({
      type: 'InsufficientScope',
      required: ['customers:read', 'orders:write'],
      missing: ['orders:write'],
    });
    const refusal = refusalFor(both._unsafeUnwrapErr(), request.headers);
    expect(refusal.status).toBe(403);
    expect(refusal.headers['www-authenticate']).toBe(
      'Bearer realm="api", error="insufficient_scope", scope="customers:read orders:write"',
    );
  });
});
