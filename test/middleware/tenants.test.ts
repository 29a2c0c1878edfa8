/**
 * Tenants in the middleware (#25, SPEC section 9): with `tenant` read from
 * the path (`/:client/api/v3`), a key of another venue is refused exactly as
 * an unknown key (status, headers, body), a signed request's username is
 * looked up in the path's venue, and an inner middleware naming its venue
 * refuses what an outer one accepted for another. In every shim.
 */
import { randomBytes } from 'node:crypto';
import type { RequestListener } from 'node:http';
import { type Actor, inMemoryPorts, SETTINGS_ADMINISTRATOR, signRequest } from 'api-accounts';
import { nodeListener } from 'api-accounts/claim-page';
import {
  type ApiAccountsEnv,
  expressAuth,
  expressPrincipal,
  fastifyAuth,
  fastifyPrincipal,
  fetchAuth,
  honoAuth,
} from 'api-accounts/middleware';
import express from 'express';
import Fastify from 'fastify';
import { type Context, Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountInput, freshSealer, world } from '../helpers.js';
import { listen, type Shim } from './real-clients.js';

const sam: Actor = { id: 'sam', roles: [SETTINGS_ADMINISTRATOR], tenants: '*' };

describe('the tenant option of every shim (#25)', () => {
  const ports = inMemoryPorts();
  ports.clock.set(new Date(Math.floor(Date.now() / 1000) * 1000));
  const w = world({ sealer: freshSealer() }, ports);
  const keys: Record<string, { username: string; apiKey: string }> = {};
  let shims: Shim[] = [];

  beforeAll(async () => {
    // One partner name in both venues, each with its own key.
    const input = accountInput({ username: 'ACME Tickets' });
    for (const tenant of ['venue-a', 'venue-b']) {
      const created = (await w.manager.createAccount(sam, { ...input, tenant }))._unsafeUnwrap();
      const claim = w.lastClaim({ phone: input.phone, email: created.account.email });
      keys[tenant] = (await w.manager.claimApiKey(claim))._unsafeUnwrap();
    }
    const answer = (principal: { tenant: string; username: string }) => ({
      tenant: principal.tenant,
      who: principal.username,
    });

    const app = express();
    app.use(
      '/:client/api/v3',
      expressAuth(w.manager, {
        tenant: (req: express.Request<{ client: string }>) => req.params.client,
      }),
    );
    app.get('/:client/api/v3/customers', (_req, res) => {
      res.json(answer(expressPrincipal(res)));
    });
    // Outer middleware for any tenant, inner one naming its venue.
    app.use('/any', expressAuth(w.manager));
    app.get('/any/venue-a', expressAuth(w.manager, { tenant: () => 'venue-a' }), (_req, res) => {
      res.json(answer(expressPrincipal(res)));
    });

    const fastify = Fastify();
    await fastify.register(
      async (scoped) => {
        await scoped.register(
          fastifyAuth(w.manager, {
            tenant: (request) => (request.params as { client?: string } | undefined)?.client,
          }),
        );
        scoped.get('/api/v3/customers', async (request) => answer(fastifyPrincipal(request)));
      },
      { prefix: '/:client' },
    );
    await fastify.register(
      async (scoped) => {
        await scoped.register(fastifyAuth(w.manager));
        await scoped.register(async (inner) => {
          await inner.register(fastifyAuth(w.manager, { tenant: () => 'venue-a' }));
          inner.get('/venue-a', async (request) => answer(fastifyPrincipal(request)));
        });
      },
      { prefix: '/any' },
    );
    await fastify.ready();

    const hono = new Hono<ApiAccountsEnv>();
    hono.use(
      '/:client/api/v3/*',
      honoAuth(w.manager, { tenant: (c: Context<ApiAccountsEnv>) => c.req.param('client') }),
    );
    hono.get('/:client/api/v3/customers', (c) => c.json(answer(c.get('principal'))));
    hono.use('/any/*', honoAuth(w.manager));
    hono.get('/any/venue-a', honoAuth(w.manager, { tenant: () => 'venue-a' }), (c) =>
      c.json(answer(c.get('principal'))),
    );

    const clientOf = (request: Request) => new URL(request.url).pathname.split('/')[1];
    const fetchHandler = (request: Request) =>
      clientOf(request) === 'any'
        ? fetchAuth(w.manager, (inner) =>
            fetchAuth(w.manager, (_r, principal) => Response.json(answer(principal)), {
              tenant: () => 'venue-a',
            })(inner),
          )(request)
        : fetchAuth(w.manager, (_r, principal) => Response.json(answer(principal)), {
            tenant: clientOf,
          })(request);

    shims = await Promise.all([
      listen('Express', app as unknown as RequestListener),
      listen('Fastify', (req, res) => fastify.routing(req, res)),
      listen('Hono on nodeListener', nodeListener(hono.fetch)),
      listen('fetchAuth', nodeListener(fetchHandler)),
    ]);
  });
  afterAll(async () => {
    await Promise.all(shims.map((shim) => shim.close()));
  });

  /** What a client sees of an answer: status, body and the headers a refusal sets. */
  const seen = async (response: Response) => ({
    status: response.status,
    body: await response.text(),
    authenticate: response.headers.get('www-authenticate'),
    type: response.headers.get('content-type'),
  });

  it("accepts a venue's own bearer key and refuses another venue's exactly as an unknown one", async () => {
    for (const shim of shims) {
      const url = `${shim.base}/venue-a/api/v3/customers`;
      const bearer = (key: string) => fetch(url, { headers: { authorization: `Bearer ${key}` } });
      const own = await bearer(keys['venue-a']?.apiKey ?? '');
      expect(own.status, shim.name).toBe(200);
      expect(await own.json(), shim.name).toEqual({ tenant: 'venue-a', who: 'ACME Tickets' });
      const other = await seen(await bearer(keys['venue-b']?.apiKey ?? ''));
      const unknown = await seen(await bearer(randomBytes(32).toString('base64')));
      expect(other.status, shim.name).toBe(401);
      expect(other, shim.name).toEqual(unknown);
      // Through the X-API-Key header as well.
      const viaHeader = await fetch(url, {
        headers: { 'x-api-key': keys['venue-b']?.apiKey ?? '' },
      });
      expect(await seen(viaHeader), shim.name).toEqual(unknown);
    }
  });

  it("looks a signed request's username up in the path's venue", async () => {
    for (const shim of shims) {
      for (const tenant of ['venue-a', 'venue-b']) {
        const url = `${shim.base}/${tenant}/api/v3/customers`;
        const signed = (key: { username: string; apiKey: string } | undefined) =>
          signRequest({
            method: 'GET',
            url,
            username: key?.username ?? '',
            apiKey: key?.apiKey ?? '',
            date: ports.clock.now(),
          })._unsafeUnwrap();
        const own = signed(keys[tenant]);
        const ok = await fetch(url, {
          headers: { authorization: own.authorization, date: own.date },
        });
        expect(await ok.json(), shim.name).toEqual({ tenant, who: 'ACME Tickets' });
        const other = signed(keys[tenant === 'venue-a' ? 'venue-b' : 'venue-a']);
        const refused = await fetch(url, {
          headers: { authorization: other.authorization, date: other.date },
        });
        expect(refused.status, shim.name).toBe(401);
      }
    }
  });

  it('refuses in an inner middleware naming its venue what an outer one accepted for another', async () => {
    for (const shim of shims) {
      const url = `${shim.base}/any/venue-a`;
      const own = await fetch(url, {
        headers: { authorization: `Bearer ${keys['venue-a']?.apiKey}` },
      });
      expect(own.status, shim.name).toBe(200);
      const other = await fetch(url, {
        headers: { authorization: `Bearer ${keys['venue-b']?.apiKey}` },
      });
      expect(other.status, shim.name).toBe(401);
    }
  });
});
