import type { RateLimitDecision, RateLimiter } from '../../ports/rate-limiter.js';
import { Lru } from '../lru.js';
import { gcraStep } from './gcra.js';

/**
 * Options of {@link inMemoryRateLimiter}.
 *
 * @example
 * ```ts
 * inMemoryRateLimiter({ maxKeys: 10_000 });
 * ```
 */
export interface InMemoryRateLimiterOptions {
  /** Most keys remembered at once; past it the least recently used is forgotten. Default 50,000. */
  readonly maxKeys?: number;
  /** The time in ms (for tests). Default `Date.now`. */
  readonly now?: () => number;
}

/**
 * A {@link RateLimiter} in this process's memory, by GCRA (a budget that
 * refills steadily; see the port). Bounded: it remembers one number per key
 * and at most `maxKeys` keys, forgetting (nearly) the least recently used first, so a
 * flood of distinct keys costs no more memory than that (a forgotten key has
 * its whole budget again). Each instance counts alone: behind several
 * instances use `redisRateLimiter` from `api-accounts/redis`.
 *
 * @example
 * ```ts
 * const limiter = inMemoryRateLimiter();
 * await limiter.consume('account:acct_…', { limit: 600, windowMs: 60_000 });
 * ```
 */
export function inMemoryRateLimiter(options: InMemoryRateLimiterOptions = {}): RateLimiter {
  /** Each key's theoretical arrival time, in µs. */
  const arrivals = new Lru<{ tatUs: number }>(options.maxKeys ?? 50_000);
  const now = options.now ?? Date.now;
  return {
    async consume(key, policy): Promise<RateLimitDecision> {
      const entry = arrivals.get(key);
      const { decision, tatUs } = gcraStep(entry?.tatUs, now() * 1000, policy);
      if (!decision.allowed) return decision;
      if (entry) entry.tatUs = tatUs;
      else arrivals.set(key, { tatUs });
      return decision;
    },
  };
}
