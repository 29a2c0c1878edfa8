import { gcraStep } from '../../core/access/gcra.js';
import type { RateLimitDecision, RateLimiter } from '../../ports/rate-limiter.js';

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
 * and at most `maxKeys` keys, forgetting the least recently used first, so a
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
  /** Each key's theoretical arrival time in µs, least recently used first. */
  const arrivals = new Map<string, number>();
  const maxKeys = options.maxKeys ?? 50_000;
  const now = options.now ?? Date.now;
  return {
    async consume(key, policy): Promise<RateLimitDecision> {
      const nowUs = now() * 1000;
      const stored = arrivals.get(key);
      const { decision, tatUs } = gcraStep(stored, nowUs, policy);
      if (!decision.allowed) return decision;
      if (stored !== undefined) arrivals.delete(key);
      else if (arrivals.size >= maxKeys) {
        const oldest = arrivals.keys().next().value;
        if (oldest !== undefined) arrivals.delete(oldest);
      }
      arrivals.set(key, tatUs);
      return decision;
    },
  };
}
