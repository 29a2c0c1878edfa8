import { Validator } from '@seriousme/openapi-schema-validator';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { adminApi } from 'api-accounts/admin-api';
import { beforeAll, describe, expect, it } from 'vitest';
import { accountInput, accountWithKey, admin, clerk, world } from '../helpers.js';

const BASE = 'https://bo.example/admin/api-accounts';

// biome-ignore lint/suspicious/noExplicitAny: the bodies are JSON, checked against the OpenAPI schemas before use.
type Json = any;

type OpenApi = {
  openapi: string;
  paths: Record<
    string,
    Record<string, { responses: Record<string, { content?: Record<string, { schema: object }> }> }>
  >;
  components: { schemas: Record<string, object> };
};

describe('adminApi (SPEC section 8)', () => {
  const w = world({ scopes: { 'customers:read': 'Read' }, defaultScopes: ['customers:read'] });
  let signedIn: typeof admin | typeof clerk | null = admin;
  const api = adminApi(w.manager, { basePath: '/admin/api-accounts', actor: () => signedIn });
  let document: OpenApi;
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats.default(ajv);

  /** Every answer is checked against the document: its status must be declared there, its body must fit. */
  async function call(
    method: string,
    path: string,
    init: { body?: unknown; headers?: Record<string, string> } = {},
  ) {
    const response = await api(
      new Request(`${BASE}${path}`, {
        method,
        headers: {
          ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
          ...init.headers,
        },
        ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
      }),
    );
    const body: Json = await response.json();
    const template = `/admin/api-accounts${path.split('?')[0]?.replace(/\/accounts\/[^/]+/, '/accounts/{id}')}`;
    const operation = document.paths[template]?.[method.toLowerCase()];
    expect(operation, `${method} ${template} is in the document`).toBeDefined();
    const declared = operation?.responses[String(response.status)];
    expect(declared, `${method} ${template} declares ${response.status}`).toBeDefined();
    const [mediaType, { schema }] = Object.entries(declared?.content ?? {})[0] ?? [
      '',
      { schema: {} },
    ];
    expect(response.headers.get('content-type')).toBe(mediaType);
    // The schema with the document's components beside it, so #/components/schemas/… resolve.
    const validate = ajv.compile({ ...schema, components: document.components } as object);
    expect(validate(body), JSON.stringify(validate.errors)).toBe(true);
    return { status: response.status, headers: response.headers, body };
  }

  beforeAll(async () => {
    const response = await api(new Request(`${BASE}/openapi.json`));
    document = (await response.json()) as OpenApi;
  });

  it('serves an OpenAPI 3.1 document that a real validator accepts', async () => {
    const result = await new Validator().validate(document as never);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(document.openapi).toBe('3.1.0');
    expect(Object.keys(document.paths).sort()).toEqual(
      [
        '/accounts',
        '/accounts/{id}',
        '/accounts/{id}/history',
        '/accounts/{id}/usage',
        '/accounts/{id}/quota',
        '/accounts/{id}/reset',
        '/accounts/{id}/rotate',
        '/accounts/{id}/deactivate',
        '/accounts/{id}/reactivate',
        '/accounts/{id}/resend-claim',
        '/accounts/{id}/end-grace',
      ]
        .map((path) => `/admin/api-accounts${path}`)
        .sort(),
    );
  });

  it('creates (201, Location, ETag), reads, edits with If-Match, and answers 412 when stale', async () => {
    const created = await call('POST', '/accounts', {
      body: accountInput({ username: 'Admin API Ltd' }),
    });
    expect(created.status).toBe(201);
    const id = created.body.account.id as string;
    expect(created.headers.get('location')).toBe(`/admin/api-accounts/accounts/${id}`);
    expect(created.headers.get('etag')).toBe('"1"');
    const read = await call('GET', `/accounts/${id}`);
    expect(read.body).toMatchObject({ id, username: 'Admin API Ltd', scopes: ['customers:read'] });
    const edited = await call('PATCH', `/accounts/${id}`, {
      body: { username: 'Admin API Group' },
      headers: { 'if-match': '"1"' },
    });
    expect(edited.status).toBe(200);
    expect(edited.headers.get('etag')).toBe('"2"');
    const stale = await call('PATCH', `/accounts/${id}`, {
      body: { username: 'Too Late' },
      headers: { 'if-match': '"1"' },
    });
    expect(stale.status).toBe(412);
    expect(stale.body.type).toBe('Conflict');
    // Without If-Match the change applies to the latest version.
    expect(
      (await call('PATCH', `/accounts/${id}`, { body: { phone: '+447911123456' } })).status,
    ).toBe(200);
    const staleAction = await call('POST', `/accounts/${id}/deactivate`, {
      headers: { 'if-match': '"2"' },
    });
    expect(staleAction.status).toBe(412);
    expect(staleAction.headers.get('etag')).toBe('"3"');
    const action = await call('POST', `/accounts/${id}/deactivate`, {
      headers: { 'if-match': 'W/"3"' },
    });
    expect(action.body.active).toBe(false);
    expect((await call('POST', `/accounts/${id}/reactivate`)).body.active).toBe(true);
    const history = await call('GET', `/accounts/${id}/history`);
    expect(history.body.items.map((event: { type: string }) => event.type)).toContain(
      'account.deactivated',
    );
  });

  it('answers problems with the error type and its fields: 409, 422 with every field, 404', async () => {
    const input = accountInput();
    await call('POST', '/accounts', { body: input });
    const taken = await call('POST', '/accounts', { body: { ...input, username: 'Someone Else' } });
    expect(taken.status).toBe(409);
    expect(taken.body).toMatchObject({ type: 'EmailTaken', status: 409, takenBy: 'api-account' });
    const invalid = await call('POST', '/accounts', { body: {} });
    expect(invalid.status).toBe(422);
    expect(invalid.body.type).toBe('InvalidInput');
    expect(invalid.body.fields.map((f: { field: string }) => f.field)).toEqual([
      'username',
      'email',
      'phone',
    ]);
    const missing = await call('GET', '/accounts/acct_0000000000000000000000');
    expect(missing.status).toBe(404);
    expect(missing.body.type).toBe('AccountNotFound');
  });

  it('resets and rotates only with { "confirm": true }', async () => {
    const { id } = await accountWithKey(w);
    const unconfirmed = await call('POST', `/accounts/${id}/reset`, { body: {} });
    expect(unconfirmed.status).toBe(400);
    expect(unconfirmed.body.type).toBe('ConfirmationRequired');
    expect(unconfirmed.body.detail).toContain('reset');
    const rotated = await call('POST', `/accounts/${id}/rotate`, { body: { confirm: true } });
    expect(rotated.status).toBe(200);
    expect(rotated.body.account.previousKeyEndsAt).not.toBeNull();
    expect((await call('POST', `/accounts/${id}/end-grace`)).body.previousKeyEndsAt).toBeNull();
    expect((await call('POST', `/accounts/${id}/resend-claim`)).status).toBe(200);
    expect((await call('POST', `/accounts/${id}/reset`, { body: { confirm: true } })).status).toBe(
      200,
    );
  });

  it('lists with the filters as query, a total, and a Link to the next page', async () => {
    for (let i = 0; i < 3; i++)
      await call('POST', '/accounts', { body: accountInput({ username: `Paged ${i}` }) });
    const first = await call('GET', '/accounts?limit=2&search=paged&sort=username');
    expect(first.body.total).toBe(3);
    expect(first.body.items.map((a: { username: string }) => a.username)).toEqual([
      'Paged 0',
      'Paged 1',
    ]);
    const link = first.headers.get('link') ?? '';
    const next = /^<([^>]+)>; rel="next"$/.exec(link)?.[1] ?? '';
    expect(next).toContain('cursor=');
    const second = await call('GET', next.replace('/admin/api-accounts', ''));
    expect(second.body.items.map((a: { username: string }) => a.username)).toEqual(['Paged 2']);
    expect(second.headers.get('link')).toBeNull();
    const bad = await call('GET', '/accounts?limit=abc');
    expect(bad.status).toBe(422);
  });

  it('reads usage by day; without from and to, the last 30 days', async () => {
    const { id, apiKey } = await accountWithKey(w);
    await w.manager.verifyApiKey(apiKey);
    const day = w.ports.clock.now().toISOString();
    const usage = await call('GET', `/accounts/${id}/usage?from=${day}&to=${day}`);
    expect(usage.body.items[0]).toMatchObject({ accepted: 1, refused: 0 });
    w.ports.clock.advance(29 * 86_400_000);
    await w.manager.verifyApiKey(apiKey);
    const recent = await call('GET', `/accounts/${id}/usage`);
    expect(recent.body.items.map((item: { accepted: number }) => item.accepted)).toEqual([1, 1]);
    w.ports.clock.advance(86_400_000);
    const later = await call('GET', `/accounts/${id}/usage`);
    expect(later.body.items).toHaveLength(1);
  });

  it('sets a quota at create and by PATCH, shows it on the account, and reads its use', async () => {
    const created = await call('POST', '/accounts', {
      body: { ...accountInput(), quota: { limit: 500, period: 'day' } },
    });
    expect(created.status).toBe(201);
    expect(created.body.account.quota).toEqual({ limit: 500, period: 'day' });
    const id: string = created.body.account.id;
    const plain = await accountWithKey(w);
    const none = await call('GET', `/accounts/${plain.id}/quota`);
    expect(none.status).toBe(200);
    expect(none.body).toBeNull();
    const patched = await call('PATCH', `/accounts/${id}`, {
      body: { quota: { limit: 1000, period: 'month' } },
    });
    expect(patched.body.quota).toEqual({ limit: 1000, period: 'month' });
    const status = await call('GET', `/accounts/${id}/quota`);
    expect(status.body).toMatchObject({ limit: 1000, period: 'month', used: 0 });
    expect(Date.parse(status.body.resetsAt)).toBeGreaterThan(w.ports.clock.now().getTime());
    const bad = await call('PATCH', `/accounts/${id}`, {
      body: { quota: { limit: 0, period: 'month' } },
    });
    expect(bad.status).toBe(422);
    expect(bad.body).toMatchObject({ type: 'InvalidInput', field: 'quota' });
  });

  it('deletes with ?confirm=true only (400 ConfirmationRequired without), If-Match checked', async () => {
    const { id, apiKey } = await accountWithKey(w);
    const unconfirmed = await call('DELETE', `/accounts/${id}`);
    expect(unconfirmed.status).toBe(400);
    expect(unconfirmed.body.type).toBe('ConfirmationRequired');
    expect(unconfirmed.body.detail).toContain('confirm');
    const stale = await call('DELETE', `/accounts/${id}?confirm=true`, {
      headers: { 'if-match': '"1"' },
    });
    expect(stale.status).toBe(412);
    expect(stale.headers.get('etag')).toBe('"2"');
    const deleted = await call('DELETE', `/accounts/${id}?confirm=true`, {
      headers: { 'if-match': '"2"' },
    });
    expect(deleted.status).toBe(200);
    expect(deleted.body.accountId).toBe(id);
    expect((await w.manager.verifyApiKey(apiKey))._unsafeUnwrapErr().type).toBe('InvalidKey');
    expect((await call('GET', `/accounts/${id}`)).status).toBe(404);
  });

  it('applies If-Match on an action in the store write: of 8 concurrent resets, one runs', async () => {
    const { id } = await accountWithKey(w);
    const sentBefore = w.ports.sms.sent.length;
    const version = (await w.manager.getAccount(admin, id))._unsafeUnwrap().version;
    const answers = await Promise.all(
      Array.from({ length: 8 }, () =>
        call('POST', `/accounts/${id}/reset`, {
          body: { confirm: true },
          headers: { 'if-match': `"${version}"` },
        }),
      ),
    );
    expect(answers.map((answer) => answer.status).sort()).toEqual([
      200, 412, 412, 412, 412, 412, 412, 412,
    ]);
    expect(w.ports.sms.sent.length - sentBefore).toBe(1);
    const history = (await w.manager.accountHistory(admin, id))._unsafeUnwrap().items;
    expect(history.filter((event) => event.type === 'key.reset')).toHaveLength(1);
  });

  it('answers 401 without an actor and 403 for one without the role', async () => {
    signedIn = null;
    expect((await call('GET', '/accounts')).status).toBe(401);
    signedIn = clerk;
    const forbidden = await call('GET', '/accounts');
    expect(forbidden.status).toBe(403);
    expect(forbidden.body).toMatchObject({ type: 'Forbidden', action: 'listAccounts' });
    signedIn = admin;
  });

  it('refuses cross-site browser requests; server-to-server and same-origin ones pass', async () => {
    const crossSite = await call('POST', '/accounts', {
      body: accountInput(),
      headers: { 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' },
    });
    expect(crossSite.status).toBe(403);
    expect(crossSite.body.type).toBe('CrossSiteRequest');
    const foreignOrigin = await call('GET', '/accounts', {
      headers: { origin: 'https://evil.example' },
    });
    expect(foreignOrigin.status).toBe(403);
    const sameOrigin = await call('GET', '/accounts', {
      headers: { 'sec-fetch-site': 'same-origin', origin: 'https://bo.example' },
    });
    expect(sameOrigin.status).toBe(200);
    const trusted = adminApi(w.manager, {
      basePath: '/admin/api-accounts',
      actor: () => admin,
      trustedOrigins: ['https://console.bo.example'],
    });
    const fromConsole = await trusted(
      new Request(`${BASE}/accounts`, {
        headers: { 'sec-fetch-site': 'same-site', origin: 'https://console.bo.example' },
      }),
    );
    expect(fromConsole.status).toBe(200);
  });

  it('bounds and checks bodies: 413, 415, 400; unknown routes 404 and wrong methods 405', async () => {
    const small = adminApi(w.manager, {
      basePath: '/admin/api-accounts',
      actor: () => admin,
      maxBodyBytes: 100,
    });
    const big = await small(
      new Request(`${BASE}/accounts`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'x'.repeat(200) }),
      }),
    );
    expect(big.status).toBe(413);
    expect(big.headers.get('content-type')).toBe('application/problem+json');
    const form = await api(
      new Request(`${BASE}/accounts`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain' },
        body: 'hi',
      }),
    );
    expect(form.status).toBe(415);
    const broken = await api(
      new Request(`${BASE}/accounts`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{',
      }),
    );
    expect(broken.status).toBe(400);
    expect((await api(new Request(`${BASE}/nothing`))).status).toBe(404);
    expect((await api(new Request(`${BASE}/accounts/%E0%A4%A`))).status).toBe(404);
    const wrongMethod = await api(new Request(`${BASE}/accounts`, { method: 'DELETE' }));
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('GET, POST');
  });
});

describe('adminApi mounted in frameworks', () => {
  it('serves through Hono as it is, and through Express with nodeListener', async () => {
    const { Hono } = await import('hono');
    const express = (await import('express')).default;
    const { nodeListener } = await import('api-accounts/claim-page');
    const { createServer } = await import('node:http');
    const w = world();
    const api = adminApi(w.manager, { basePath: '/admin/api-accounts', actor: () => admin });
    const hono = new Hono();
    hono.all('/admin/api-accounts/*', (c) => api(c.req.raw));
    const viaHono = await hono.fetch(new Request(`${BASE}/accounts`));
    expect(viaHono.status).toBe(200);
    expect(((await viaHono.json()) as { total: number }).total).toBe(0);

    const app = express();
    app.use(nodeListener(api));
    const server = createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    try {
      const created = await fetch(`http://127.0.0.1:${port}/admin/api-accounts/accounts`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(accountInput()),
      });
      expect(created.status).toBe(201);
      const page = await fetch(`http://127.0.0.1:${port}/admin/api-accounts/accounts`);
      expect(((await page.json()) as { total: number }).total).toBe(1);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('adminApi: its document, content types and hosts (#23)', () => {
  it('serves the OpenAPI document to an actor only, unless publicOpenApi', async () => {
    const w = world();
    let signedIn: typeof admin | null = null;
    const api = adminApi(w.manager, { basePath: '/admin/api-accounts', actor: () => signedIn });
    const anonymous = await api(new Request(`${BASE}/openapi.json`));
    expect(anonymous.status).toBe(401);
    expect(await anonymous.text()).not.toContain('/accounts/{id}');
    signedIn = admin;
    expect((await api(new Request(`${BASE}/openapi.json`))).status).toBe(200);
    const open = adminApi(w.manager, {
      basePath: '/admin/api-accounts',
      actor: () => null,
      publicOpenApi: true,
    });
    expect((await open(new Request(`${BASE}/openapi.json`))).status).toBe(200);
  });

  it('puts servers and security schemes into the document', async () => {
    const w = world();
    const api = adminApi(w.manager, {
      basePath: '/admin/api-accounts',
      actor: () => admin,
      servers: [{ url: 'https://bo.example', description: 'Production' }],
      securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'sid' } },
    });
    const document = (await (await api(new Request(`${BASE}/openapi.json`))).json()) as Json;
    expect(document.servers).toEqual([{ url: 'https://bo.example', description: 'Production' }]);
    expect(document.components.securitySchemes).toEqual({
      session: { type: 'apiKey', in: 'cookie', name: 'sid' },
    });
    expect(document.security).toEqual([{ session: [] }]);
    const result = await new Validator().validate(document as never);
    expect(result.errors ?? []).toEqual([]);
    // Redocly's recommended rules (13 errors before servers and security could be given).
    const { lintFromString, loadConfig } = await import('@redocly/openapi-core');
    const problems = await lintFromString({
      source: JSON.stringify(document),
      absoluteRef: '/openapi.json',
      config: await loadConfig(),
    });
    expect(problems.map((problem) => `${problem.ruleId}: ${problem.message}`)).toEqual([]);
  });

  it('reads JSON media types exactly: json and +json with parameters, nothing that only starts so', async () => {
    const w = world();
    const api = adminApi(w.manager, { basePath: '/admin/api-accounts', actor: () => admin });
    const post = (contentType: string) =>
      api(
        new Request(`${BASE}/accounts`, {
          method: 'POST',
          headers: { 'content-type': contentType },
          body: JSON.stringify(accountInput()),
        }),
      );
    for (const accepted of [
      'application/json',
      'application/json; charset=utf-8',
      'Application/JSON',
      'application/merge-patch+json',
    ]) {
      expect((await post(accepted)).status, accepted).toBe(201);
    }
    for (const refused of [
      'application/json-evil',
      'application/jsonx',
      'application/json+evil',
      'text/json',
      'application/x-www-form-urlencoded',
    ]) {
      expect((await post(refused)).status, refused).toBe(415);
    }
  });

  it('works in Express behind express.json() app-wide, as the README tells hosts to add', async () => {
    const express = (await import('express')).default;
    const { nodeListener } = await import('api-accounts/claim-page');
    const { createServer } = await import('node:http');
    const w = world({ scopes: { 'customers:read': 'Read' } });
    const api = adminApi(w.manager, { basePath: '/admin/api-accounts', actor: () => admin });
    const app = express();
    app.use(express.json());
    app.use('/admin/api-accounts', nodeListener(api));
    const server = createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    const base = `http://127.0.0.1:${port}/admin/api-accounts`;
    try {
      const created = await fetch(`${base}/accounts`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(accountInput({ username: 'Parsed Ltd', scopes: ['customers:read'] })),
      });
      expect(created.status).toBe(201);
      const { account } = (await created.json()) as Json;
      expect(account).toMatchObject({ username: 'Parsed Ltd', scopes: ['customers:read'] });
      const edited = await fetch(`${base}/accounts/${account.id}`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json', 'if-match': '"1"' },
        body: JSON.stringify({ allowedIps: ['203.0.113.0/24'] }),
      });
      expect(edited.status).toBe(200);
      expect(((await edited.json()) as Json).allowedIps).toEqual(['203.0.113.0/24']);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
