import type { ChangePage } from '../../ports/account-store.js';
import type { Log } from '../logging/logger.js';
import type { VerificationCache } from './verdict-cache.js';

/** How often a cache reads the store's change feed, notifications or not. */
export const CATCH_UP_INTERVAL_MS = 500;

/**
 * How long after a catch-up began the cache may still answer from memory.
 * Past it (the store slow or unreachable) verification goes to the store, so
 * a revocation reaches every instance within this bound plus one read,
 * whatever happens to notifications: well within the 2 s the SDK promises.
 */
export const REVOCATION_BOUND_MS = 1_500;

/**
 * Keeps `cache` in step with the store's change feed: reads it every
 * {@link CATCH_UP_INTERVAL_MS} (and at once when `now()` is called, as a
 * notification does), drops every account it reports, and lets the cache
 * answer only until {@link REVOCATION_BOUND_MS} after the last catch-up that
 * succeeded began. The timer is `unref`'d; `stop()` ends it.
 */
export function catchUpFromFeed(
  cache: VerificationCache,
  readChangesSince: (position: string | null) => Promise<ChangePage>,
  log: Log | null,
): { readonly now: () => void; readonly stop: () => Promise<void> } {
  cache.trustUntil(Number.NEGATIVE_INFINITY);
  let position: string | null = null;
  let running: Promise<void> | null = null;
  let requested = false;
  let stopped = false;
  let failing = false;

  const catchUp = async () => {
    const started = performance.now();
    for (;;) {
      const page = await readChangesSince(position);
      if (!isChangePage(page)) throw new TypeError('readChangesSince answered something else');
      // The first read only finds the end of the feed: the cache is empty then.
      if (position !== null)
        for (const accountId of page.accountIds) cache.invalidateAccount(accountId);
      position = page.position;
      if (!page.more) break;
    }
    cache.trustUntil(started + REVOCATION_BOUND_MS);
    if (failing) log?.('info', 'api-accounts: the change feed answers again; caching resumed', {});
    failing = false;
  };

  const run = (): void => {
    if (stopped) return;
    if (running) {
      requested = true;
      return;
    }
    running = catchUp()
      .catch((cause: unknown) => {
        if (!failing) {
          log?.(
            'warn',
            'api-accounts: could not read the change feed; verifying without the cache',
            {
              cause,
            },
          );
        }
        failing = true;
      })
      .finally(() => {
        running = null;
        if (requested) {
          requested = false;
          run();
        }
      });
  };

  const timer = setInterval(run, CATCH_UP_INTERVAL_MS);
  timer.unref?.();
  run();

  return {
    now: run,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}

function isChangePage(value: unknown): value is ChangePage {
  if (typeof value !== 'object' || value === null) return false;
  const page = value as Record<string, unknown>;
  return (
    Array.isArray(page['accountIds']) &&
    page['accountIds'].every((id) => typeof id === 'string') &&
    typeof page['position'] === 'string' &&
    typeof page['more'] === 'boolean'
  );
}
