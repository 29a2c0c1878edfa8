import type { RateLimitDecision, RateLimiter, RateLimitPolicy } from './rate-limiter.js';

/**
 * A quota: at most `limit` units of calls per UTC calendar day or month.
 *
 * @example
 * ```ts
 * const plan: QuotaPolicy = { limit: 100_000, period: 'month' };
 * ```
 */
export interface QuotaPolicy {
  readonly limit: number;
  readonly period: 'day' | 'month';
}

/**
 * One use of a quota: `cost` units of `limit`, counted under `key`, which
 * names the account and the period (a new period is a new key, so a count
 * never has to be reset). `resetsAt` is when the period ends, in ms since
 * the epoch: the count may be forgotten after it.
 *
 * @example
 * ```ts
 * const use: QuotaUse = { key: 'quota:acct_1:2026-12', limit: 100_000, cost: 1, resetsAt: Date.UTC(2027, 0, 1) };
 * ```
 */
export interface QuotaUse {
  readonly key: string;
  readonly limit: number;
  readonly cost: number;
  readonly resetsAt: number;
}

/**
 * What {@link QuotaCounter.consume} decided: `used` is the period's count
 * after this call (nothing was added when it was refused). From a paired
 * step (`pairedWith`), a refusal may instead be the rate limit's, and an
 * allowed use carries the rate limit's decision.
 *
 * @example
 * ```ts
 * const decision: QuotaDecision = { allowed: false, reason: 'quota', used: 100_000 };
 * ```
 */
export type QuotaDecision =
  | {
      readonly allowed: true;
      readonly used: number;
      /** The rate limit's unit, when a paired step used one. */
      readonly rateLimit?: Extract<RateLimitDecision, { allowed: true }>;
    }
  | { readonly allowed: false; readonly reason: 'quota'; readonly used: number }
  | { readonly allowed: false; readonly reason: 'rate_limit'; readonly retryAfterMs: number };

/**
 * Counts accounts' quota use per period: in this process by default
 * (`inMemoryQuotaCounter`, exact on one instance), or shared by every
 * instance with `redisQuotaCounter` from `api-accounts/redis`. Verification
 * calls it only for a call that would otherwise be accepted, and never
 * writes the account store per call.
 *
 * Guarantees an adapter must give:
 * - Of any number of calls for one key, concurrent ones included, the costs
 *   allowed add up to at most `limit`; a refused call adds nothing.
 * - `used(key)` answers the period's count as `consume` left it.
 * - It answers: a backend that fails or hangs answers within a bounded time,
 *   by its own documented rule, rather than waiting.
 *
 * Prove an implementation with `quotaCounterContract` from `api-accounts/testing`.
 *
 * @example
 * ```ts
 * const decision = await counter.consume({ key: 'quota:acct_1:2026-12', limit: 1000, cost: 1, resetsAt });
 * if (!decision.allowed) return quotaExceeded();
 * ```
 */
export interface QuotaCounter {
  /** Adds `use.cost` to the period's count if it stays within `use.limit`; otherwise adds nothing. */
  consume(use: QuotaUse): Promise<QuotaDecision>;
  /** The period's count; 0 for a key never used. */
  used(key: string): Promise<number>;
  /**
   * Optional: for a counter that shares its backend with `limiter`, the one
   * atomic step that spends an account's rate-limit unit and its quota's
   * cost together, in one round trip: the quota judged first (an account
   * over it is told so and uses no rate limit), both or neither
   * (`redisQuotaCounter` with `redisRateLimiter` on the same client). `null`
   * (or no method) when it cannot: the core then reads `used`, asks the
   * limiter, and calls `consume`, in that order. Asked once, when the
   * manager is made.
   */
  pairedWith?(
    limiter: RateLimiter,
  ):
    | ((
        use: QuotaUse,
        rateLimit: { readonly key: string; readonly policy: RateLimitPolicy },
      ) => Promise<QuotaDecision>)
    | null;
}
