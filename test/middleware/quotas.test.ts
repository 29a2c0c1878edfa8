import { inMemoryPorts } from 'api-accounts';
import { expressAuth, fastifyAuth, fetchAuth, honoAuth } from 'api-accounts/middleware';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountInput, accountWithKey, admin, world } from '../helpers.js';
import { everyShim, type Shim } from './real-clients.js';

describe('quotas through every shim (SPEC section 11)', () => {
  const ports = inMemoryPorts();
  ports.clock.set(new Date('2026-12-31T23:59:00Z'));
  const w = world({}, ports);
  let account = { id: '', apiKey: '' };
  let shims: Shim[] = [];
  beforeAll(async () => {
    account = await accountWithKey(w, accountInput({ quota: { limit: 8, period: 'month' } }));
    shims = await everyShim(w.manager, { cost: 2 });
  });
  afterAll(async () => {
    await Promise.all(shims.map((shim) => shim.close()));
  });

  const bearer = (shim: Shim) =>
    fetch(`${shim.base}/api/v3/orders`, {
      headers: { authorization: `Bearer ${account.apiKey}` },
    });

  it('charges each route its cost, then answers 429 quota_exceeded with Retry-After until the month ends', async () => {
    for (const shim of shims) expect((await bearer(shim)).status, shim.name).toBe(200);
    expect((await w.manager.quotaStatus(admin, account.id))._unsafeUnwrap()?.used).toBe(8);
    for (const shim of shims) {
      const refused = await bearer(shim);
      expect(refused.status, shim.name).toBe(429);
      // A minute before midnight on New Year's Eve, by the manager's clock.
      expect(refused.headers.get('retry-after'), shim.name).toBe('60');
      expect(refused.headers.get('cache-control'), shim.name).toBe('no-store');
      const body = (await refused.json()) as { error: string; message: string };
      expect(body.error, shim.name).toBe('quota_exceeded');
      expect(body.message, shim.name).toContain('2027-01-01T00:00:00.000Z');
    }
    expect((await w.manager.quotaStatus(admin, account.id))._unsafeUnwrap()?.used).toBe(8);
  });

  it('refuses a malformed cost when the middleware is made', () => {
    for (const cost of [-1, 0.5, Number.NaN]) {
      expect(() => expressAuth(w.manager, { cost })).toThrow(/cost must be/);
      expect(() => fastifyAuth(w.manager, { cost })).toThrow(/cost must be/);
      expect(() => honoAuth(w.manager, { cost })).toThrow(/cost must be/);
      expect(() => fetchAuth(w.manager, () => new Response(), { cost })).toThrow(/cost must be/);
    }
  });
});
