import { gcraDecision, gcraIntervalUs } from '../../core/access/gcra.js';
import type { QuotaCounter, QuotaDecision, QuotaUse } from '../../ports/quota-counter.js';
import { rateLimitFallback, redisLimiterSettings } from './redis-rate-limiter.js';
import {
  luaScript,
  outageGuard,
  type RedisOutageOptions,
  type RedisScriptClient,
} from './redis-script.js';

/**
 * Options of {@link redisQuotaCounter}.
 *
 * @example
 * ```ts
 * redisQuotaCounter({ client: redis, prefix: 'box-office:quota:', onError: 'deny' });
 * ```
 */
export interface RedisQuotaCounterOptions extends RedisOutageOptions {
  readonly client: RedisScriptClient;
  /** Put before every key. Default `api-accounts:quota:`. */
  readonly prefix?: string;
  /**
   * What to answer when Redis fails or does not answer within `timeoutMs`:
   * `'allow'` (default: calls go on, uncounted, while Redis is away) or
   * `'deny'` (verification answers `PortFailed`, 503, until it is back).
   */
  readonly onError?: 'allow' | 'deny';
}

/**
 * How long a period's count outlives its period: an instance whose clock is
 * a little behind still counts in the period it believes is current.
 */
const KEEP_AFTER_PERIOD_MS = 86_400_000;

/**
 * The quota, and with a second key the rate limit too, in one atomic step.
 * The quota is judged first (an account over it uses no rate limit); then
 * the rate limit by GCRA as `redisRateLimiter`'s script does, on Redis's
 * clock; both are spent only when both allow. Answers `{ outcome, used,
 * ahead }`: 0 over quota, 1 rate limited, 2 allowed.
 *
 * KEYS: the count, [the rate limit's TAT]. ARGV: limit, cost, when the count
 * expires (ms since the epoch), [interval µs, capacity µs].
 */
const SCRIPT = `local used = tonumber(redis.call('GET', KEYS[1]) or '0')
local cost = tonumber(ARGV[2])
if used + cost > tonumber(ARGV[1]) then return {0, used, 0} end
local ahead = 0
if #KEYS == 2 then
  local t = redis.call('TIME')
  local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
  local tat = tonumber(redis.call('GET', KEYS[2]) or '0')
  if tat < now then tat = now end
  tat = tat + tonumber(ARGV[4])
  ahead = tat - now
  if ahead > tonumber(ARGV[5]) then return {1, used, ahead} end
  redis.call('SET', KEYS[2], string.format('%d', tat), 'PX', math.ceil(ahead / 1000))
end
used = redis.call('INCRBY', KEYS[1], cost)
redis.call('PEXPIREAT', KEYS[1], ARGV[3])
return {2, used, ahead}`;

/**
 * A {@link QuotaCounter} in Redis, exact across instances: one script per
 * verification that reads the period's count, refuses past the limit and
 * adds the cost only when it stays within it, atomically, with one key per
 * account and period that expires a day after the period ends. Nothing is
 * written to the account store per call.
 *
 * With `redisRateLimiter` on the same `client` as the manager's
 * `rateLimiter`, an account with both a rate limit and a quota uses both in
 * that one script (`pairedWith`: one round trip, both or neither). With a
 * limiter on another client the core takes three: the count read, the rate
 * limit asked, the quota used.
 *
 * The period comes from the instance's clock (it names the count's key).
 * When Redis loses its data (a restart without persistence, an eviction),
 * the period's counts start again from zero: keep Redis persistent (AOF)
 * and with `noeviction` where a quota is a contract. When it fails or hangs,
 * `onError` answers after at most `timeoutMs`, reported once per outage.
 *
 * @example
 * ```ts
 * import Redis from 'ioredis';
 * import { redisQuotaCounter, redisRateLimiter } from 'api-accounts/redis';
 *
 * const redis = new Redis(process.env.REDIS_URL);
 * const manager = new ApiAccountManager({
 *   ...ports, claimUrl,
 *   quota: { limit: 100_000, period: 'month' },
 *   rateLimiter: redisRateLimiter({ client: redis }),
 *   quotaCounter: redisQuotaCounter({ client: redis }),
 * });
 * ```
 */
export function redisQuotaCounter(options: RedisQuotaCounterOptions): QuotaCounter {
  const { client } = options;
  const prefix = options.prefix ?? 'api-accounts:quota:';
  const onError = options.onError ?? 'allow';
  const guarded = outageGuard(options, 'quota counter', onError);
  const run = luaScript(client, SCRIPT);
  const read = luaScript(client, "return redis.call('GET', KEYS[1]) or '0'");
  const quotaArgs = (use: QuotaUse) => [use.limit, use.cost, use.resetsAt + KEEP_AFTER_PERIOD_MS];
  // Nothing was counted: go on as if none were used, or refuse to answer.
  const fallback = (use: QuotaUse): QuotaDecision => {
    if (onError === 'deny') throw new Error('Redis is unavailable: quota use cannot be counted');
    return { allowed: true, used: use.cost };
  };
  const answer = (raw: unknown): { outcome: number; used: number; ahead: number } => {
    const [outcome, used, ahead] = Array.isArray(raw) ? raw.map(Number) : [];
    if (![0, 1, 2].includes(outcome as number) || !Number.isSafeInteger(used)) {
      throw new TypeError('unexpected answer from Redis');
    }
    return { outcome: outcome as number, used: used as number, ahead: ahead ?? 0 };
  };
  const consume = (use: QuotaUse) =>
    guarded<QuotaDecision>(
      async () => {
        const { outcome, used } = answer(await run([prefix + use.key], quotaArgs(use)));
        return outcome === 2 ? { allowed: true, used } : { allowed: false, reason: 'quota', used };
      },
      () => fallback(use),
    );
  return {
    consume,

    used: (key) =>
      guarded(
        async () => {
          const used = Number(await read([prefix + key], []));
          if (!Number.isSafeInteger(used)) throw new TypeError('unexpected answer from Redis');
          return used;
        },
        () => {
          throw new Error('Redis is unavailable: the quota count cannot be read');
        },
      ),

    pairedWith(limiter) {
      const paired = redisLimiterSettings.get(limiter);
      // Another client may be another server: the core then asks each in turn.
      if (paired?.client !== client) return null;
      return (use, rateLimit) => {
        const { policy } = rateLimit;
        const interval = gcraIntervalUs(policy);
        return guarded<QuotaDecision>(
          async () => {
            const { outcome, used, ahead } = answer(
              await run(
                [prefix + use.key, paired.prefix + rateLimit.key],
                [...quotaArgs(use), interval, interval * policy.limit],
              ),
            );
            if (outcome === 0) return { allowed: false, reason: 'quota', used };
            const decision = gcraDecision(ahead, policy);
            if (!decision.allowed) {
              return { allowed: false, reason: 'rate_limit', retryAfterMs: decision.retryAfterMs };
            }
            return { allowed: true, used, rateLimit: decision };
          },
          () => {
            const rate = rateLimitFallback(paired.onError, policy);
            if (!rate.allowed) {
              return { allowed: false, reason: 'rate_limit', retryAfterMs: rate.retryAfterMs };
            }
            return { ...fallback(use), rateLimit: rate };
          },
        );
      };
    },
  };
}
