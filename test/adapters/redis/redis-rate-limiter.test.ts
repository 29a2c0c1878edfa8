/**
 * Against the real Redis at REDIS_URL (CI: redis://127.0.0.1:6379). There is
 * no embedded Redis, so without REDIS_URL this suite is reported as skipped.
 */

import { createVerifier, inMemoryPorts } from 'api-accounts';
import { claimPage } from 'api-accounts/claim-page';
import { type RedisScriptClient, redisRateLimiter } from 'api-accounts/redis';
import { rateLimiterContract, runContractSuite } from 'api-accounts/testing';
import { describe, expect, it } from 'vitest';
import { accountInput, accountWithKey, admin, world, wrongCode } from '../../helpers.js';
import { redisConnections, redisUrl } from './redis-connections.js';

const connect = redisConnections();

describe.skipIf(!redisUrl)(`redisRateLimiter (Redis at ${redisUrl})`, () => {
  runContractSuite(
    rateLimiterContract(() => redisRateLimiter({ client: connect() })),
    { describe, it },
  );

  it('is one budget for two instances: 40 concurrent uses on a limit of 10 allow exactly 10', async () => {
    const [a, b] = [
      redisRateLimiter({ client: connect() }),
      redisRateLimiter({ client: connect() }),
    ];
    const key = `two-instances:${Math.random()}`;
    const decisions = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        (i % 2 === 0 ? a : b).consume(key, { limit: 10, windowMs: 60_000 }),
      ),
    );
    expect(decisions.filter((d) => d.allowed)).toHaveLength(10);
  });

  it('limits an account across two instances: 40 concurrent requests on a limit of 10, exactly 10 in', async () => {
    const ports = inMemoryPorts();
    const prefix = `accounts:${Math.random()}:`;
    const rateLimit = { limit: 10, windowMs: 60_000 };
    const a = world(
      { rateLimit, rateLimiter: redisRateLimiter({ client: connect(), prefix }) },
      ports,
    );
    const b = createVerifier({
      store: ports.store,
      clock: ports.clock,
      rateLimit,
      rateLimiter: redisRateLimiter({ client: connect(), prefix }),
    });
    const { apiKey } = await accountWithKey(a);
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, i) => (i % 2 ? a.manager : b).verifyApiKey(apiKey)),
    );
    expect(answers.filter((answer) => answer.isOk())).toHaveLength(10);
    const refused = answers.filter((answer) => answer.isErr()).map((a) => a._unsafeUnwrapErr());
    expect(refused.every((error) => error.type === 'RateLimited')).toBe(true);
  });

  it('gives the claim page one per-IP budget across instances', async () => {
    const w = world();
    const shared = redisRateLimiter({ client: connect(), prefix: `page:${Math.random()}:` });
    const pages = [0, 1].map(() =>
      claimPage(w.manager, {
        rateLimiter: shared,
        csrfSecret: 'the same secret on every instance, 32+ characters',
        clientIp: () => '203.0.113.9',
        perIpLimit: { max: 4, windowMs: 60_000 },
      }),
    );
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const input = accountInput({ username: `Page ${i}`, email: `p${i}@partner.example` });
      await w.manager.createAccount(admin, input);
      const { token, code } = w.lastClaim();
      const cookie = `api_accounts_claim=${token}`;
      // Alternate instances, each link tried once on each: only the address is shared.
      for (const page of pages) {
        const form = await (
          await page(new Request('https://bo.example/claim', { headers: { cookie } }))
        ).text();
        const csrf = /name="csrf" value="([^"]+)"/.exec(form)?.[1] ?? '';
        const response = await page(
          new Request('https://bo.example/claim', {
            method: 'POST',
            headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
            body: new URLSearchParams({ code: wrongCode(code), csrf }).toString(),
          }),
        );
        statuses.push(response.status);
      }
    }
    expect(statuses).toEqual([422, 422, 422, 422, 429, 429, 429, 429]);
  });
});

describe('redisRateLimiter when Redis fails', () => {
  const hanging: RedisScriptClient = {
    evalsha: () => new Promise(() => undefined),
    eval: () => new Promise(() => undefined),
  };
  const refusing: RedisScriptClient = {
    evalsha: async () => {
      throw new Error('connect ECONNREFUSED 127.0.0.1:6379');
    },
    eval: async () => {
      throw new Error('connect ECONNREFUSED 127.0.0.1:6379');
    },
  };

  it('answers onError within timeoutMs, and reports the outage once, not per call', async () => {
    const events: string[] = [];
    const limiter = redisRateLimiter({
      client: hanging,
      timeoutMs: 50,
      onOutage: (event) => events.push(event.state),
    });
    const started = performance.now();
    const decisions = await Promise.all(
      Array.from({ length: 5 }, () => limiter.consume('k', { limit: 1, windowMs: 1_000 })),
    );
    expect(performance.now() - started).toBeLessThan(500);
    expect(decisions.every((d) => d.allowed)).toBe(true);
    expect(events).toEqual(['down']);
  });

  it("refuses while Redis is down when told onError: 'deny', and says when it is back", async () => {
    let broken = true;
    const events: string[] = [];
    // The script answers how far ahead of now the budget's TAT is, in µs: here one interval.
    const flaky: RedisScriptClient = {
      evalsha: async (...args) => (broken ? refusing.evalsha(...args) : 200_000),
      eval: async () => 200_000,
    };
    const limiter = redisRateLimiter({
      client: flaky,
      onError: 'deny',
      probeIntervalMs: 0,
      onOutage: (event) => events.push(event.state),
    });
    expect((await limiter.consume('k', { limit: 5, windowMs: 1_000 })).allowed).toBe(false);
    expect((await limiter.consume('k', { limit: 5, windowMs: 1_000 })).allowed).toBe(false);
    broken = false;
    expect(await limiter.consume('k', { limit: 5, windowMs: 1_000 })).toEqual({
      allowed: true,
      remaining: 4,
      resetAfterMs: 200,
    });
    expect(events).toEqual(['down', 'up']);
  });

  it('asks a failing Redis once per probeIntervalMs; the calls in between answer at once', async () => {
    let calls = 0;
    const counting: RedisScriptClient = {
      evalsha: () => {
        calls++;
        return new Promise(() => undefined);
      },
      eval: () => new Promise(() => undefined),
    };
    const policy = { limit: 1, windowMs: 1_000 };
    const limiter = redisRateLimiter({
      client: counting,
      timeoutMs: 30,
      probeIntervalMs: 100,
      onOutage: () => undefined,
    });
    await limiter.consume('k', policy);
    expect(calls).toBe(1);
    const started = performance.now();
    for (let i = 0; i < 50; i++) await limiter.consume('k', policy);
    expect(performance.now() - started).toBeLessThan(30);
    expect(calls).toBe(1);
    // Once the interval has passed, one call probes; those arriving while it waits do not.
    await new Promise((resolve) => setTimeout(resolve, 120));
    await Promise.all(Array.from({ length: 20 }, () => limiter.consume('k', policy)));
    expect(calls).toBe(2);
  });
});
