import { createHash } from 'node:crypto';
import type { RateLimitDecision, RateLimiter } from '../../ports/rate-limiter.js';

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
  /** Told once when Redis starts failing, and once when it answers again. */
  readonly onOutage?: (
    event: { readonly state: 'down'; readonly cause: unknown } | { readonly state: 'up' },
  ) => void;
}

/**
 * One fixed window per key, atomically in one round trip: INCR, and PEXPIRE
 * when the key has no expiry yet (it is new), so keys expire by themselves.
 * Answers the count and the window's remaining time.
 */
const SCRIPT = `local count = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return { count, ttl }`;

/** SHA-1 of {@link SCRIPT}, as EVALSHA names it. */
const SCRIPT_SHA = sha1Hex(SCRIPT);

/**
 * A {@link RateLimiter} in Redis, shared by every instance: one script call
 * per use (EVALSHA, falling back to EVAL once when Redis has not seen the
 * script), atomic, with keys that expire with their window. Fixed windows,
 * like the in-memory limiter: what a login-style limit needs, and exact
 * across instances. A Redis that fails or hangs answers `onError` (default
 * `'allow'`) after at most `timeoutMs`.
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
  let down = false;

  const run = async (key: string, windowMs: number): Promise<unknown> => {
    try {
      return await client.evalsha(SCRIPT_SHA, 1, key, windowMs);
    } catch (error) {
      if (!String((error as { message?: unknown })?.message ?? '').includes('NOSCRIPT'))
        throw error;
      return client.eval(SCRIPT, 1, key, windowMs);
    }
  };

  return {
    async consume(key, { limit, windowMs }): Promise<RateLimitDecision> {
      let timer: ReturnType<typeof setTimeout> | undefined;
      try {
        const answer = await Promise.race([
          run(prefix + key, windowMs),
          new Promise<never>((_, reject) => {
            timer = setTimeout(
              () => reject(new Error(`Redis did not answer in ${timeoutMs} ms`)),
              timeoutMs,
            );
          }),
        ]);
        const [count, ttl] = Array.isArray(answer) ? answer.map(Number) : [Number.NaN, 0];
        if (count === undefined || !Number.isSafeInteger(count))
          throw new TypeError('unexpected answer from Redis');
        if (down) {
          down = false;
          onOutage({ state: 'up' });
        }
        return count <= limit
          ? { allowed: true, remaining: limit - count }
          : { allowed: false, retryAfterMs: Math.max(1, ttl ?? windowMs) };
      } catch (cause) {
        if (!down) {
          down = true;
          onOutage({ state: 'down', cause });
        }
        return onError === 'allow'
          ? { allowed: true, remaining: 0 }
          : { allowed: false, retryAfterMs: windowMs };
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

function sha1Hex(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}
