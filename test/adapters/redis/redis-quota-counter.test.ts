/**
 * Against the real Redis at REDIS_URL (CI: redis://127.0.0.1:6379). There is
 * no embedded Redis, so without REDIS_URL this suite is reported as skipped.
 */

import { createVerifier, inMemoryPorts } from 'api-accounts';
import { type RedisScriptClient, redisQuotaCounter, redisRateLimiter } from 'api-accounts/redis';
import { quotaCounterContract, runContractSuite } from 'api-accounts/testing';
import type { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { accountWithKey, admin, world } from '../../helpers.js';
import { redisConnections, redisUrl } from './redis-connections.js';

const connect = redisConnections();

/** A client that counts the scripts it sends: each is one round trip. */
function counted(client: Redis): RedisScriptClient & { calls: number } {
  const wrapped = {
    calls: 0,
    evalsha: (...args: Parameters<RedisScriptClient['evalsha']>) => {
      wrapped.calls++;
      return client.evalsha(...args);
    },
    eval: (...args: Parameters<RedisScriptClient['eval']>) => {
      wrapped.calls++;
      return client.eval(...args);
    },
  };
  return wrapped;
}

describe.skipIf(!redisUrl)(`redisQuotaCounter (Redis at ${redisUrl})`, () => {
  describe('with a rate limiter on the same client', () => {
    const client = connect();
    runContractSuite(
      quotaCounterContract(
        () => redisQuotaCounter({ client }),
        () => redisRateLimiter({ client }),
      ),
      { describe, it },
    );
  });

  describe('alone', () => {
    runContractSuite(
      quotaCounterContract(() => redisQuotaCounter({ client: connect() })),
      { describe, it },
    );
    it('pairs only with a limiter on its own client', () => {
      const client = connect();
      const counter = redisQuotaCounter({ client });
      expect(counter.pairedWith?.(redisRateLimiter({ client: connect() }))).toBeNull();
      expect(counter.pairedWith?.(redisRateLimiter({ client }))).toBeTypeOf('function');
    });
  });

  it('meters an account exactly across two instances: 60 concurrent calls on a quota of 25', async () => {
    const ports = inMemoryPorts();
    ports.clock.set(new Date('2026-12-06T10:00:00Z'));
    const prefix = `quota:${Math.random()}:`;
    const options = { quota: { limit: 25, period: 'month' as const } };
    const a = world(
      { ...options, quotaCounter: redisQuotaCounter({ client: connect(), prefix }) },
      ports,
    );
    const b = createVerifier({
      store: ports.store,
      clock: ports.clock,
      ...options,
      quotaCounter: redisQuotaCounter({ client: connect(), prefix }),
    });
    const { id, apiKey } = await accountWithKey(a);
    const answers = await Promise.all(
      Array.from({ length: 60 }, (_, i) => (i % 2 ? a.manager : b).verifyApiKey(apiKey)),
    );
    expect(answers.filter((answer) => answer.isOk())).toHaveLength(25);
    const refused = answers.filter((answer) => answer.isErr()).map((r) => r._unsafeUnwrapErr());
    expect(refused.every((error) => error.type === 'QuotaExceeded')).toBe(true);
    expect((await a.manager.quotaStatus(admin, id))._unsafeUnwrap()).toEqual({
      limit: 25,
      period: 'month',
      used: 25,
      resetsAt: new Date('2027-01-01T00:00:00Z'),
    });
  });

  it('uses the rate limit and the quota in one round trip, and counts the day by the clock', async () => {
    const ports = inMemoryPorts();
    ports.clock.set(new Date('2026-12-06T23:59:59.999Z'));
    const client = counted(connect());
    const w = world(
      {
        quota: { limit: 2, period: 'day' },
        rateLimit: { limit: 100, windowMs: 60_000 },
        rateLimiter: redisRateLimiter({ client, prefix: `rate:${Math.random()}:` }),
        quotaCounter: redisQuotaCounter({ client, prefix: `quota:${Math.random()}:` }),
      },
      ports,
    );
    const { apiKey } = await accountWithKey(w);
    client.calls = 0;
    const first = (await w.manager.verifyApiKey(apiKey))._unsafeUnwrap();
    expect(client.calls).toBe(1);
    expect(first.rateLimit?.remaining).toBe(99);
    expect(first.quota).toEqual({
      limit: 2,
      remaining: 1,
      resetsAt: new Date('2026-12-07T00:00:00Z'),
    });
    expect((await w.manager.verifyApiKey(apiKey, { cost: 2 }))._unsafeUnwrapErr().type).toBe(
      'QuotaExceeded',
    );
    // The next millisecond is the next day: a new count.
    ports.clock.advance(1);
    const next = (await w.manager.verifyApiKey(apiKey, { cost: 2 }))._unsafeUnwrap();
    expect(next.quota).toEqual({
      limit: 2,
      remaining: 0,
      resetsAt: new Date('2026-12-08T00:00:00Z'),
    });
    // Three verifications, three round trips; the refusal spent none of the rate limit.
    expect(client.calls).toBe(3);
    expect(next.rateLimit?.remaining).toBe(98);
  });
});

describe('redisQuotaCounter when Redis fails', () => {
  const refusing: RedisScriptClient = {
    evalsha: async () => {
      throw new Error('connect ECONNREFUSED 127.0.0.1:6379');
    },
    eval: async () => {
      throw new Error('connect ECONNREFUSED 127.0.0.1:6379');
    },
  };
  const use = { key: 'k', limit: 10, cost: 1, resetsAt: Date.now() + 60_000 };

  it("goes on uncounted by default, and answers 503 with onError: 'deny'", async () => {
    const events: string[] = [];
    const lenient = redisQuotaCounter({
      client: refusing,
      onOutage: (event) => events.push(event.state),
    });
    expect(await lenient.consume(use)).toEqual({ allowed: true, used: 1 });
    await expect(lenient.used('k')).rejects.toThrow(/cannot be read/);
    expect(events).toEqual(['down']);

    const strict = redisQuotaCounter({
      client: refusing,
      onError: 'deny',
      onOutage: () => undefined,
    });
    await expect(strict.consume(use)).rejects.toThrow(/cannot be counted/);
    const w = world({ quota: { limit: 10, period: 'day' }, quotaCounter: strict });
    const { apiKey } = await accountWithKey(w);
    expect((await w.manager.verifyApiKey(apiKey))._unsafeUnwrapErr()).toMatchObject({
      type: 'PortFailed',
      port: 'quotaCounter',
    });
  });

  it("follows the paired limiter's onError for the rate limit while Redis is down", async () => {
    const quiet = { onOutage: () => undefined };
    const counter = redisQuotaCounter({ client: refusing, ...quiet });
    const rate = { key: 'r', policy: { limit: 5, windowMs: 1_000 } };
    const allowing = redisRateLimiter({ client: refusing, ...quiet });
    expect(await counter.pairedWith?.(allowing)?.(use, rate)).toEqual({
      allowed: true,
      used: 1,
      rateLimit: { allowed: true, remaining: 4, resetAfterMs: 0 },
    });
    const denying = redisRateLimiter({ client: refusing, onError: 'deny', ...quiet });
    expect(await counter.pairedWith?.(denying)?.(use, rate)).toEqual({
      allowed: false,
      reason: 'rate_limit',
      retryAfterMs: 200,
    });
  });
});
