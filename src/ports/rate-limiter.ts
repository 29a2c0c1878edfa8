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
 * - `allowed: true` — one unit was used; `remaining` more could be used at
 *   once now, and the whole budget is back in `resetAfterMs`.
 * - `allowed: false` — nothing is left; the next unit is there in `retryAfterMs`.
 *
 * @example
 * ```ts
 * const decision: RateLimitDecision = { allowed: false, retryAfterMs: 100 };
 * ```
 */
export type RateLimitDecision =
  | { readonly allowed: true; readonly remaining: number; readonly resetAfterMs: number }
  | { readonly allowed: false; readonly retryAfterMs: number };

/**
 * Counts uses of a budget per key: API accounts' rate limits, and the claim
 * page's limits per client address and per link. Shared by every instance
 * when it is backed by a shared store (`redisRateLimiter` in
 * `api-accounts/redis`); per process with `inMemoryRateLimiter()`.
 *
 * Both adapters run GCRA: a budget of `limit` units that refills steadily,
 * one unit every `windowMs / limit`. A burst takes at most `limit` at once
 * and the sustained rate is at most `limit` per `windowMs`; no window edge
 * hands out a second budget straight after the first.
 *
 * Guarantees an adapter must give:
 * - Of any number of calls for one key at one moment, concurrent ones
 *   included, at most `limit` are allowed; a refused call uses nothing.
 * - A key's budget is whole again `windowMs` after its last allowed use.
 * - Memory is bounded: keys that are not used go away by themselves.
 * - It answers: a limiter whose backend fails or hangs answers within a
 *   bounded time (its own `onError` choice) rather than waiting.
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
  /** Uses one unit of `key`'s budget, if one is there now. */
  consume(key: string, policy: RateLimitPolicy): Promise<RateLimitDecision>;
}
