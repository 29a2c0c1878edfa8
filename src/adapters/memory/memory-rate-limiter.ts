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
  /** Most keys counted at once; past it the oldest window is forgotten. Default 50,000. */
  readonly maxKeys?: number;
  /** The time in ms (for tests). Default `Date.now`. */
  readonly now?: () => number;
}

/**
 * A {@link RateLimiter} in this process's memory, with fixed windows. Bounded:
 * once it counts `maxKeys` keys it forgets the oldest, so a flood of distinct
 * keys costs no more memory than that. Each instance counts alone: behind
 * several instances use `redisRateLimiter` from `api-accounts/redis`.
 *
 * @example
 * ```ts
 * const limiter = inMemoryRateLimiter();
 * await limiter.consume('ip:203.0.113.9', { limit: 30, windowMs: 15 * 60_000 });
 * ```
 */
export function inMemoryRateLimiter(options: InMemoryRateLimiterOptions = {}): RateLimiter {
  const windows = new Map<string, { count: number; resetAt: number }>();
  const maxKeys = options.maxKeys ?? 50_000;
  const now = options.now ?? Date.now;
  return {
    async consume(key, { limit, windowMs }): Promise<RateLimitDecision> {
      const at = now();
      let window = windows.get(key);
      if (window === undefined || window.resetAt <= at) {
        windows.delete(key);
        if (windows.size >= maxKeys) {
          const oldest = windows.keys().next().value;
          if (oldest !== undefined) windows.delete(oldest);
        }
        window = { count: 0, resetAt: at + windowMs };
        windows.set(key, window);
      }
      if (window.count >= limit) return { allowed: false, retryAfterMs: window.resetAt - at };
      window.count += 1;
      return { allowed: true, remaining: limit - window.count };
    },
  };
}
