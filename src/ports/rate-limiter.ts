/**
 * A budget: at most `limit` units per window of `windowMs`.
 *
 * @example
 * ```ts
 * const perIp: RateLimitPolicy = { limit: 30, windowMs: 15 * 60_000 };
 * ```
 */
export interface RateLimitPolicy {
  readonly limit: number;
  readonly windowMs: number;
}

/**
 * What {@link RateLimiter.consume} decided.
 *
 * - `allowed: true` — one unit was used; `remaining` are left in this window.
 * - `allowed: false` — the budget is spent; try again in `retryAfterMs`.
 *
 * @example
 * ```ts
 * const decision: RateLimitDecision = { allowed: false, retryAfterMs: 42_000 };
 * ```
 */
export type RateLimitDecision =
  | { readonly allowed: true; readonly remaining: number }
  | { readonly allowed: false; readonly retryAfterMs: number };

/**
 * Counts uses of a budget per key: the claim page's limits per client
 * address and per link. Shared by every instance when it is backed by a
 * shared store (`redisRateLimiter` in `api-accounts/redis`); per process with
 * `inMemoryRateLimiter()`.
 *
 * Guarantees an adapter must give:
 * - Of any number of calls for one key within one window, concurrent ones
 *   included, at most `limit` are allowed.
 * - A key's budget is whole again once its window has passed.
 * - Memory is bounded: keys that are not used go away by themselves.
 *
 * Prove an implementation with `rateLimiterContract` from `api-accounts/testing`.
 *
 * @example
 * ```ts
 * const decision = await limiter.consume('ip:203.0.113.9', { limit: 30, windowMs: 900_000 });
 * if (!decision.allowed) return tooMany(decision.retryAfterMs);
 * ```
 */
export interface RateLimiter {
  /** Uses one unit of `key`'s budget, if any is left in the current window. */
  consume(key: string, policy: RateLimitPolicy): Promise<RateLimitDecision>;
}
