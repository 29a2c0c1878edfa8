import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { QuotaCounter, QuotaUse } from '../ports/quota-counter.js';
import type { RateLimiter } from '../ports/rate-limiter.js';
import type { ContractCase, ContractSuite, MaybePromise } from './contract.js';

/**
 * The contract of {@link QuotaCounter}: concurrent uses land exactly on the
 * limit, a refusal adds nothing, costs add up, keys count apart. For a
 * counter that pairs with a limiter (`pairedWith`), give `makeLimiter` too:
 * then also that its paired step judges the quota before the rate limit and
 * spends neither on the other's refusal.
 *
 * @example
 * ```ts
 * runContractSuite(quotaCounterContract(() => redisQuotaCounter({ client }), () => redisRateLimiter({ client })), { describe, it });
 * ```
 */
export function quotaCounterContract(
  makeCounter: () => MaybePromise<QuotaCounter>,
  makeLimiter?: () => MaybePromise<RateLimiter>,
): ContractSuite {
  const use = (limit: number, cost = 1): QuotaUse => ({
    key: `quota:contract:${randomBytes(8).toString('hex')}`,
    limit,
    cost,
    resetsAt: Date.now() + 86_400_000,
  });
  const rate = () => ({
    key: `contract:${randomBytes(8).toString('hex')}`,
    policy: { limit: 5, windowMs: 60_000 },
  });
  const cases: ContractCase[] = [
    {
      name: 'allows exactly `limit` of 40 concurrent uses, and counts what it allowed',
      run: async () => {
        const counter = await makeCounter();
        const u = use(10);
        const decisions = await Promise.all(Array.from({ length: 40 }, () => counter.consume(u)));
        assert.equal(decisions.filter((d) => d.allowed).length, 10);
        for (const d of decisions)
          if (!d.allowed) assert.deepEqual(d, { allowed: false, reason: 'quota', used: 10 });
        assert.equal(await counter.used(u.key), 10);
      },
    },
    {
      name: 'adds costs, refuses one that would pass the limit without adding it, and counts keys apart',
      run: async () => {
        const counter = await makeCounter();
        const u = use(10);
        assert.deepEqual(await counter.consume({ ...u, cost: 4 }), { allowed: true, used: 4 });
        assert.deepEqual(await counter.consume({ ...u, cost: 4 }), { allowed: true, used: 8 });
        assert.deepEqual(await counter.consume({ ...u, cost: 3 }), {
          allowed: false,
          reason: 'quota',
          used: 8,
        });
        assert.deepEqual(await counter.consume({ ...u, cost: 2 }), { allowed: true, used: 10 });
        assert.deepEqual(await counter.consume({ ...u, cost: 0 }), { allowed: true, used: 10 });
        const other = use(10);
        assert.equal(await counter.used(other.key), 0);
        assert.deepEqual(await counter.consume(other), { allowed: true, used: 1 });
        assert.equal(await counter.used(u.key), 10);
      },
    },
  ];
  if (makeLimiter) {
    cases.push(
      {
        name: 'with a rate limit: judges the quota first, and a refusal of either spends neither',
        run: async () => {
          const counter = await makeCounter();
          const limiter = await makeLimiter();
          const step = counter.pairedWith?.(limiter);
          assert.ok(step, 'the counter does not pair with this limiter');
          const u = use(1);
          const r = rate();
          const first = await step(u, r);
          assert.ok(first.allowed && first.used === 1 && first.rateLimit?.remaining === 4);
          // Over quota: refused as such, and the rate limit keeps its four units.
          for (let i = 0; i < 10; i++) {
            assert.deepEqual(await step(u, r), {
              allowed: false,
              reason: 'quota',
              used: 1,
            });
          }
          const left = await limiter.consume(r.key, r.policy);
          assert.ok(left.allowed && left.remaining === 3);
          // Rate limited: refused as such, and the quota is not used.
          const roomy = use(100);
          for (let i = 0; i < 3; i++) await limiter.consume(r.key, r.policy);
          const limited = await step(roomy, r);
          assert.ok(
            !limited.allowed && limited.reason === 'rate_limit' && limited.retryAfterMs > 0,
          );
          assert.equal(await counter.used(roomy.key), 0);
        },
      },
      {
        name: 'with a rate limit: 40 concurrent uses allow exactly the smaller of the two',
        run: async () => {
          const counter = await makeCounter();
          const limiter = await makeLimiter();
          const step = counter.pairedWith?.(limiter);
          assert.ok(step, 'the counter does not pair with this limiter');
          const u = use(10);
          const r = rate();
          const decisions = await Promise.all(Array.from({ length: 40 }, () => step(u, r)));
          assert.equal(decisions.filter((d) => d.allowed).length, 5);
          assert.equal(await counter.used(u.key), 5);
        },
      },
    );
  }
  return { name: 'QuotaCounter contract', cases };
}
