/**
 * `adminApi(…, { tenant })` (#25): the API serves one venue per request (here
 * by host name). Lists show that venue only, new accounts go into it, another
 * venue's account is 404 as a missing one, and an administrator of another
 * venue is refused.
 */
import { type Actor, SETTINGS_ADMINISTRATOR } from 'api-accounts';
import { adminApi } from 'api-accounts/admin-api';
import { describe, expect, it } from 'vitest';
import { accountInput, world } from '../helpers.js';

const sam: Actor = { id: 'sam', roles: [SETTINGS_ADMINISTRATOR], tenants: '*' };
const casey: Actor = { id: 'casey', roles: [SETTINGS_ADMINISTRATOR], tenants: ['venue-a'] };

describe('adminApi with a tenant per request (#25)', () => {
  const w = world();
  let signedIn: Actor = sam;
  const api = adminApi(w.manager, {
    basePath: '/admin/api-accounts',
    actor: () => signedIn,
    tenant: (request) => new URL(request.url).hostname.split('.')[0] ?? '',
  });
  const call = async (venue: string, method: string, path: string, body?: unknown) => {
    const response = await api(
      new Request(`https://${venue}.bo.example/admin/api-accounts${path}`, {
        method,
        ...(body === undefined
          ? {}
          : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
      }),
    );
    // biome-ignore lint/suspicious/noExplicitAny: JSON bodies, read field by field below.
    return { status: response.status, body: (await response.json()) as any };
  };

  it('creates in the venue it serves, lists only it, and answers 404 for another venue', async () => {
    signedIn = sam;
    const a = await call('venue-a', 'POST', '/accounts', accountInput());
    expect(a.status).toBe(201);
    expect(a.body.account.tenant).toBe('venue-a');
    const b = await call('venue-b', 'POST', '/accounts', accountInput());
    expect(b.body.account.tenant).toBe('venue-b');
    const listed = await call('venue-a', 'GET', '/accounts');
    expect(listed.body.items.map((item: { id: string }) => item.id)).toEqual([a.body.account.id]);
    const foreign = await call('venue-a', 'GET', `/accounts/${b.body.account.id}`);
    const missing = await call('venue-a', 'GET', `/accounts/acct_${'0'.repeat(22)}`);
    expect(foreign.status).toBe(404);
    expect(foreign.body.type).toBe(missing.body.type);
    // A body naming another venue is not a way out.
    const elsewhere = await call('venue-a', 'POST', '/accounts', {
      ...accountInput(),
      tenant: 'venue-b',
    });
    expect(elsewhere.status).toBe(403);
    // The history and the actions of another venue's account are 404 too.
    expect((await call('venue-a', 'GET', `/accounts/${b.body.account.id}/history`)).status).toBe(
      404,
    );
    expect(
      (await call('venue-a', 'POST', `/accounts/${b.body.account.id}/deactivate`)).status,
    ).toBe(404);
    expect(w.ports.store.snapshot().accounts.every((account) => account.active)).toBe(true);
  });

  it("refuses an administrator of another venue, and leaves its own venue's API to it", async () => {
    signedIn = casey;
    expect((await call('venue-b', 'GET', '/accounts')).status).toBe(403);
    expect((await call('venue-b', 'POST', '/accounts', accountInput())).status).toBe(403);
    const own = await call('venue-a', 'GET', '/accounts');
    expect(own.status).toBe(200);
    expect(own.body.items.every((item: { tenant: string }) => item.tenant === 'venue-a')).toBe(
      true,
    );
  });
});
