import { inMemoryRateLimiter } from 'api-accounts/testing';
import { describe, expect, it } from 'vitest';

describe('inMemoryRateLimiter', () => {
  it('forgets the least recently used budgets beyond maxKeys, so a flood of keys costs bounded memory', async () => {
    let now = 0;
    const limiter = inMemoryRateLimiter({ maxKeys: 100, now: () => now });
    const policy = { limit: 1, windowMs: 60_000 };
    expect((await limiter.consume('first', policy)).allowed).toBe(true);
    expect((await limiter.consume('first', policy)).allowed).toBe(false);
    for (let i = 0; i < 100; i++) await limiter.consume(`flood-${i}`, policy);
    // 'first' was the oldest window: forgotten, so its budget is whole again.
    expect((await limiter.consume('first', policy)).allowed).toBe(true);
    now += 60_000;
    expect((await limiter.consume('flood-99', policy)).allowed).toBe(true);
  });

  it('says how long until the next unit', async () => {
    let now = 1_000;
    const limiter = inMemoryRateLimiter({ now: () => now });
    const policy = { limit: 1, windowMs: 10_000 };
    await limiter.consume('k', policy);
    now += 4_000;
    expect(await limiter.consume('k', policy)).toEqual({ allowed: false, retryAfterMs: 6_000 });
  });
});

describe('inMemoryRateLimiter under a flood of distinct accounts', () => {
  it('remembers at most maxKeys budgets: the most recently used, whatever the flood', async () => {
    const limiter = inMemoryRateLimiter({ maxKeys: 1_000, now: () => 0 });
    const policy = { limit: 1, windowMs: 60_000 };
    for (let i = 0; i < 100_000; i++) await limiter.consume(`account:${i}`, policy);
    // The last 1,000 are spent; everything before them was forgotten (a whole budget again).
    expect((await limiter.consume('account:99999', policy)).allowed).toBe(false);
    expect((await limiter.consume('account:99000', policy)).allowed).toBe(false);
    expect((await limiter.consume('account:98999', policy)).allowed).toBe(true);
    expect((await limiter.consume('account:0', policy)).allowed).toBe(true);
  });

  it('keeps a budget used at least once per maxKeys / 2 new keys, however many others come', async () => {
    const limiter = inMemoryRateLimiter({ maxKeys: 100, now: () => 0 });
    const policy = { limit: 1_000_000, windowMs: 60_000 };
    for (let i = 0; i < 10_000; i++) {
      await limiter.consume(`flood:${i}`, policy);
      if (i % 40 === 0) await limiter.consume('partner', policy);
    }
    const partner = await limiter.consume('partner', policy);
    expect(partner.allowed && partner.remaining).toBe(1_000_000 - 251);
  });
});
