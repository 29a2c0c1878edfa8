/**
 * One verification per request (#23): an outer middleware of this package
 * (`app.use(...)`) and an inner one with scopes on a route verify once, so a
 * request uses one rate-limit unit and counts once in usage, and the inner
 * one still refuses a key without its scopes. In every shim, with bearer
 * keys and signed requests.
 */
import type { RequestListener } from 'node:http';
import { inspect } from 'node:util';
import { inMemoryPorts, signRequest } from 'api-accounts';
import { nodeListener } from 'api-accounts/claim-page';
import {
  type ApiAccountsEnv,
  authenticateParts,
  expressAuth,
  expressPrincipal,
  fastifyAuth,
  fastifyPrincipal,
  fetchAuth,
  honoAuth,
} from 'api-accounts/middleware';
import express from 'express';
import Fastify from 'fastify';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountInput, accountWithKey, admin, freshSealer, world } from '../helpers.js';
import { listen, type Shim } from './real-clients.js';

const SCOPES = { 'customers:read': 'Read customers', 'orders:write': 'Create orders' };

describe('stacked middleware verifies once (#23)', () => {
  const ports = inMemoryPorts();
  ports.clock.set(new Date(Math.floor(Date.now() / 1000) * 1000));
  const w = world(
    { sealer: freshSealer(), scopes: SCOPES, defaultScopes: ['customers:read'] },
    ports,
  );
  const limit = { limit: 100, windowMs: 60_000 };
  let shims: Shim[] = [];
  let writer = { id: '', username: '', apiKey: '' };
  let reader = { id: '', username: '', apiKey: '' };

  beforeAll(async () => {
    writer = await accountWithKey(
      w,
      accountInput({
        username: 'Writer',
        scopes: ['customers:read', 'orders:write'],
        rateLimit: limit,
      }),
    );
    reader = await accountWithKey(w, accountInput({ username: 'Reader', rateLimit: limit }));
    const inner = { scopes: ['orders:write'] };

    const app = express();
    app.use(expressAuth(w.manager));
    app.post('/api/orders', expressAuth(w.manager, inner), (_req, res) => {
      res.json({ who: expressPrincipal(res).username });
    });

    const fastify = Fastify();
    await fastify.register(fastifyAuth(w.manager));
    await fastify.register(async (scoped) => {
      await scoped.register(fastifyAuth(w.manager, inner));
      scoped.post('/api/orders', async (request) => ({ who: fastifyPrincipal(request).username }));
    });
    await fastify.ready();

    const hono = new Hono<ApiAccountsEnv>();
    hono.use('/api/*', honoAuth(w.manager));
    hono.post('/api/orders', honoAuth(w.manager, inner), (c) =>
      c.json({ who: c.get('principal').username }),
    );

    const fetchHandler = fetchAuth(w.manager, (request) =>
      fetchAuth(
        w.manager,
        (_request, principal) => Response.json({ who: principal.username }),
        inner,
      )(request),
    );

    shims = await Promise.all([
      listen('Express', app as unknown as RequestListener),
      listen('Fastify', (req, res) => fastify.routing(req, res)),
      listen('Hono on nodeListener', nodeListener(hono.fetch)),
      listen('fetchAuth in fetchAuth', nodeListener(fetchHandler)),
    ]);
  });
  afterAll(async () => {
    await Promise.all(shims.map((shim) => shim.close()));
  });

  const usageOf = async (id: string) =>
    (await w.manager.accountUsage(admin, id))
      ._unsafeUnwrap()
      .items.reduce((sum, day) => sum + day.accepted, 0);

  it('uses one rate-limit unit and one usage count per request, bearer and signed', async () => {
    for (const shim of shims) {
      const before = await usageOf(writer.id);
      const body = '{"item":1}';
      const url = `${shim.base}/api/orders`;
      const bearer = await fetch(url, {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${writer.apiKey}` },
      });
      expect(bearer.status, shim.name).toBe(200);
      const left = Number(/r=(\d+)/.exec(bearer.headers.get('ratelimit') ?? '')?.[1]);
      const signed = signRequest({
        method: 'POST',
        url,
        body,
        username: writer.username,
        apiKey: writer.apiKey,
        date: ports.clock.now(),
      })._unsafeUnwrap();
      const viaSignature = await fetch(url, {
        method: 'POST',
        body,
        headers: {
          'content-type': 'application/json',
          authorization: signed.authorization,
          date: signed.date,
        },
      });
      expect(viaSignature.status, shim.name).toBe(200);
      expect(await viaSignature.json(), shim.name).toEqual({ who: 'Writer' });
      // The clock stands still: one unit between the two requests, not two.
      expect(
        Number(/r=(\d+)/.exec(viaSignature.headers.get('ratelimit') ?? '')?.[1]),
        shim.name,
      ).toBe(left - 1);
      expect((await usageOf(writer.id)) - before, shim.name).toBe(2);
    }
  });

  it('still refuses, in the inner middleware, a key without its scopes', async () => {
    for (const shim of shims) {
      const refused = await fetch(`${shim.base}/api/orders`, {
        method: 'POST',
        headers: { authorization: `Bearer ${reader.apiKey}` },
      });
      expect(refused.status, shim.name).toBe(403);
      expect(refused.headers.get('www-authenticate'), shim.name).toContain('insufficient_scope');
    }
  });
});

describe('the mark an outer middleware leaves on the request', () => {
  it('is invisible to copies, prints and JSON, and a frozen request is verified again rather than refused', async () => {
    const w = world({ rateLimit: { limit: 10, windowMs: 60_000 } });
    const { id, apiKey } = await accountWithKey(w);
    const request = { headers: { authorization: `Bearer ${apiKey}` } };
    const parts = { method: 'GET', url: '/x', headers: request.headers, body: () => undefined };
    expect((await authenticateParts(w.manager, parts, {}, request))._unsafeUnwrap().accountId).toBe(
      id,
    );
    expect(Object.getOwnPropertySymbols({ ...request })).toEqual([]);
    expect(JSON.stringify(request)).toBe(JSON.stringify({ headers: request.headers }));
    expect(inspect(request)).not.toContain(id);
    // Verified once: the second call on the same request spends no unit of the rate limit.
    const second = (await authenticateParts(w.manager, parts, {}, request))._unsafeUnwrap();
    expect(second.rateLimit?.remaining).toBe(9);
    const frozen = Object.freeze({ headers: request.headers });
    const first = (await authenticateParts(w.manager, parts, {}, frozen))._unsafeUnwrap();
    const again = (await authenticateParts(w.manager, parts, {}, frozen))._unsafeUnwrap();
    expect([first.rateLimit?.remaining, again.rateLimit?.remaining]).toEqual([8, 7]);
  });
});
