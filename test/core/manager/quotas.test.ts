import {
  aesGcmSealer,
  inMemoryPorts,
  inMemoryQuotaCounter,
  inMemoryRateLimiter,
  type QuotaCounter,
  type RateLimiter,
  signRequest,
} from 'api-accounts';
import { describe, expect, it } from 'vitest';
import { accountInput, accountWithKey, admin, world } from '../../helpers.js';

/** A world whose clock stands at `at` (UTC). */
function at(iso: string, overrides = {}) {
  const ports = inMemoryPorts();
  ports.clock.set(new Date(iso));
  return world(overrides, ports);
}

describe('quotas (SPEC section 11)', () => {
  it('accepts up to the quota, then refuses with QuotaExceeded until the period resets', async () => {
    const w = at('2026-12-06T10:00:00Z', { quota: { limit: 3, period: 'month' } });
    const { id, apiKey } = await accountWithKey(w);
    const remaining: number[] = [];
    for (let i = 0; i < 3; i++) {
      const principal = (await w.manager.verifyApiKey(apiKey))._unsafeUnwrap();
      remaining.push(principal.quota?.remaining ?? -1);
      expect(principal.quota?.resetsAt).toEqual(new Date('2027-01-01T00:00:00Z'));
    }
    expect(remaining).toEqual([2, 1, 0]);
    const refused = (await w.manager.verifyApiKey(apiKey))._unsafeUnwrapErr();
    expect(refused).toEqual({
      type: 'QuotaExceeded',
      message: expect.stringContaining('3 calls'),
      accountId: id,
      limit: 3,
      period: 'month',
      resetsAt: new Date('2027-01-01T00:00:00Z'),
      retryAfterMs: Date.parse('2027-01-01T00:00:00Z') - Date.parse('2026-12-06T10:00:00Z'),
    });
    expect((await w.manager.quotaStatus(admin, id))._unsafeUnwrap()).toEqual({
      limit: 3,
      period: 'month',
      used: 3,
      resetsAt: new Date('2027-01-01T00:00:00Z'),
    });
    w.ports.clock.set(new Date('2027-01-01T00:00:00Z'));
    expect((await w.manager.verifyApiKey(apiKey))._unsafeUnwrap().quota?.remaining).toBe(2);
  });

  it('counts the last millisecond of a month in that month, and the next one in the next', async () => {
    const w = at('2026-01-31T23:59:59.999Z', { quota: { limit: 1, period: 'month' } });
    const { id, apiKey } = await accountWithKey(w);
    expect((await w.manager.verifyApiKey(apiKey)).isOk()).toBe(true);
    expect((await w.manager.verifyApiKey(apiKey))._unsafeUnwrapErr()).toMatchObject({
      type: 'QuotaExceeded',
      resetsAt: new Date('2026-02-01T00:00:00Z'),
      retryAfterMs: 1,
    });
    w.ports.clock.advance(1);
    expect((await w.manager.verifyApiKey(apiKey))._unsafeUnwrap().quota).toEqual({
      limit: 1,
      remaining: 0,
      resetsAt: new Date('2026-03-01T00:00:00Z'),
    });
    expect((await w.manager.quotaStatus(admin, id))._unsafeUnwrap()?.used).toBe(1);
  });

  it('keeps a leap day as a day of its own, and February 2028 ends on the 29th', async () => {
    const w = at('2028-02-28T23:59:59.999Z', { quota: { limit: 1, period: 'day' } });
    const { apiKey } = await accountWithKey(w);
    expect((await w.manager.verifyApiKey(apiKey))._unsafeUnwrap().quota?.resetsAt).toEqual(
      new Date('2028-02-29T00:00:00Z'),
    );
    w.ports.clock.advance(1);
    expect((await w.manager.verifyApiKey(apiKey))._unsafeUnwrap().quota?.resetsAt).toEqual(
      new Date('2028-03-01T00:00:00Z'),
    );
    expect((await w.manager.verifyApiKey(apiKey))._unsafeUnwrapErr().type).toBe('QuotaExceeded');
    const monthly = at('2028-02-29T12:00:00Z', { quota: { limit: 5, period: 'month' } });
    const other = await accountWithKey(monthly);
    expect(
      (await monthly.manager.verifyApiKey(other.apiKey))._unsafeUnwrap().quota?.resetsAt,
    ).toEqual(new Date('2028-03-01T00:00:00Z'));
  });

  it('uses nothing for refusals: unknown keys, switched-off accounts, other addresses, rate limits', async () => {
    const w = at('2026-12-06T10:00:00Z', {
      quota: { limit: 2, period: 'day' },
      rateLimit: { limit: 1, windowMs: 60_000 },
    });
    const { id, apiKey } = await accountWithKey(w);
    const fenced = await accountWithKey(w, accountInput({ allowedIps: ['203.0.113.0/24'] }));
    expect((await w.manager.verifyApiKey(apiKey)).isOk()).toBe(true);
    // The rate limit refuses the next call: the quota is not used by it.
    expect((await w.manager.verifyApiKey(apiKey))._unsafeUnwrapErr().type).toBe('RateLimited');
    expect((await w.manager.quotaStatus(admin, id))._unsafeUnwrap()?.used).toBe(1);
    expect(
      (await w.manager.verifyApiKey(fenced.apiKey, { clientIp: '198.51.100.1' }))._unsafeUnwrapErr()
        .type,
    ).toBe('IpNotAllowed');
    expect((await w.manager.quotaStatus(admin, fenced.id))._unsafeUnwrap()?.used).toBe(0);
    (await w.manager.deactivateAccount(admin, id))._unsafeUnwrap();
    w.ports.clock.advance(60_000);
    expect((await w.manager.verifyApiKey(apiKey))._unsafeUnwrapErr().type).toBe('AccountInactive');
    expect((await w.manager.quotaStatus(admin, id))._unsafeUnwrap()?.used).toBe(1);
  });

  it('tells an account over its quota so, and spends none of its rate limit on it', async () => {
    const w = at('2026-12-06T10:00:00Z', {
      quota: { limit: 1, period: 'day' },
      rateLimit: { limit: 2, windowMs: 60_000 },
    });
    const { id, apiKey } = await accountWithKey(w);
    const first = (await w.manager.verifyApiKey(apiKey))._unsafeUnwrap();
    expect(first.rateLimit?.remaining).toBe(1);
    expect(first.quota?.remaining).toBe(0);
    for (let i = 0; i < 5; i++) {
      expect((await w.manager.verifyApiKey(apiKey))._unsafeUnwrapErr().type).toBe('QuotaExceeded');
    }
    // Had the refusals used the rate limit, its last unit would be gone: it is there.
    (
      await w.manager.updateAccount(admin, id, { quota: { limit: 2, period: 'day' } })
    )._unsafeUnwrap();
    expect((await w.manager.verifyApiKey(apiKey))._unsafeUnwrap().rateLimit?.remaining).toBe(0);
    expect((await w.manager.verifyApiKey(apiKey))._unsafeUnwrapErr().type).toBe('QuotaExceeded');
  });

  it('charges cost per call; 0 uses none; an invalid cost is InvalidInput before anything is read', async () => {
    const w = at('2026-12-06T10:00:00Z', { quota: { limit: 10, period: 'day' } });
    const { id, apiKey } = await accountWithKey(w);
    expect(
      (await w.manager.verifyApiKey(apiKey, { cost: 4 }))._unsafeUnwrap().quota?.remaining,
    ).toBe(6);
    expect(
      (await w.manager.verifyApiKey(apiKey, { cost: 0 }))._unsafeUnwrap().quota?.remaining,
    ).toBe(6);
    expect((await w.manager.verifyApiKey(apiKey, { cost: 7 }))._unsafeUnwrapErr().type).toBe(
      'QuotaExceeded',
    );
    expect(
      (await w.manager.verifyApiKey(apiKey, { cost: 6 }))._unsafeUnwrap().quota?.remaining,
    ).toBe(0);
    for (const cost of [-1, 1.5, Number.NaN, '2', 1e13, null]) {
      const refused = (
        await w.manager.verifyApiKey(apiKey, { cost: cost as never })
      )._unsafeUnwrapErr();
      expect(refused).toMatchObject({ type: 'InvalidInput', field: 'cost' });
    }
    expect((await w.manager.quotaStatus(admin, id))._unsafeUnwrap()?.used).toBe(10);
  });

  it('meters signed requests with their cost like bearer keys', async () => {
    const ports = inMemoryPorts();
    ports.clock.set(new Date('2026-12-06T10:00:00Z'));
    const sealer = aesGcmSealer({ keys: { k1: new Uint8Array(32).fill(7) }, current: 'k1' });
    const w = world({ sealer, quota: { limit: 5, period: 'day' } }, ports);
    const { id, username, apiKey } = await accountWithKey(w);
    const signed = async (cost?: number) => {
      const request = { method: 'GET', url: 'https://box-office.example/api/v3/events' };
      const headers = (
        await signRequest({ ...request, username, apiKey, date: ports.clock.now() })
      )._unsafeUnwrap();
      return w.manager.verifySignedRequest({
        ...request,
        headers: { authorization: headers.authorization, date: headers.date },
        ...(cost === undefined ? {} : { cost }),
      });
    };
    expect((await signed(3))._unsafeUnwrap().quota?.remaining).toBe(2);
    expect((await signed(3))._unsafeUnwrapErr().type).toBe('QuotaExceeded');
    expect((await signed())._unsafeUnwrap().quota?.remaining).toBe(1);
    expect((await signed(-2))._unsafeUnwrapErr()).toMatchObject({
      type: 'InvalidInput',
      field: 'cost',
    });
    expect((await w.manager.quotaStatus(admin, id))._unsafeUnwrap()?.used).toBe(4);
  });

  it("takes an account's own quota over the default, and null goes back to the default", async () => {
    const w = at('2026-12-06T10:00:00Z', { quota: { limit: 100, period: 'month' } });
    const { id, apiKey } = await accountWithKey(
      w,
      accountInput({ quota: { limit: 2, period: 'day' } }),
    );
    expect((await w.manager.getAccount(admin, id))._unsafeUnwrap().quota).toEqual({
      limit: 2,
      period: 'day',
    });
    expect((await w.manager.verifyApiKey(apiKey))._unsafeUnwrap().quota?.limit).toBe(2);
    const updated = (await w.manager.updateAccount(admin, id, { quota: null }))._unsafeUnwrap();
    expect(updated.quota).toBeNull();
    expect((await w.manager.verifyApiKey(apiKey))._unsafeUnwrap().quota).toMatchObject({
      limit: 100,
      resetsAt: new Date('2027-01-01T00:00:00Z'),
    });
    const history = (await w.manager.accountHistory(admin, id))._unsafeUnwrap().items;
    expect(history.at(-1)).toMatchObject({
      type: 'account.access_changed',
      changes: { quota: { before: { limit: 2, period: 'day' }, after: null } },
    });
    // The same quota again changes nothing and records nothing.
    (await w.manager.updateAccount(admin, id, { quota: null }))._unsafeUnwrap();
    expect((await w.manager.accountHistory(admin, id))._unsafeUnwrap().items).toHaveLength(
      history.length,
    );
  });

  it('refuses a malformed quota with InvalidInput at create and update, storing nothing', async () => {
    const w = world();
    for (const quota of [
      { limit: 0, period: 'day' },
      { limit: 10, period: 'week' },
      { limit: 2.5, period: 'month' },
      { limit: 1e13, period: 'month' },
      'lots',
    ]) {
      const refused = await w.manager.createAccount(admin, accountInput({ quota: quota as never }));
      expect(refused._unsafeUnwrapErr()).toMatchObject({ type: 'InvalidInput', field: 'quota' });
    }
    expect((await w.manager.listAccounts(admin, {}))._unsafeUnwrap().total).toBe(0);
    const { id } = await accountWithKey(w);
    const update = await w.manager.updateAccount(admin, id, { quota: { limit: -1 } as never });
    expect(update._unsafeUnwrapErr()).toMatchObject({ type: 'InvalidInput', field: 'quota' });
    expect(() => world({ quota: { limit: 10, period: 'year' as never } })).toThrow(/quota must be/);
  });

  it('answers null from quotaStatus, and a null Principal.quota, without a quota', async () => {
    const w = world();
    const { id, apiKey } = await accountWithKey(w);
    expect((await w.manager.verifyApiKey(apiKey))._unsafeUnwrap().quota).toBeNull();
    expect((await w.manager.quotaStatus(admin, id))._unsafeUnwrap()).toBeNull();
  });

  it('drops a cached verdict when the quota changes, so the new one applies at once', async () => {
    const w = at('2026-12-06T10:00:00Z', { verifyCache: { ttlMs: 60_000 } });
    const { id, apiKey } = await accountWithKey(w);
    expect((await w.manager.verifyApiKey(apiKey))._unsafeUnwrap().quota).toBeNull();
    (
      await w.manager.updateAccount(admin, id, { quota: { limit: 1, period: 'day' } })
    )._unsafeUnwrap();
    expect((await w.manager.verifyApiKey(apiKey))._unsafeUnwrap().quota?.remaining).toBe(0);
    expect((await w.manager.verifyApiKey(apiKey))._unsafeUnwrapErr().type).toBe('QuotaExceeded');
  });

  it('reports a failing or confused quota counter as PortFailed, and accepts nothing unmetered', async () => {
    const broken: QuotaCounter = {
      consume: async () => {
        throw new Error('down');
      },
      used: async () => Number.NaN,
    };
    const confused: QuotaCounter = {
      consume: async () => ({ allowed: true }) as never,
      used: async () => 0,
    };
    for (const quotaCounter of [broken, confused]) {
      const w = world({ quota: { limit: 10, period: 'day' }, quotaCounter });
      const { id, apiKey } = await accountWithKey(w);
      expect((await w.manager.verifyApiKey(apiKey))._unsafeUnwrapErr()).toMatchObject({
        type: 'PortFailed',
        port: 'quotaCounter',
      });
      const status = await w.manager.quotaStatus(admin, id);
      if (quotaCounter === broken) {
        expect(status._unsafeUnwrapErr()).toMatchObject({
          type: 'PortFailed',
          port: 'quotaCounter',
        });
      }
    }
  });

  it('spends quota and rate limit in one step when the counter pairs with the limiter', async () => {
    const limiter = inMemoryRateLimiter();
    const calls: string[] = [];
    const inner = inMemoryQuotaCounter();
    const paired: QuotaCounter = {
      consume: (use) => {
        calls.push('consume');
        return inner.consume(use);
      },
      used: (key) => {
        calls.push('used');
        return inner.used(key);
      },
      pairedWith: (given) =>
        given === limiter
          ? async (use, rateLimit) => {
              calls.push(`paired ${use.cost} ${rateLimit.policy.limit}`);
              return { allowed: false, reason: 'rate_limit', retryAfterMs: 1234 };
            }
          : null,
    };
    const w = at('2026-12-06T10:00:00Z', {
      quota: { limit: 5, period: 'day' },
      rateLimit: { limit: 7, windowMs: 60_000 },
      rateLimiter: limiter,
      quotaCounter: paired,
    });
    const { id, apiKey } = await accountWithKey(w);
    calls.length = 0;
    expect((await w.manager.verifyApiKey(apiKey, { cost: 2 }))._unsafeUnwrapErr()).toMatchObject({
      type: 'RateLimited',
      accountId: id,
      limit: 7,
      retryAfterMs: 1234,
    });
    expect(calls).toEqual(['paired 2 7']);
  });

  it('without a paired step, reads the quota, asks the limiter, then spends; a failure at any step stops there', async () => {
    const w0 = at('2026-12-06T10:00:00Z');
    const steps: string[] = [];
    let fail: 'used' | 'limiter' | 'consume' | null = null;
    const inner = inMemoryQuotaCounter();
    const counter: QuotaCounter = {
      consume: async (use) => {
        steps.push('consume');
        if (fail === 'consume') throw new Error('counter down');
        return inner.consume(use);
      },
      used: async (key) => {
        steps.push('used');
        if (fail === 'used') throw new Error('counter down');
        return inner.used(key);
      },
    };
    const limiter = inMemoryRateLimiter();
    const rateLimiter: RateLimiter = {
      consume: async (key, policy) => {
        steps.push('limiter');
        if (fail === 'limiter') throw new Error('limiter down');
        return limiter.consume(key, policy);
      },
    };
    const w = world(
      {
        quota: { limit: 5, period: 'day' },
        rateLimit: { limit: 2, windowMs: 60_000 },
        quotaCounter: counter,
        rateLimiter,
      },
      w0.ports,
    );
    const { id, apiKey } = await accountWithKey(w);
    const verify = async () => {
      steps.length = 0;
      return w.manager.verifyApiKey(apiKey);
    };
    expect((await verify())._unsafeUnwrap().quota?.remaining).toBe(4);
    expect(steps).toEqual(['used', 'limiter', 'consume']);
    fail = 'used';
    expect((await verify())._unsafeUnwrapErr()).toMatchObject({
      type: 'PortFailed',
      port: 'quotaCounter',
    });
    expect(steps).toEqual(['used']);
    fail = 'limiter';
    expect((await verify())._unsafeUnwrapErr()).toMatchObject({
      type: 'PortFailed',
      port: 'rateLimiter',
    });
    expect(steps).toEqual(['used', 'limiter']);
    fail = 'consume';
    expect((await verify())._unsafeUnwrapErr()).toMatchObject({
      type: 'PortFailed',
      port: 'quotaCounter',
    });
    fail = null;
    // The limiter's second unit went to the call whose spend failed; the third is refused with its wait.
    const refused = (await verify())._unsafeUnwrapErr();
    expect(refused).toMatchObject({ type: 'RateLimited', accountId: id, limit: 2 });
    expect(refused.type === 'RateLimited' && refused.retryAfterMs).toBeGreaterThan(0);
    expect(steps).toEqual(['used', 'limiter']);
    expect((await w.manager.quotaStatus(admin, id))._unsafeUnwrap()?.used).toBe(1);
  });

  it('takes only a well-formed decision from the counter: anything else is PortFailed, never a pass', async () => {
    const answers: [unknown, string][] = [
      [null, 'PortFailed'],
      [7, 'PortFailed'],
      [{ allowed: true }, 'PortFailed'],
      [{ allowed: true, used: -1 }, 'PortFailed'],
      [{ allowed: true, used: Number.NaN }, 'PortFailed'],
      [{ allowed: 'true', used: 1 }, 'PortFailed'],
      [{ allowed: true, used: 1, rateLimit: { allowed: false, retryAfterMs: 5 } }, 'PortFailed'],
      [{ allowed: true, used: 1, rateLimit: { allowed: true } }, 'PortFailed'],
      [{ allowed: false, reason: 'quota' }, 'PortFailed'],
      [{ allowed: false, reason: 'rate_limit' }, 'PortFailed'],
      [{ allowed: false, reason: 'rate_limit', retryAfterMs: -1 }, 'PortFailed'],
      [{ allowed: false, reason: 'other', used: 1 }, 'PortFailed'],
      [{ allowed: false, used: 1 }, 'PortFailed'],
      [{ reason: 'quota', used: 1 }, 'PortFailed'],
      [{ allowed: true, used: 0 }, 'accepted'],
      [
        { allowed: true, used: 1, rateLimit: { allowed: true, remaining: 0, resetAfterMs: 0 } },
        'accepted',
      ],
      [{ allowed: false, reason: 'quota', used: 3 }, 'QuotaExceeded'],
    ];
    for (const [answer, expected] of answers) {
      const quotaCounter = { consume: async () => answer, used: async () => 0 } as QuotaCounter;
      const w = world({ quota: { limit: 10, period: 'day' }, quotaCounter });
      const { apiKey } = await accountWithKey(w);
      const result = await w.manager.verifyApiKey(apiKey);
      const outcome = result.isOk() ? 'accepted' : result.error.type;
      expect(outcome, JSON.stringify(answer)).toBe(expected);
      if (outcome === 'PortFailed')
        expect(result._unsafeUnwrapErr()).toMatchObject({ port: 'quotaCounter' });
    }
  });

  it('refuses with PortFailed (clock) rather than meter nothing when the clock fails', async () => {
    let broken = false;
    const clock = {
      now: () => {
        if (broken) throw new Error('clock down');
        return new Date('2026-12-06T10:00:00Z');
      },
    };
    const w = world({ clock, quota: { limit: 5, period: 'day' } });
    const { apiKey } = await accountWithKey(w);
    broken = true;
    expect((await w.manager.verifyApiKey(apiKey))._unsafeUnwrapErr()).toMatchObject({
      type: 'PortFailed',
      port: 'clock',
    });
  });

  it('takes a counter at its word within the rules: a stray rate-limit refusal or status is ignored', async () => {
    const stray: QuotaCounter = {
      consume: async (use) =>
        use.cost === 2
          ? { allowed: false, reason: 'rate_limit', retryAfterMs: 5 }
          : { allowed: true, used: 1, rateLimit: { allowed: true, remaining: 3, resetAfterMs: 9 } },
      used: async () => 1,
    };
    const w = at('2026-12-06T10:00:00Z', {
      quota: { limit: 5, period: 'day' },
      quotaCounter: stray,
    });
    const { apiKey } = await accountWithKey(w);
    // No rate limit applies: a rate-limit status the counter made up is not reported…
    expect((await w.manager.verifyApiKey(apiKey))._unsafeUnwrap().rateLimit).toBeNull();
    // …and a refusal it blames on a rate limit is the quota's.
    expect((await w.manager.verifyApiKey(apiKey, { cost: 2 }))._unsafeUnwrapErr().type).toBe(
      'QuotaExceeded',
    );
  });

  it('meters with usage counting off, and keeps the rate limits of accounts apart', async () => {
    const w = at('2026-12-06T10:00:00Z', {
      usage: false,
      quota: { limit: 2, period: 'day' },
      rateLimit: { limit: 1, windowMs: 60_000 },
    });
    const first = await accountWithKey(w);
    const second = await accountWithKey(w);
    expect((await w.manager.verifyApiKey(first.apiKey)).isOk()).toBe(true);
    // Each account has its own budget of one.
    expect((await w.manager.verifyApiKey(second.apiKey)).isOk()).toBe(true);
    expect((await w.manager.verifyApiKey(first.apiKey))._unsafeUnwrapErr().type).toBe(
      'RateLimited',
    );
    const noLimit = world({ usage: false });
    const third = await accountWithKey(noLimit);
    expect((await noLimit.manager.verifyApiKey(third.apiKey)).isOk()).toBe(true);
    expect((await noLimit.manager.verifyApiKey('nonsense')).isErr()).toBe(true);
  });

  it('takes the largest cost there is, and names the field and the bounds of a wrong one', async () => {
    const w = world();
    const { apiKey } = await accountWithKey(w);
    expect((await w.manager.verifyApiKey(apiKey, { cost: 1_000_000_000_000 })).isOk()).toBe(true);
    expect(
      (await w.manager.verifyApiKey(apiKey, { cost: 1_000_000_000_001 }))._unsafeUnwrapErr(),
    ).toEqual({
      type: 'InvalidInput',
      field: 'cost',
      reason: 'out_of_range',
      message: 'cost must be a whole number from 0 to 1000000000000.',
    });
  });

  it('lands exactly on the quota under concurrent calls of one instance', async () => {
    const w = at('2026-12-06T10:00:00Z', {
      quota: { limit: 50, period: 'day' },
      rateLimit: { limit: 1000, windowMs: 60_000 },
    });
    const { id, apiKey } = await accountWithKey(w);
    const results = await Promise.all(
      Array.from({ length: 120 }, () => w.manager.verifyApiKey(apiKey)),
    );
    expect(results.filter((r) => r.isOk())).toHaveLength(50);
    expect(results.filter((r) => r.isErr() && r.error.type === 'QuotaExceeded')).toHaveLength(70);
    expect((await w.manager.quotaStatus(admin, id))._unsafeUnwrap()?.used).toBe(50);
  });

  it('counts each period under its own key in the in-memory counter, whatever the system clock says', async () => {
    const counter = inMemoryQuotaCounter();
    // A period long past by the system clock: the counter keeps no clock of its own to forget it by.
    const use = {
      key: 'quota:a:2020-01-06',
      limit: 2,
      cost: 2,
      resetsAt: Date.parse('2020-01-07'),
    };
    expect(await counter.consume(use)).toEqual({ allowed: true, used: 2 });
    expect(await counter.consume({ ...use, cost: 1 })).toEqual({
      allowed: false,
      reason: 'quota',
      used: 2,
    });
    expect(await counter.used(use.key)).toBe(2);
    // The next period is a key of its own.
    const next = { ...use, key: 'quota:a:2020-01-07', cost: 1, resetsAt: Date.parse('2020-01-08') };
    expect(await counter.consume(next)).toEqual({ allowed: true, used: 1 });
    expect(await counter.used(use.key)).toBe(2);
  });

  it('enforces the quota with an in-memory counter given explicitly and a clock set in the past', async () => {
    const w = at('2020-03-02T10:00:00Z', {
      quota: { limit: 1, period: 'day' },
      quotaCounter: inMemoryQuotaCounter(),
    });
    const { id, apiKey } = await accountWithKey(w);
    expect((await w.manager.verifyApiKey(apiKey)).isOk()).toBe(true);
    expect((await w.manager.verifyApiKey(apiKey))._unsafeUnwrapErr().type).toBe('QuotaExceeded');
    expect((await w.manager.quotaStatus(admin, id))._unsafeUnwrap()?.used).toBe(1);
    w.ports.clock.advance(86_400_000);
    expect((await w.manager.verifyApiKey(apiKey))._unsafeUnwrap().quota?.remaining).toBe(0);
  });
});
