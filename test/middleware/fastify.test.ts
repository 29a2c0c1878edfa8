import { fastifyAuth, fastifyPrincipal } from 'api-accounts/middleware';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { protectedWorld } from './fixtures.js';

let world: Awaited<ReturnType<typeof protectedWorld>>;
const app = Fastify();

beforeAll(async () => {
  world = await protectedWorld();
  await app.register(fastifyAuth(world.manager));
  app.get('/api/v3/customers', async (request) => ({ owner: fastifyPrincipal(request).username }));
  app.post('/api/v3/customers', async (request) => ({
    owner: fastifyPrincipal(request).username,
    received: request.body,
  }));
  await app.ready();
});
afterAll(() => app.close());

// app.inject builds the Host header as localhost:80 over http.
const origin = 'http://localhost:80';

describe('fastifyAuth (through app.inject)', () => {
  it('lets an X-API-Key through and decorates the request', async () => {
    const response = await app.inject({
      method: 'GET',
      url: '/api/v3/customers',
      headers: { 'x-api-key': world.account.apiKey },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ owner: 'ACME Tickets' });
  });

  it('verifies a signed POST over its raw body; Fastify still parses it', async () => {
    const body = JSON.stringify({ name: 'Zoë' });
    const signed = await world.sign('POST', `${origin}/api/v3/customers`, body);
    const response = await app.inject({
      method: 'POST',
      url: '/api/v3/customers',
      payload: body,
      headers: {
        'content-type': 'application/json',
        authorization: signed.authorization,
        date: signed.date,
      },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ owner: 'ACME Tickets', received: { name: 'Zoë' } });
  });

  it('answers 413 with its own refusal for a signed body over the limit, before Fastify parses it', async () => {
    const small = Fastify();
    await small.register(fastifyAuth(world.manager, { maxBodyBytes: 100 }));
    small.post('/api/v3/customers', async () => ({ reached: true }));
    const body = JSON.stringify({ name: 'x'.repeat(200) });
    const signed = await world.sign('POST', `${origin}/api/v3/customers`, body);
    const response = await small.inject({
      method: 'POST',
      url: '/api/v3/customers',
      payload: body,
      headers: {
        'content-type': 'application/json',
        authorization: signed.authorization,
        date: signed.date,
      },
    });
    expect(response.statusCode).toBe(413);
    expect(response.json()).toMatchObject({ error: 'body_too_large' });
    await small.close();
  });

  it('answers 401 with the right challenge', async () => {
    const missing = await app.inject({ method: 'GET', url: '/api/v3/customers' });
    expect(missing.statusCode).toBe(401);
    expect(missing.headers['www-authenticate']).toBe(
      'Bearer realm="api", SpektrixAPI3 realm="api"',
    );
    const wrong = await app.inject({
      method: 'GET',
      url: '/api/v3/customers',
      headers: { authorization: 'Bearer nope' },
    });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.headers['www-authenticate']).toContain('error="invalid_token"');
  });
});
