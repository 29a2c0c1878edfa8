import { createServer, type RequestListener, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { claimPage, clientAddress, nodeListener } from 'api-accounts/claim-page';
import express from 'express';
import Fastify from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { accountInput, admin, world } from '../helpers.js';

const servers: { close: () => void }[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) server.close();
});

async function listen(listener: RequestListener): Promise<string> {
  const server = createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** An account with an open claim, and the claim page that serves it. */
async function claimWorld(ips: (string | undefined)[] = []) {
  const w = world();
  await w.manager.createAccount(admin, accountInput());
  const page = claimPage(w.manager, {
    clientIp: (request) => {
      const ip = clientAddress(request);
      ips.push(ip);
      return ip;
    },
  });
  return { w, page, ...w.lastClaim() };
}

/** What a person does: open the link, read the form, send the code. */
async function claimThrough(base: string, token: string, code: string) {
  const opened = await fetch(`${base}/api-access/claim?token=${token}`, { redirect: 'manual' });
  expect(opened.status).toBe(303);
  const cookies = opened.headers.getSetCookie();
  expect(cookies).toHaveLength(1);
  const cookie = cookies[0]?.split(';')[0] ?? '';
  const form = await fetch(`${base}${opened.headers.get('location')}`, { headers: { cookie } });
  expect(form.status).toBe(200);
  const csrf = /name="csrf" value="([^"]+)"/.exec(await form.text())?.[1] ?? '';
  return fetch(`${base}/api-access/claim`, {
    method: 'POST',
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded', origin: base },
    body: new URLSearchParams({ csrf, code }).toString(),
  });
}

/** Sends a request target and Host exactly as written (fetch would normalise both). */
function rawRequest(base: string, target: string, host?: string) {
  const { port } = new URL(base);
  return new Promise<{ status: number; headers: Record<string, unknown>; body: string }>(
    (resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port, path: target, headers: host ? { host } : {} },
        (res) => {
          let body = '';
          res.on('data', (chunk) => {
            body += chunk;
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
        },
      );
      req.on('error', reject);
      req.end();
    },
  );
}

describe('nodeListener: the origin a handler sees', () => {
  it('never takes the origin from the request target', async () => {
    const seen: string[] = [];
    const base = await listen(
      nodeListener((request) => {
        seen.push(request.url);
        return new Response('ok');
      }),
    );
    for (const target of [
      '//evil.example:8080/settings/x',
      '//x//evil.example/?token=abc',
      '/\\evil.example/x',
      '/a\\b',
      'http://evil.example/x',
      '*',
    ]) {
      const answer = await rawRequest(base, target);
      expect(answer.status, target).toBe(400);
    }
    expect(seen).toEqual([]);
    const fine = await rawRequest(base, '/settings/x?y=1');
    expect(fine.status).toBe(200);
    expect(seen).toEqual([`${base}/settings/x?y=1`]);
  });

  it('takes the origin from the configured origin, else from a well-formed Host', async () => {
    const seen: string[] = [];
    const handler = (request: Request) => {
      seen.push(new URL(request.url).origin);
      return new Response('ok');
    };
    const configured = await listen(
      nodeListener(handler, { origin: 'https://box-office.example' }),
    );
    expect((await rawRequest(configured, '/x', 'evil.example')).status).toBe(200);
    const fromHost = await listen(nodeListener(handler));
    expect((await rawRequest(fromHost, '/x', 'box-office.example:8443')).status).toBe(200);
    for (const host of ['evil.example/x', 'a@evil.example', 'evil.example\\x', 'x y']) {
      expect((await rawRequest(fromHost, '/x', host)).status, host).toBe(400);
    }
    expect(seen).toEqual(['https://box-office.example', 'http://box-office.example:8443']);
  });

  it('never redirects the claim link off the site', async () => {
    const { page, token } = await claimWorld();
    const base = await listen(nodeListener(page));
    const answer = await rawRequest(base, `//x//evil.example/?token=${token}`);
    expect(answer.status).toBe(400);
    // A handler given such a URL by another server still keeps its redirect on the site.
    const direct = await page(
      new Request(`https://box-office.example//evil.example/?token=${token}`),
    );
    expect(direct.status).toBe(303);
    expect(direct.headers.get('location')).toBe('/');
    expect(direct.headers.get('set-cookie')).toMatch(/Path=\/;/);
  });
});

describe('nodeListener', () => {
  it('serves the claim page from node:http, cookies, redirects and all', async () => {
    const ips: (string | undefined)[] = [];
    const { page, token, code, w } = await claimWorld(ips);
    const base = await listen(nodeListener(page));
    const claimed = await claimThrough(base, token, code);
    expect(claimed.status).toBe(200);
    const apiKey = /<code[^>]*id="api-key"[^>]*>([^<]+)</.exec(await claimed.text())?.[1] ?? '';
    expect((await w.manager.verifyApiKey(apiKey)).isOk()).toBe(true);
    expect(claimed.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(claimed.headers.getSetCookie()[0]).toContain('Max-Age=0');
    expect(ips).toEqual(['127.0.0.1']);
  });

  it('works in Express after express.urlencoded() has read the body', async () => {
    const { page, token, code } = await claimWorld();
    const app = express();
    app.use(express.urlencoded({ extended: false }));
    app.all('/api-access/claim', nodeListener(page));
    const base = await listen(app);
    const claimed = await claimThrough(base, token, code);
    expect(claimed.status).toBe(200);
    expect(await claimed.text()).toContain('will not be shown again');
  });

  it('works in Fastify, in a scope whose content-type parser leaves the body to the page', async () => {
    const { page, token, code } = await claimWorld();
    const app = Fastify();
    const listener = nodeListener(page);
    await app.register(async (scope) => {
      scope.removeAllContentTypeParsers();
      scope.addContentTypeParser('*', (_request, _payload, done) => done(null));
      scope.all('/api-access/claim', (request, reply) => {
        reply.hijack();
        return listener(request.raw, reply.raw);
      });
    });
    const base = await app.listen({ port: 0, host: '127.0.0.1' });
    servers.push({ close: () => void app.close() });
    const claimed = await claimThrough(base, token, code);
    expect(claimed.status).toBe(200);
    expect(await claimed.text()).toContain('will not be shown again');
  });

  it('answers a wrong code in Express without a body parser too', async () => {
    const { page, token } = await claimWorld();
    const app = express();
    app.all('/api-access/claim', nodeListener(page));
    const base = await listen(app);
    const answer = await claimThrough(base, token, '000000');
    expect(answer.status).toBe(422);
    expect(await answer.text()).toContain('4 attempts left');
  });

  it('builds URLs on the configured origin, and refuses a body over the limit', async () => {
    const seen: string[] = [];
    const base = await listen(
      nodeListener(
        async (request) => {
          seen.push(request.url);
          return new Response('ok');
        },
        { origin: 'https://box-office.example', maxBodyBytes: 10 },
      ),
    );
    expect(await (await fetch(`${base}/a/b?c=d`)).text()).toBe('ok');
    expect(seen).toEqual(['https://box-office.example/a/b?c=d']);
    const large = await fetch(base, { method: 'POST', body: 'x'.repeat(11) });
    expect(large.status).toBe(413);
    const head = await fetch(`${base}/x`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    // A handler may answer at once, as Hono's app.fetch does.
    const direct = await listen(nodeListener(() => new Response('now', { status: 201 })));
    const answer = await fetch(direct);
    expect([answer.status, await answer.text()]).toEqual([201, 'now']);
  });

  it('answers 500 when the handler throws, and clientAddress knows nothing of other requests', async () => {
    const base = await listen(nodeListener(() => Promise.reject(new Error('boom'))));
    const answer = await fetch(base);
    expect(answer.status).toBe(500);
    expect(await answer.text()).toBe('Internal error');
    expect(clientAddress(new Request('https://box-office.example/'))).toBeUndefined();
  });
});
