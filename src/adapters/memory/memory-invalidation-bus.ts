import type { InvalidationBus, InvalidationListener } from '../../ports/invalidation-bus.js';

/**
 * An {@link InvalidationBus} for managers in one process: every publish reaches
 * every subscriber synchronously. The in-memory store carries one, so two
 * managers over one in-memory store keep their caches honest.
 *
 * @example
 * ```ts
 * const bus = inMemoryInvalidationBus();
 * const a = new ApiAccountManager({ ...ports, invalidations: bus, verifyCache: { ttlMs: 60_000 } });
 * ```
 */
export function inMemoryInvalidationBus(): InvalidationBus {
  const listeners = new Set<InvalidationListener>();
  return {
    async publish(accountId, changedAt) {
      for (const listener of listeners) listener.invalidate(accountId, changedAt);
    },
    async subscribe(listener) {
      listeners.add(listener);
      return async () => {
        listeners.delete(listener);
      };
    },
  };
}
