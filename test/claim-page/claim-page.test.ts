import { type InMemoryPorts, inMemoryPorts } from 'api-accounts';
import { type ClaimPageOptions, claimPage } from 'api-accounts/claim-page';
import { injectFaults } from 'api-accounts/testing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { accountInput, admin, world } from '../helpers.js';

const PAGE = 'https://box-office.example/api-access/claim';

/** A manager with one fresh account, its claim's token and code, and the page. */
async function setUp(options: ClaimPageOptions = {}, ports: InMemoryPorts = inMemoryPorts()) {
  const w = world({}, ports);
  const created = (
    await w.manager.createAccount(admin, accountInput({ username: `O'Brien & <Co>` }))
  )._unsafeUnwrap();
  const { token, code } = w.lastClaim();
  const handle = claimPage(w.manager, options);
  const cookie = `api_accounts_claim=${token}`;
  const get = (init: RequestInit = {}) =>
    handle(new Request(PAGE, { ...init, headers: { cookie, ...init.headers } }));
  const post = (fields: Record<string, string>, headers: Record<string, string> = {}) =>
    handle(
      new Request(PAGE, {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded', ...headers },
        body: new URLSearchParams(fields).toString(),
      }),
    );
  const csrf = async () =>
    /name="csrf" value="([^"]+)"/.exec(await (await get()).text())?.[1] ?? '';
  return { w, created, token, code, handle, get, post, csrf };
}

describe('claimPage: the link', () => {
  it('moves the token from the address bar into an HttpOnly cookie', async () => {
    const { handle, token } = await setUp();
    const response = await handle(new Request(`${PAGE}?token=${token}`));
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/api-access/claim');
    const cookie = response.headers.get('set-cookie') ?? '';
    expect(cookie).toContain(`api_accounts_claim=${token}`);
    expect(cookie).toMatch(/Path=\/api-access\/claim/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).toMatch(/Secure/);
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
  });

  it('leaves Secure off only for plain HTTP on loopback', async () => {
    const { handle, token } = await setUp();
    const local = await handle(new Request(`http://localhost:3000/claim?token=${token}`));
    expect(local.headers.get('set-cookie')).not.toMatch(/Secure/);
    const plain = await handle(new Request(`http://box-office.example/claim?token=${token}`));
    expect(plain.headers.get('set-cookie')).toMatch(/Secure/);
  });

  it('treats only real loopback addresses as loopback, not names that begin with 127.', async () => {
    for (const origin of ['http://127.box-office.example', 'http://127.0.0.1.evil.example']) {
      const handle = claimPage(world().manager, { publicOrigin: origin });
      const response = await handle(new Request(`${origin}/claim?token=${'a'.repeat(43)}`));
      expect(response.headers.get('set-cookie'), origin).toContain('Secure');
    }
    for (const origin of ['http://127.0.0.1:3000', 'http://127.9.8.7', 'http://[::1]:8080']) {
      const handle = claimPage(world().manager, { publicOrigin: origin });
      const response = await handle(new Request(`${origin}/claim?token=${'a'.repeat(43)}`));
      expect(response.headers.get('set-cookie'), origin).not.toContain('Secure');
    }
  });

  it('shows the masked phone, the expiry and the form, but not the username', async () => {
    const { get, created } = await setUp();
    const response = await get();
    const html = await response.text();
    expect(response.status).toBe(200);
    expect(html).toContain('+44 ••••••• 456');
    expect(html).toMatch(/expires on/);
    expect(html).not.toContain('Brien');
    expect(html).not.toContain(created.account.email);
    expect(html).toMatch(/<label for="code">/);
    expect(html).toMatch(/<input id="code" name="code"[^>]*autocomplete="one-time-code"[^>]*>/);
    expect(html).toMatch(/inputmode="numeric"/);
    expect(html).toMatch(/<input type="hidden" name="csrf" value="[A-Za-z0-9_-]{43}">/);
  });

  it('sends the security headers on every page, with a nonce only its own style and script carry', async () => {
    const { get, post, csrf, code } = await setUp();
    for (const response of [await get(), await post({ code, csrf: await csrf() })]) {
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(response.headers.get('referrer-policy')).toBe('no-referrer');
      expect(response.headers.get('x-frame-options')).toBe('DENY');
      const csp = response.headers.get('content-security-policy') ?? '';
      expect(csp).toMatch(/default-src 'none'/);
      expect(csp).toMatch(/frame-ancestors 'none'/);
      expect(csp).toMatch(/form-action 'self'/);
      expect(csp).not.toMatch(/unsafe-inline/);
      const nonce = /script-src 'nonce-([^']+)'/.exec(csp)?.[1];
      const html = await response.text();
      const tags = html.match(/<(style|script)[^>]*>/g) ?? [];
      expect(tags.length).toBeGreaterThan(0);
      for (const tag of tags) expect(tag).toContain(`nonce="${nonce}"`);
      expect(html).not.toMatch(/\son[a-z]+=/i); // no inline event handlers
    }
  });

  it('uses a fresh nonce per response', async () => {
    const { get } = await setUp();
    const nonce = async () =>
      /nonce-([^']+)'/.exec((await get()).headers.get('content-security-policy') ?? '')?.[1];
    expect(await nonce()).not.toBe(await nonce());
  });
});

describe('claimPage: the code', () => {
  it('shows the username and the key once, clears the cookie, and the key works', async () => {
    const { w, post, csrf, code, get } = await setUp();
    const response = await post({
      code: `${code.slice(0, 3)} ${code.slice(3)}`,
      csrf: await csrf(),
    });
    const html = await response.text();
    expect(response.status).toBe(200);
    expect(html).toContain('O&#39;Brien &amp; &lt;Co&gt;');
    expect(html).not.toContain('<Co>');
    const apiKey = /<code class="key" id="api-key">([^<]+)<\/code>/.exec(html)?.[1] ?? '';
    expect((await w.manager.verifyApiKey(apiKey)).isOk()).toBe(true);
    expect(html).toMatch(/will not be shown again/);
    expect(html).toMatch(/<button type="button" id="copy" hidden/);
    expect(response.headers.get('set-cookie')).toMatch(/Max-Age=0/);
    const again = await get();
    expect(again.status).toBe(404);
    expect(await again.text()).toMatch(/already used/);
  });

  it('counts down wrong codes, then locks', async () => {
    const { post, csrf, code, get } = await setUp();
    const wrong = code === '000000' ? '111111' : '000000';
    const token = await csrf();
    for (const left of [4, 3, 2, 1]) {
      const response = await post({ code: wrong, csrf: token });
      expect(response.status).toBe(422);
      expect(await response.text()).toContain(
        `That code is not right. ${left} attempt${left === 1 ? '' : 's'} left.`,
      );
    }
    const fifth = await post({ code: wrong, csrf: token });
    expect(fifth.status).toBe(423);
    expect(await fifth.text()).toMatch(/Too many wrong codes[\s\S]*Ask your administrator/);
    expect((await post({ code, csrf: token })).status).toBe(423);
    expect((await get()).status).toBe(423);
  });

  it('refuses a POST without the right CSRF token and spends no attempt', async () => {
    const { w, post, code, token } = await setUp();
    expect((await post({ code })).status).toBe(403);
    expect((await post({ code, csrf: 'x'.repeat(43) })).status).toBe(403);
    expect((await w.manager.inspectClaim(token))._unsafeUnwrap().attemptsRemaining).toBe(5);
  });

  it('refuses a cross-site POST', async () => {
    const { post, csrf, code } = await setUp();
    const token = await csrf();
    expect((await post({ code, csrf: token }, { origin: 'https://evil.example' })).status).toBe(
      403,
    );
    expect((await post({ code, csrf: token }, { 'sec-fetch-site': 'cross-site' })).status).toBe(
      403,
    );
  });

  it('lets Sec-Fetch-Site decide over an Origin a proxy in front of the page no longer matches', async () => {
    const { handle, csrf, code, token } = await setUp();
    // TLS ends at the proxy: the handler sees http://, the browser sent https://.
    const seenByHandler = PAGE.replace('https:', 'http:');
    const answer = await handle(
      new Request(seenByHandler, {
        method: 'POST',
        headers: {
          cookie: `api_accounts_claim=${token}`,
          'content-type': 'application/x-www-form-urlencoded',
          origin: new URL(PAGE).origin,
          'sec-fetch-site': 'same-origin',
        },
        body: new URLSearchParams({ code, csrf: await csrf() }).toString(),
      }),
    );
    expect(answer.status).toBe(200);
    expect(await answer.text()).toContain('O&#39;Brien &amp; &lt;Co&gt;');
  });

  it('compares Origin with publicOrigin when the browser sends no Sec-Fetch-Site', async () => {
    const behindProxy = await setUp({ publicOrigin: 'https://public.example/ignored/path' });
    const token = await behindProxy.csrf();
    const ours = { origin: 'https://public.example' };
    const page = { origin: new URL(PAGE).origin };
    expect((await behindProxy.post({ code: '000000', csrf: token }, page)).status).toBe(403);
    expect((await behindProxy.post({ code: behindProxy.code, csrf: token }, ours)).status).toBe(
      200,
    );

    const direct = await setUp();
    expect((await direct.post({ code: '000000', csrf: await direct.csrf() }, ours)).status).toBe(
      403,
    );
    expect(
      (await direct.w.manager.inspectClaim(direct.token))._unsafeUnwrap().attemptsRemaining,
    ).toBe(5);
  });

  it('makes the link cookie Secure when the public origin is https, even if the handler sees http', async () => {
    const handle = claimPage(world().manager, { publicOrigin: 'https://box-office.example' });
    const local = await handle(new Request(`http://127.0.0.1:3000/claim?token=${'a'.repeat(43)}`));
    expect(local.headers.get('set-cookie')).toContain('Secure');
    const plain = claimPage(world().manager, { publicOrigin: 'http://localhost:3000' });
    const dev = await plain(new Request(`http://127.0.0.1:3000/claim?token=${'a'.repeat(43)}`));
    expect(dev.headers.get('set-cookie')).not.toContain('Secure');
  });

  it('says what to do for expired, unknown and switched-off links, and when the link is missing', async () => {
    const expired = await setUp();
    expired.w.ports.clock.advance(24 * 60 * 60 * 1000 + 1);
    const gone = await expired.get();
    expect(gone.status).toBe(410);
    expect(await gone.text()).toMatch(/has expired[\s\S]*Ask your administrator/);

    const unknown = await setUp();
    const response = await unknown.handle(
      new Request(PAGE, { headers: { cookie: `api_accounts_claim=${'A'.repeat(43)}` } }),
    );
    expect(response.status).toBe(404);

    const off = await setUp();
    await off.w.manager.deactivateAccount(admin, off.created.account.id);
    expect((await off.get()).status).toBe(403);
    expect(await (await off.get()).text()).toMatch(/switched off/);

    const missing = await off.handle(new Request(PAGE));
    expect(missing.status).toBe(400);
    expect(await missing.text()).toMatch(/Open the link from your email/);
  });
});

describe('claimPage: abuse', () => {
  it('answers unknown, used and cancelled links with the same page, so links cannot be told apart', async () => {
    const normalise = async (response: Response) => ({
      status: response.status,
      body: (await response.text()).replace(/nonce="[^"]+"/g, 'nonce=""'),
    });
    const used = await setUp();
    await used.post({ code: used.code, csrf: await used.csrf() });
    const cancelled = await setUp();
    await cancelled.w.manager.resendClaim(admin, cancelled.created.account.id);
    const unknown = await setUp();
    const pages = await Promise.all([
      used.get().then(normalise),
      cancelled.get().then(normalise),
      unknown
        .handle(new Request(PAGE, { headers: { cookie: `api_accounts_claim=${'B'.repeat(43)}` } }))
        .then(normalise),
    ]);
    expect(pages[0]?.status).toBe(404);
    expect(pages[1]).toEqual(pages[0]);
    expect(pages[2]).toEqual(pages[0]);
  });

  it('limits submissions per link, with Retry-After', async () => {
    const { post, csrf, code } = await setUp({ perLinkLimit: { max: 2, windowMs: 60_000 } });
    const token = await csrf();
    const wrong = code === '000000' ? '111111' : '000000';
    await post({ code: wrong, csrf: token });
    await post({ code: wrong, csrf: token });
    const third = await post({ code, csrf: token });
    expect(third.status).toBe(429);
    expect(Number(third.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('limits submissions per client IP across links', async () => {
    const ports = inMemoryPorts();
    const page = { clientIp: () => '203.0.113.9', perIpLimit: { max: 1, windowMs: 60_000 } };
    const first = await setUp(page, ports);
    expect((await first.post({ code: '999999', csrf: await first.csrf() })).status).not.toBe(429);
    expect((await first.post({ code: '999999', csrf: await first.csrf() })).status).toBe(429);
  });

  it('refuses oversized forms, other content types and other methods', async () => {
    const { handle, post, csrf } = await setUp();
    expect((await post({ code: '1'.repeat(5000), csrf: await csrf() })).status).toBe(413);
    const json = await handle(
      new Request(PAGE, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      }),
    );
    expect(json.status).toBe(415);
    const put = await handle(new Request(PAGE, { method: 'PUT' }));
    expect(put.status).toBe(405);
    expect(put.headers.get('allow')).toBe('GET, HEAD, POST');
  });

  it('answers 503 when the store fails, telling onError the type but no secret', async () => {
    const ports = inMemoryPorts();
    const errors: unknown[] = [];
    const { w, token, code } = await setUp({}, ports);
    const page = claimPage(
      world({ store: injectFaults(ports.store, { when: 'always' }) }, ports).manager,
      { onError: (error) => errors.push(error) },
    );
    const response = await page(
      new Request(PAGE, { headers: { cookie: `api_accounts_claim=${token}` } }),
    );
    expect(response.status).toBe(503);
    expect(errors).toEqual([expect.objectContaining({ type: 'StoreUnavailable' })]);
    expect(JSON.stringify(errors)).not.toContain(token);
    expect(JSON.stringify(errors)).not.toContain(code);
    expect(w).toBeDefined();
  });

  it('answers 503 when a wrapped manager throws, and masks a token in what onError hears', async () => {
    const { w, token } = await setUp();
    const errors: { type: string; message: string }[] = [];
    const throwing = {
      claimApiKey: w.manager.claimApiKey.bind(w.manager),
      inspectClaim: (leaked: string): never => {
        throw new Error(`lookup of ${leaked} failed`);
      },
    };
    const page = claimPage(throwing, { onError: (error) => errors.push(error) });
    const response = await page(
      new Request(PAGE, { headers: { cookie: `api_accounts_claim=${token}` } }),
    );
    expect(response.status).toBe(503);
    expect(errors).toEqual([
      { type: 'InternalError', message: 'Error: lookup of [redacted] failed' },
    ]);
  });

  it('never throws and always answers HTML with its headers, whatever arrives', async () => {
    const { handle } = await setUp();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('GET', 'POST', 'HEAD', 'DELETE', 'OPTIONS'),
        fc.string({ maxLength: 200 }),
        fc.string({ maxLength: 200 }),
        fc.string({ maxLength: 500 }),
        async (method, query, cookie, body) => {
          const headers = new Headers({ 'content-type': 'application/x-www-form-urlencoded' });
          try {
            headers.set('cookie', cookie);
          } catch {
            // Headers refuses some strings itself; the page never sees those.
          }
          const request = new Request(`${PAGE}?${encodeURIComponent(query)}`, {
            method,
            headers,
            ...(method === 'POST' ? { body } : {}),
          });
          const response = await handle(request);
          expect(response.status).toBeGreaterThanOrEqual(200);
          expect(response.headers.get('cache-control')).toBe('no-store');
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('claimPage: branding', () => {
  it('applies colours, logo and texts, and escapes the texts', async () => {
    const { get } = await setUp({
      systemName: 'Riverside <Theatre>',
      theme: { primaryColor: '#7a1f5c', logoUrl: 'https://cdn.riverside.example/logo.svg' },
      texts: { submit: 'Reveal & continue' },
      lang: 'en-GB',
    });
    const response = await get();
    const html = await response.text();
    expect(html).toContain('<html lang="en-GB">');
    expect(html).toContain('Riverside &lt;Theatre&gt;');
    expect(html).toContain('#7a1f5c');
    expect(html).toContain('src="https://cdn.riverside.example/logo.svg"');
    expect(html).toContain('Reveal &amp; continue');
    expect(response.headers.get('content-security-policy')).toContain(
      "img-src 'self' https://cdn.riverside.example",
    );
  });

  it('refuses colours, logos, languages and secrets that could break the page, at start-up', () => {
    const manager = world().manager;
    expect(() =>
      claimPage(manager, { theme: { primaryColor: 'red;} body{display:none' } }),
    ).toThrow(TypeError);
    expect(() => claimPage(manager, { theme: { logoUrl: 'javascript:alert(1)' } })).toThrow(
      TypeError,
    );
    expect(() => claimPage(manager, { lang: '"><script>' })).toThrow(TypeError);
    expect(() => claimPage(manager, { csrfSecret: 'short' })).toThrow(TypeError);
    expect(() => claimPage(manager, { publicOrigin: 'box-office.example' })).toThrow(TypeError);
    expect(() => claimPage(manager, { publicOrigin: 'ftp://box-office.example' })).toThrow(
      TypeError,
    );
  });
});
