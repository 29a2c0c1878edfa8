import { type ApiAccountsEnv, honoAuth } from 'api-accounts/middleware';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { protectedWorld } from './fixtures.js';

describe('honoAuth (through app.request)', () => {
  it('lets a valid key or signature through with c.get("principal"), typed', async () => {
    const w = await protectedWorld();
    const app = new Hono<ApiAccountsEnv>();
    app.use('/api/*', honoAuth(w.manager));
    app.get('/api/v3/customers', (c) => c.json({ owner: c.get('principal').username }));
    app.post('/api/v3/customers', async (c) =>
      c.json({ owner: c.get('principal').username, received: await c.req.json() }),
    );

    const bearer = await app.request('/api/v3/customers', {
      headers: { authorization: `Bearer ${w.account.apiKey}` },
    });
    expect(bearer.status).toBe(200);
    expect(await bearer.json()).toEqual({ owner: 'ACME Tickets' });

    const body = JSON.stringify({ name: 'Zoë' });
    const signed = await w.sign('POST', 'http://localhost/api/v3/customers', body);
    const posted = await app.request('/api/v3/customers', {
      method: 'POST',
      body,
      headers: {
        'content-type': 'application/json',
        authorization: signed.authorization,
        date: signed.date,
      },
    });
    expect(posted.status).toBe(200);
    expect(await posted.json()).toEqual({ owner: 'ACME Tickets', received: { name: 'Zoë' } });

    const refused = await app.request('/api/v3/customers');
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toContain('Bearer realm="api"');
  });
});
