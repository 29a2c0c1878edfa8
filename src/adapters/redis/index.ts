/**
 * Redis for hosts running several instances that share one: verification-cache
 * invalidation over pub/sub, a rate limiter every instance counts in (accounts'
 * limits, and the claim page's per address and per link), and a quota counter
 * exact across instances. `ioredis` (or any client of
 * the same shape) is an optional peer dependency.
 *
 * @example
 * ```ts
 * import Redis from 'ioredis';
 * import { redisInvalidations } from 'api-accounts/redis';
 *
 * const redis = new Redis(process.env.REDIS_URL);
 * const manager = new ApiAccountManager({
 *   ...ports, store, claimUrl,
 *   verifyCache: { ttlMs: 60_000 },
 *   invalidations: redisInvalidations({ publisher: redis, subscriber: redis.duplicate() }),
 * });
 * ```
 *
 * @module api-accounts/redis
 */
export {
  type RedisInvalidationOptions,
  type RedisPublisher,
  type RedisSubscriber,
  redisInvalidations,
} from './redis-invalidations.js';
export {
  type RedisQuotaCounterOptions,
  redisQuotaCounter,
} from './redis-quota-counter.js';
export { type RedisRateLimiterOptions, redisRateLimiter } from './redis-rate-limiter.js';
export type { RedisOutageOptions, RedisScriptClient } from './redis-script.js';
