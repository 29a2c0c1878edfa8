import type { AccountStore } from '../../ports/account-store.js';
import type { InvalidationBus } from '../../ports/invalidation-bus.js';
import type { Log } from '../logging/logger.js';
import { catchUpFromFeed } from './feed-catch-up.js';
import type { VerificationCache } from './verdict-cache.js';

/** Wait before trying to subscribe again after a failure. */
const RETRY_MS = 2_000;

/**
 * Keeps `cache` honest with `bus`: the cache serves nothing until the
 * subscription is live, drops an account when the bus says so, and drops
 * everything (and pauses) whenever the bus may have missed messages. A failed
 * subscription is retried in the background; verification stays correct
 * meanwhile, only uncached.
 */
export function keepCacheInSync(
  cache: VerificationCache,
  bus: InvalidationBus,
  log: Log | null = null,
  /** Called on every notice from the bus: the change feed's catch-up, so that it reads at once. */
  onNotice: () => void = () => undefined,
  /** Told when a change the bus dated was dropped from the cache, for the lag metric. */
  onDropped: ((changedAt: Date) => void) | null = null,
): () => Promise<void> {
  cache.enabled = false;
  let stopped = false;
  let unsubscribe: (() => Promise<void>) | null = null;
  let retry: ReturnType<typeof setTimeout> | null = null;

  const listener = {
    invalidate: (accountId: string, changedAt?: Date) => {
      cache.invalidateAccount(accountId);
      if (changedAt instanceof Date) onDropped?.(changedAt);
      onNotice();
    },
    interrupted: () => {
      onNotice();
      cache.enabled = false;
      cache.clear();
      log?.('warn', 'api-accounts: invalidations interrupted; verifying without the cache', {});
    },
    resumed: () => {
      onNotice();
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

/**
 * Everything that keeps a manager's verification cache honest: the store's
 * change feed (read every 500 ms, and at once on any notice from the bus),
 * and the bus for speed. A store without a feed is refused unless the host
 * says this process is the only one writing it: nothing else would bring
 * another process's revocation here before the cache's TTL.
 */
export function keepCacheFresh(
  cache: VerificationCache,
  store: AccountStore,
  bus: InvalidationBus | undefined,
  singleInstance: boolean,
  log: Log | null,
  onDropped: ((changedAt: Date) => void) | null = null,
): () => Promise<void> {
  const readChangesSince = store.readChangesSince;
  if (!readChangesSince && !singleInstance) {
    throw new TypeError(
      'ApiAccountManager: verifyCache needs a store with a change feed (readChangesSince), ' +
        'or else revocations made by other processes would be served from the cache until ttlMs. ' +
        'If this process is the only one writing the store, pass verifyCache: { …, singleInstance: true }.',
    );
  }
  const feed = readChangesSince
    ? catchUpFromFeed(cache, (position) => readChangesSince.call(store, position), log)
    : null;
  const stopBus = bus
    ? keepCacheInSync(cache, bus, log, feed?.now, onDropped)
    : async () => undefined;
  return async function stopKeepingCacheFresh() {
    await Promise.all([stopBus(), feed?.stop()]);
  };
}
