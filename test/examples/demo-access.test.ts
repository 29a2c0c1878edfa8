/**
 * The demo's account page edits scopes, allowed addresses and the rate
 * limit; its sample API has routes needing different scopes, and the curl
 * lines it shows answer 403 and 429.
 */
import { latestClaim } from 'api-accounts/testing';
import { describe, expect, it } from 'vitest';
import { startDemoApp } from './demo-app.js';

describe('the demo: access policy', () => {
  it('grants a scope from the account page, refuses bad addresses beside the field, and limits the rate', async () => {
    const demo = await startDemoApp();
    const send = (path: string, init: RequestInit = {}) =>
      demo.fetch(
        new Request(`http://localhost:3000${path}`, {
          ...init,
          headers: { cookie: 'demo_user=sam', ...(init.headers ?? {}) },
        }),
      );
    const post = (path: string, fields: [string, string][]) =>
      send(path, { method: 'POST', body: new URLSearchParams(fields) });
    const created = await post('/settings/api-accounts/new', [
      ['username', 'ACME'],
      ['email', 'dev@acme.example'],
      ['phone', '+447894123456'],
    ]);
    const accountPath = created.headers.get('location') ?? '';
    const sent = demo.inbox.items().reverse();
    const claim = latestClaim({
      sms: { sent: sent.filter((m) => m.channel === 'sms') },
      email: { sent: sent.flatMap((m) => (m.channel === 'email' ? [m] : [])) },
    });
    const { apiKey } = (await demo.manager.claimApiKey(claim))._unsafeUnwrap();
    const api = (method: string, path: string) =>
      demo.fetch(
        new Request(`http://localhost:3000${path}`, {
          method,
          headers: { authorization: `Bearer ${apiKey}` },
        }),
      );

    const page = await (await send(accountPath)).text();
    expect(page).toContain('name="scopes" value="customers:read" checked');
    expect(page).toContain('name="scopes" value="orders:write">');
    expect(page).toContain('/riverside/api/v3/orders');
    expect((await api('GET', '/riverside/api/v3/customers')).status).toBe(200);
    const forbidden = await api('POST', '/riverside/api/v3/orders');
    expect(forbidden.status).toBe(403);
    expect(forbidden.headers.get('www-authenticate')).toContain('scope="orders:write"');

    const version = /name="version" value="(\d+)"/.exec(page)?.[1] ?? '';
    const bad = await post(`${accountPath}/access`, [
      ['version', version],
      ['scopes', 'customers:read'],
      ['allowedIps', '10.0.0.0/33'],
    ]);
    expect(bad.status).toBe(422);
    const badPage = await bad.text();
    expect(badPage).toContain('id="allowedIps-error"');
    expect(badPage).toContain('10.0.0.0/33');

    const saved = await post(`${accountPath}/access`, [
      ['version', version],
      ['scopes', 'customers:read'],
      ['scopes', 'orders:write'],
      ['allowedIps', ''],
      ['limit', '3'],
      ['windowSeconds', '60'],
    ]);
    expect(saved.status).toBe(303);
    const history = await (await send(accountPath)).text();
    expect(history).toContain('account.scopes_changed');
    expect(history).toContain('customers:read → customers:read, orders:write');
    expect(history).toContain('rate limit the default → 3 per 60 s');

    expect((await api('POST', '/riverside/api/v3/orders')).status).toBe(201);
    expect((await api('GET', '/riverside/api/v3/customers')).status).toBe(200);
    expect((await api('GET', '/riverside/api/v3/customers')).status).toBe(200);
    const limited = await api('GET', '/riverside/api/v3/customers');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('20');
    expect(limited.headers.get('ratelimit-policy')).toBe('"account";q=3;w=60');

    // The Use card: the month's calls against the default plan, and the last 30 days as bars.
    // The 403 was a verified call (its key was good), so it counts; the 429 used nothing.
    const used = await (await send(accountPath)).text();
    expect(used).toContain('<strong>5</strong> of 1,000 calls this month (UTC)');
    expect(used).toContain('aria-valuenow="5"');
    expect(used).toContain('Calls per day, last 30 days: 5 accepted, 1 refused');

    // A plan of its own, six calls a month: one more goes through, then quota_exceeded.
    const planned = await post(`${accountPath}/access`, [
      ['version', /name="version" value="(\d+)"/.exec(used)?.[1] ?? ''],
      ['scopes', 'customers:read'],
      ['allowedIps', ''],
      ['quotaLimit', '6'],
      ['quotaPeriod', 'month'],
    ]);
    expect(planned.status).toBe(303);
    const afterPlan = await (await send(accountPath)).text();
    // A new limit keeps the month's count.
    expect(afterPlan).toContain('quota the default → 6 per month');
    expect(afterPlan).toContain('<strong>5</strong> of 6 calls this month (UTC)');
    expect((await api('GET', '/riverside/api/v3/customers')).status).toBe(200);
    const over = await api('GET', '/riverside/api/v3/customers');
    expect(over.status).toBe(429);
    expect(((await over.json()) as { error: string }).error).toBe('quota_exceeded');
    expect(await (await send(accountPath)).text()).toContain('further calls are refused');
    const badPlan = await post(`${accountPath}/access`, [
      ['version', /name="version" value="(\d+)"/.exec(afterPlan)?.[1] ?? ''],
      ['quotaLimit', 'lots'],
      ['quotaPeriod', 'day'],
    ]);
    expect(badPlan.status).toBe(422);
    expect(await badPlan.text()).toContain('id="quota-error"');
  });
});
