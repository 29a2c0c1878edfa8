import type { ChangePage } from '../../ports/account-store.js';
import type { InvalidationBus, InvalidationListener } from '../../ports/invalidation-bus.js';

/** How often the file is asked whether another connection wrote to it. */
const WATCH_INTERVAL_MS = 100;

/**
 * An {@link InvalidationBus} for processes sharing one SQLite file. SQLite has
 * no notifications, but `PRAGMA data_version` changes whenever another
 * connection commits: the bus asks every 100 ms (a read of a counter), and
 * when it changed reads the store's change feed and tells subscribers which
 * accounts changed. `publish` has nothing to do: the write itself is what the
 * other processes notice. The feed's own catch-up (every 500 ms) stays the
 * guarantee; this makes it faster.
 */
export function sqliteInvalidations(
  dataVersion: () => unknown,
  readChangesSince: (position: string | null) => Promise<ChangePage>,
): InvalidationBus {
  const listeners = new Set<InvalidationListener>();
  let timer: ReturnType<typeof setInterval> | null = null;
  let seen: unknown;
  let position: string | null = null;
  let reading = false;

  const check = async () => {
    if (reading) return;
    reading = true;
    try {
      const version = dataVersion();
      if (version === seen) return;
      seen = version;
      for (;;) {
        const page = await readChangesSince(position);
        position = page.position;
        for (const accountId of new Set(page.accountIds)) {
          for (const listener of listeners) listener.invalidate(accountId);
        }
        if (!page.more) break;
      }
    } catch {
      // A failed read is retried on the next tick; the manager's own catch-up covers the gap.
      seen = undefined;
    } finally {
      reading = false;
    }
  };

  return {
    async publish() {},
    async subscribe(listener) {
      listeners.add(listener);
      if (!timer) {
        seen = dataVersion();
        position = (await readChangesSince(null)).position;
        timer = setInterval(() => void check(), WATCH_INTERVAL_MS);
        timer.unref?.();
      }
      return async () => {
        listeners.delete(listener);
        if (listeners.size === 0 && timer) {
          clearInterval(timer);
          timer = null;
        }
      };
    },
  };
}
