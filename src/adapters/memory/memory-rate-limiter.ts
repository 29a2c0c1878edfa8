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
  /** Each key's theoretical arrival time in µs, and when it was last moved to the young end. */
  const arrivals = new Map<string, { tatUs: number; seq: number }>();
  const maxKeys = options.maxKeys ?? 50_000;
  const now = options.now ?? Date.now;
  let seq = 0;
  return {
    async consume(key, policy): Promise<RateLimitDecision> {
      const entry = arrivals.get(key);
      const { decision, tatUs } = gcraStep(entry?.tatUs, now() * 1000, policy);
      if (!decision.allowed) return decision;
      if (entry) {
        entry.tatUs = tatUs;
        // Moved to the young end only once it has drifted into the older half: nearly least
        // recently used, without a delete and an insert on every use.
        if (seq - entry.seq > maxKeys >>> 1) {
          arrivals.delete(key);
          entry.seq = ++seq;
          arrivals.set(key, entry);
        }
        return decision;
      }
      if (arrivals.size >= maxKeys) {
        const oldest = arrivals.keys().next().value;
        if (oldest !== undefined) arrivals.delete(oldest);
      }
      arrivals.set(key, { tatUs, seq: ++seq });
      return decision;
    },
  };
}
