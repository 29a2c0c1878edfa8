import type { RateLimitDecision, RateLimitPolicy } from '../../ports/rate-limiter.js';

/**
 * The generic cell rate algorithm (GCRA), as both rate limiters run it. One
 * number per key, the theoretical arrival time (TAT) of the next unit: a
 * budget of `limit` units that refills steadily, one unit every
 * `windowMs / limit`. So a burst takes at most `limit` at once, the sustained
 * rate is at most `limit` per `windowMs`, and, unlike fixed windows, nobody
 * gets two budgets back to back across a window's edge.
 *
 * Times are whole microseconds, which a double holds exactly (now is about
 * 2^51 µs): with integer arithmetic the `limit`-th unit of a burst is never
 * refused by a rounding error, in JavaScript or in Redis's Lua.
 *
 * @module
 */

/** Microseconds between two units: `windowMs / limit`, at least 1. */
export function gcraIntervalUs(policy: RateLimitPolicy): number {
  return Math.max(1, Math.round((policy.windowMs * 1000) / policy.limit));
}

/**
 * What a use decides, given how far ahead of now the TAT would be after it
 * (`aheadUs`): refused when that is more than the whole budget's worth.
 */
export function gcraDecision(aheadUs: number, policy: RateLimitPolicy): RateLimitDecision {
  const interval = gcraIntervalUs(policy);
  const capacity = interval * policy.limit;
  if (aheadUs > capacity) {
    return { allowed: false, retryAfterMs: Math.max(1, Math.ceil((aheadUs - capacity) / 1000)) };
  }
  return {
    allowed: true,
    remaining: Math.floor((capacity - aheadUs) / interval),
    resetAfterMs: Math.ceil(aheadUs / 1000),
  };
}

/**
 * One use of a key whose stored TAT is `tatUs` (`undefined`: none), at
 * `nowUs`: the decision, and the TAT to store when the use was allowed.
 */
export function gcraStep(
  tatUs: number | undefined,
  nowUs: number,
  policy: RateLimitPolicy,
): { readonly decision: RateLimitDecision; readonly tatUs: number } {
  const tat = Math.max(tatUs ?? nowUs, nowUs) + gcraIntervalUs(policy);
  return { decision: gcraDecision(tat - nowUs, policy), tatUs: tat };
}
