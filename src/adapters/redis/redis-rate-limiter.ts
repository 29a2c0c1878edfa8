import { createHash } from 'node:crypto';
import { gcraDecision, gcraIntervalUs } from '../../core/access/gcra.js';
import type { RateLimitDecision, RateLimiter, RateLimitPolicy } from '../../ports/rate-limiter.js';

/**
 * The commands the limiter needs: an ioredis client as is.
 *
 * @example
 * ```ts
 * const client: RedisScriptClient = new Redis(process.env.REDIS_URL);
 * ```
 */
export interface RedisScriptClient {
  /** `EVALSHA sha numKeys key… arg…`; rejects with `NOSCRIPT` when the script is not loaded. */
  evalsha(sha: string, numKeys: number, ...args: (string | number)[]): Promise<unknown>;
  /** `EVAL script numKeys key… arg…`. */
  eval(script: string, numKeys: number, ...args: (string | number)[]): Promise<unknown>;
}

/**
 * Options of {@link redisRateLimiter}.
 *
 * @example
 * ```ts
 * redisRateLimiter({ client: redis, prefix: 'box-office:limits:', onError: 'deny' });
 * ```
 */
export interface RedisRateLimiterOptions {
  readonly client: RedisScriptClient;
  /** Put before every key. Default `api-accounts:rate:`. */
  readonly prefix?: string;
  /**
   * What to answer when Redis fails or does not answer within `timeoutMs`:
   * `'allow'` (default; the claim's own attempt limit still holds) or `'deny'`.
   */
  readonly onError?: 'allow' | 'deny';
  /** Longest wait for Redis per call, in ms. Default 250. */
  readonly timeoutMs?: number;
  /**
   * While Redis is failing, one call per this many ms tries it again; the
   * others answer `onError` at once instead of each waiting `timeoutMs`.
   * Default 1000.
   */
  readonly probeIntervalMs?: number;
  /** Told once when Redis starts failing, and once when it answers again. */
  readonly onOutage?: (
    event: { readonly state: 'down'; readonly cause: unknown } | { readonly state: 'up' },
  ) => void;
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

/** SHA-1 of {@link SCRIPT}, as EVALSHA names it. */
const SCRIPT_SHA = sha1Hex(SCRIPT);

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
  const timeoutMs = options.timeoutMs ?? 250;
  const onError = options.onError ?? 'allow';
  const onOutage =
    options.onOutage ??
    ((event) =>
      console.warn(
        event.state === 'down'
          ? `api-accounts: the Redis rate limiter cannot reach Redis; answering '${onError}' until it can`
          : 'api-accounts: the Redis rate limiter reaches Redis again',
      ));
  const probeIntervalMs = options.probeIntervalMs ?? 1000;
  let down = false;
  let nextProbeAt = 0;
  // Nothing was counted: allow as if a whole budget were there, or deny for one interval.
  const fallback = (policy: RateLimitPolicy, interval: number): RateLimitDecision =>
    onError === 'allow'
      ? { allowed: true, remaining: policy.limit - 1, resetAfterMs: 0 }
      : { allowed: false, retryAfterMs: Math.max(1, Math.ceil(interval / 1000)) };

  const run = async (key: string, interval: number, capacity: number): Promise<unknown> => {
    try {
      return await client.evalsha(SCRIPT_SHA, 1, key, interval, capacity);
    } catch (error) {
      if (!String((error as { message?: unknown })?.message ?? '').includes('NOSCRIPT'))
        throw error;
      return client.eval(SCRIPT, 1, key, interval, capacity);
    }
  };

  return {
    async consume(key, policy): Promise<RateLimitDecision> {
      const interval = gcraIntervalUs(policy);
      if (down) {
        if (Date.now() < nextProbeAt) return fallback(policy, interval);
        // This call is the probe: the calls arriving while it waits answer at once too.
        nextProbeAt = Date.now() + probeIntervalMs;
      }
      let timer: ReturnType<typeof setTimeout> | undefined;
      try {
        const answer = await Promise.race([
          run(prefix + key, interval, interval * policy.limit),
          new Promise<never>((_, reject) => {
            timer = setTimeout(
              () => reject(new Error(`Redis did not answer in ${timeoutMs} ms`)),
              timeoutMs,
            );
          }),
        ]);
        const ahead = Number(answer);
        if (!Number.isSafeInteger(ahead) || ahead <= 0) {
          throw new TypeError('unexpected answer from Redis');
        }
        if (down) {
          down = false;
          onOutage({ state: 'up' });
        }
        return gcraDecision(ahead, policy);
      } catch (cause) {
        nextProbeAt = Date.now() + probeIntervalMs;
        if (!down) {
          down = true;
          onOutage({ state: 'down', cause });
        }
        return fallback(policy, interval);
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

function sha1Hex(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}
