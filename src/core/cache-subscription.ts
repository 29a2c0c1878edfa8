import type { InvalidationBus } from '../ports/invalidation-bus.js';
import type { Log } from './logging/logger.js';
import type { VerificationCache } from './verify-cache.js';

/** Wait before trying to subscribe again after a failure. */
const RETRY_MS = 2_000;

/**
 * Keeps `cache` honest with `bus`: the cache serves nothing until the
 * subscription is live, drops an account when the bus says so, and drops
 * everything (and pauses) whenever the bus may have missed messages. A failed
 * subscription is retried in the background; verification stays correct
 * meanwhile, only uncached.
 *
 * @example
 * ```ts
 * const stop = keepCacheInSync(cache, store.invalidations);
 * // on shutdown:
 * await stop();
 * ```
 */
export function keepCacheInSync(
  cache: VerificationCache,
  bus: InvalidationBus,
  log: Log | null = null,
): () => Promise<void> {
  cache.enabled = false;
  let stopped = false;
  let unsubscribe: (() => Promise<void>) | null = null;
  let retry: ReturnType<typeof setTimeout> | null = null;

  const listener = {
    invalidate: (accountId: string) => cache.invalidateAccount(accountId),
    interrupted: () => {
      cache.enabled = false;
      cache.clear();
      log?.('warn', 'api-accounts: invalidations interrupted; verifying without the cache', {});
    },
    resumed: () => {
      cache.clear();
      cache.enabled = !stopped;
    },
  };

  const subscribe = (): void => {
    retry = null;
    Promise.resolve()
      .then(() => bus.subscribe(listener))
      .then(
        (stop) => {
          if (stopped) {
            stop().catch(() => undefined);
            return;
          }
          unsubscribe = stop;
          listener.resumed();
        },
        (cause: unknown) => {
          if (stopped) return;
          log?.('warn', 'api-accounts: could not subscribe to invalidations; retrying', { cause });
          retry = setTimeout(subscribe, RETRY_MS);
          retry.unref?.();
        },
      );
  };
  subscribe();

  return async function stopCacheSync() {
    stopped = true;
    cache.enabled = false;
    cache.clear();
    if (retry) clearTimeout(retry);
    await unsubscribe?.().catch(() => undefined);
  };
}
