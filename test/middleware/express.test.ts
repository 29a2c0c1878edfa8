import type { AddressInfo } from 'node:net';
import { expressAuth, expressPrincipal } from 'api-accounts/middleware';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { protectedWorld } from './fixtures.js';

let world: Awaited<ReturnType<typeof protectedWorld>>;
let base = '';
let close: () => Promise<void> = async () => undefined;

beforeAll(async () => {
  world = await protectedWorld();
  const app = express();
  // JSON routes keep the raw bytes for signed requests' MD5.
  app.use(
    express.json({
      verify: (req, _res, buf) => {
        (req as unknown as { rawBody: Buffer }).rawBody = buf;
      },
    }),
  );
  app.use('/api', expressAuth(world.manager));
  app.get('/api/v3/customers', (_req, res) => {
    res.json({ owner: expressPrincipal(res).username });
  });
  app.post('/api/v3/customers', (req, res) => {
    res.json({ owner: expressPrincipal(res).username, received: req.body });
  });
  app.get('/public', (_req, res) => {
    res.json({ ok: true });
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  close = () => new Promise((resolve) => server.close(() => resolve()));
});
afterAll(() => close());

describe('expressAuth (through a real Express server on loopback)', () => {
  it('lets a bearer key through with its principal', async () => {
    const response = await fetch(`${base}/api/v3/customers`, {
      headers: { authorization: `Bearer ${world.account.apiKey}` },
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ owner: 'ACME Tickets' });
  });

  it('verifies a signed POST over its raw JSON body, and the handler still gets the parsed body', async () => {
    const body = JSON.stringify({ name: 'Zoë', seats: [1, 2] });
    const url = `${base}/api/v3/customers?sort=name`;
    const signed = await world.sign('POST', url, body);
    const response = await fetch(url, {
      method: 'POST',
      body,
      headers: {
        'content-type': 'application/json',
        authorization: signed.authorization,
        date: signed.date,
      },
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      owner: 'ACME Tickets',
      received: { name: 'Zoë', seats: [1, 2] },
    });
  });

  it('refuses a signed POST whose body was changed on the way', async () => {
    const url = `${base}/api/v3/customers`;
    const signed = await world.sign('POST', url, '{"name":"A"}');
    const response = await fetch(url, {
      method: 'POST',
      body: '{"name":"B"}',
      headers: {
        'content-type': 'application/json',
        authorization: signed.authorization,
        date: signed.date,
      },
    });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('SpektrixAPI3 realm="api"');
  });

  it('answers 401 with a challenge without credentials, and leaves other routes alone', async () => {
    const refused = await fetch(`${base}/api/v3/customers`);
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toContain('Bearer realm="api"');
    expect(await refused.json()).toMatchObject({ error: 'missing_credentials' });
    expect((await fetch(`${base}/public`)).status).toBe(200);
  });
});
