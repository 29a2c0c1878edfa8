import { gcraDecision, gcraIntervalUs } from '../../core/access/gcra.js';
import type { RateLimitDecision, RateLimiter, RateLimitPolicy } from '../../ports/rate-limiter.js';
import {
  luaScript,
  outageGuard,
  type RedisOutageOptions,
  type RedisScriptClient,
} from './redis-script.js';

/**
 * Options of {@link redisRateLimiter}.
 *
 * @example
 * ```ts
 * redisRateLimiter({ client: redis, prefix: 'box-office:limits:', onError: 'deny' });
 * ```
 */
export interface RedisRateLimiterOptions extends RedisOutageOptions {
  readonly client: RedisScriptClient;
  /** Put before every key. Default `api-accounts:rate:`. */
  readonly prefix?: string;
  /**
   * What to answer when Redis fails or does not answer within `timeoutMs`:
   * `'allow'` (default; the claim's own attempt limit still holds) or `'deny'`.
   */
  readonly onError?: 'allow' | 'deny';
}

/**
 * GCRA in one atomic step (see `gcra.ts`, which this mirrors): the TAT is read,
 * moved on by one interval from now or from itself, and stored only when the
 * use is allowed, with an expiry at the TAT, after which the key would mean
 * a whole budget anyway. Redis's own clock (`TIME`) is the one clock every
 * instance shares. Numbers are formatted with `%d`: Lua would write a 16-digit
 * TAT as `1.7e+15`. Answers how far ahead of now the TAT is after this use, in µs.
 */
const SCRIPT = `local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local interval = tonumber(ARGV[1])
local capacity = tonumber(ARGV[2])
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
if tat < now then tat = now end
tat = tat + interval
local ahead = tat - now
if ahead <= capacity then
  redis.call('SET', KEYS[1], string.format('%d', tat), 'PX', math.ceil(ahead / 1000))
end
return ahead`;

/**
 * The settings of each limiter this module made, so that a quota counter on
 * the same client can use its budgets in the same script (`redisQuotaCounter`).
 */
export const redisLimiterSettings = new WeakMap<
  RateLimiter,
  {
    readonly client: RedisScriptClient;
    readonly prefix: string;
    readonly onError: 'allow' | 'deny';
  }
>();

/**
 * What a limiter answers while Redis is unreachable: nothing was counted, so
 * allow as if a whole budget were there, or deny for one interval.
 */
export function rateLimitFallback(
  onError: 'allow' | 'deny',
  policy: RateLimitPolicy,
): RateLimitDecision {
  return onError === 'allow'
    ? { allowed: true, remaining: policy.limit - 1, resetAfterMs: 0 }
    : { allowed: false, retryAfterMs: Math.max(1, Math.ceil(gcraIntervalUs(policy) / 1000)) };
}

/**
 * A {@link RateLimiter} in Redis, shared by every instance: one script call
 * per use (EVALSHA, falling back to EVAL once when Redis has not seen the
 * script), atomic, by GCRA like the in-memory limiter, with one key per
 * budget that expires by itself once the budget is whole again. Exact across
 * instances: the script runs alone and reads Redis's clock, not the
 * instances'. A Redis that fails or hangs answers `onError` (default
 * `'allow'`) after at most `timeoutMs`, and the outage is reported once, not
 * per request.
 *
 * @example
 * ```ts
 * import Redis from 'ioredis';
 * import { redisRateLimiter } from 'api-accounts/redis';
 *
 * const page = claimPage(manager, { rateLimiter: redisRateLimiter({ client: new Redis(process.env.REDIS_URL) }) });
 * ```
 */
export function redisRateLimiter(options: RedisRateLimiterOptions): RateLimiter {
  const { client } = options;
  const prefix = options.prefix ?? 'api-accounts:rate:';
  const onError = options.onError ?? 'allow';
  const guarded = outageGuard(options, 'rate limiter', onError);
  const run = luaScript(client, SCRIPT);
  const limiter: RateLimiter = {
    consume: (key, policy) =>
      guarded(
        async () => {
          const interval = gcraIntervalUs(policy);
          const ahead = Number(await run([prefix + key], [interval, interval * policy.limit]));
          if (!Number.isSafeInteger(ahead) || ahead <= 0) {
            throw new TypeError('unexpected answer from Redis');
          }
          return gcraDecision(ahead, policy);
        },
        () => rateLimitFallback(onError, policy),
      ),
  };
  redisLimiterSettings.set(limiter, { client, prefix, onError });
  return limiter;
}
