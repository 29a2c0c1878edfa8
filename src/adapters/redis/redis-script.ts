import { createHash } from 'node:crypto';

/**
 * The commands the rate limiter and the quota counter need: an ioredis
 * client as is.
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

/** What to do while Redis fails: the options the limiter and the counter share. */
export interface RedisOutageOptions {
  /** Longest wait for Redis per call, in ms. Default 250. */
  readonly timeoutMs?: number;
  /**
   * While Redis is failing, one call per this many ms tries it again; the
   * others answer by the `onError` rule at once instead of each waiting
   * `timeoutMs`. Default 1000.
   */
  readonly probeIntervalMs?: number;
  /** Told once when Redis starts failing, and once when it answers again. */
  readonly onOutage?: (
    event: { readonly state: 'down'; readonly cause: unknown } | { readonly state: 'up' },
  ) => void;
}

/**
 * A Lua script run by its SHA-1 (EVALSHA), sent whole once (EVAL) when
 * Redis has not seen it, as after a restart.
 */
export function luaScript(
  client: RedisScriptClient,
  text: string,
): (keys: readonly string[], args: readonly (string | number)[]) => Promise<unknown> {
  const sha = createHash('sha1').update(text).digest('hex');
  return async (keys, args) => {
    try {
      return await client.evalsha(sha, keys.length, ...keys, ...args);
    } catch (error) {
      if (!String((error as { message?: unknown })?.message ?? '').includes('NOSCRIPT'))
        throw error;
      return client.eval(text, keys.length, ...keys, ...args);
    }
  };
}

/**
 * Runs calls to Redis with a timeout each, and answers `fallback` instead
 * while it fails: one call per `probeIntervalMs` tries Redis again, the
 * others answer at once, and the outage is reported once, not per call.
 */
export function outageGuard(
  options: RedisOutageOptions,
  what: string,
  onError: string,
): <T>(call: () => Promise<T>, fallback: () => T) => Promise<T> {
  const timeoutMs = options.timeoutMs ?? 250;
  const probeIntervalMs = options.probeIntervalMs ?? 1000;
  const onOutage =
    options.onOutage ??
    ((event) =>
      console.warn(
        event.state === 'down'
          ? `api-accounts: the Redis ${what} cannot reach Redis; answering '${onError}' until it can`
          : `api-accounts: the Redis ${what} reaches Redis again`,
      ));
  let down = false;
  let nextProbeAt = 0;
  return async (call, fallback) => {
    if (down) {
      if (Date.now() < nextProbeAt) return fallback();
      // This call is the probe: the calls arriving while it waits answer at once too.
      nextProbeAt = Date.now() + probeIntervalMs;
    }
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      const answer = await Promise.race([
        call(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`Redis did not answer in ${timeoutMs} ms`)),
            timeoutMs,
          );
        }),
      ]);
      if (down) {
        down = false;
        onOutage({ state: 'up' });
      }
      return answer;
    } catch (cause) {
      nextProbeAt = Date.now() + probeIntervalMs;
      if (!down) {
        down = true;
        onOutage({ state: 'down', cause });
      }
      return fallback();
    } finally {
      clearTimeout(timer);
    }
  };
}
