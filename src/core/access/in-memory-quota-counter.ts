import type { QuotaCounter, QuotaDecision, QuotaUse } from '../../ports/quota-counter.js';
import { Lru } from '../lru.js';

/**
 * Options of {@link inMemoryQuotaCounter}.
 *
 * @example
 * ```ts
 * inMemoryQuotaCounter({ maxKeys: 200_000 });
 * ```
 */
export interface InMemoryQuotaCounterOptions {
  /** Most counts remembered at once (one per account and period). Default 100,000. */
  readonly maxKeys?: number;
}

/**
 * A {@link QuotaCounter} in this process's memory: exact on one instance,
 * forgotten on restart. Behind several instances, or where a restart must
 * not hand out a fresh quota, use `redisQuotaCounter` from
 * `api-accounts/redis`. Bounded by `maxKeys`: past it, the least recently
 * used count is forgotten (its account starts the period again), so size it
 * above the number of accounts with a quota.
 *
 * @example
 * ```ts
 * new ApiAccountManager({ ...ports, quota: { limit: 10_000, period: 'day' }, quotaCounter: inMemoryQuotaCounter() });
 * ```
 */
export function inMemoryQuotaCounter(options: InMemoryQuotaCounterOptions = {}): QuotaCounter {
  // The period is in the key: a new period is a new count, so no clock is needed here, and none
  // can disagree with the manager's. Past periods' counts go as the least recently used.
  const counts = new Lru<number>(options.maxKeys ?? 100_000);
  const usedOf = (key: string): number => counts.get(key) ?? 0;
  return {
    // No await inside: nothing can come between the check and the addition.
    async consume(use: QuotaUse): Promise<QuotaDecision> {
      const used = usedOf(use.key);
      if (used + use.cost > use.limit) return { allowed: false, reason: 'quota', used };
      counts.set(use.key, used + use.cost);
      return { allowed: true, used: used + use.cost };
    },
    used: async (key) => usedOf(key),
  };
}
