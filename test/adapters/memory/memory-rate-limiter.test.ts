import { inMemoryRateLimiter } from 'api-accounts/testing';
import { describe, expect, it } from 'vitest';

describe('inMemoryRateLimiter', () => {
  it('forgets the oldest windows beyond maxKeys, so a flood of keys costs bounded memory', async () => {
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

  it('says how long until the window ends', async () => {
    let now = 1_000;
    const limiter = inMemoryRateLimiter({ now: () => now });
    const policy = { limit: 1, windowMs: 10_000 };
    await limiter.consume('k', policy);
    now += 4_000;
    expect(await limiter.consume('k', policy)).toEqual({ allowed: false, retryAfterMs: 6_000 });
  });
});
