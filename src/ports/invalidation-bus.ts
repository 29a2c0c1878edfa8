/**
 * Receives invalidations from an {@link InvalidationBus}.
 *
 * @example
 * ```ts
 * const listener: InvalidationListener = {
 *   invalidate: (accountId) => cache.dropAccount(accountId),
 *   interrupted: () => cache.disable(),
 *   resumed: () => cache.enable(),
 * };
 * ```
 */
export interface InvalidationListener {
  /**
   * Verification results cached for this account are stale: drop them.
   * `changedAt`, when the bus carries it, is when the change was made (for
   * the `api_accounts.invalidation.lag` metric).
   */
  invalidate(accountId: string, changedAt?: Date): void;
  /** The bus lost its connection and may miss messages: drop everything and stop caching. */
  interrupted(): void;
  /** The bus listens again: caching may resume (from empty). */
  resumed(): void;
}

/**
 * Carries "this account changed" between the app instances that share one
 * store, so that every instance's verification cache drops the account within
 * a second of a reset, deactivation or edit, however long its cache TTL.
 *
 * Guarantees an adapter must give:
 * - After `subscribe` resolves, every later `publish` from any instance reaches
 *   the listener (the publisher's own instance included), normally well within
 *   a second.
 * - When delivery can no longer be guaranteed (connection lost) it calls
 *   `interrupted()` at once, and `resumed()` once it listens again.
 *
 * `postgresStore` brings one (`LISTEN/NOTIFY`); `api-accounts/redis` has one
 * over Redis pub/sub; the store of `inMemoryPorts()` (`inMemoryAccountStore`
 * in `api-accounts/testing`) has one for managers in one process.
 *
 * @example
 * ```ts
 * const manager = new ApiAccountManager({ ...ports, invalidations: myBus, verifyCache: { ttlMs: 60_000 } });
 * ```
 */
export interface InvalidationBus {
  /** Tells every subscribed instance that `accountId` changed (at `changedAt`, when known). */
  publish(accountId: string, changedAt?: Date): Promise<void>;
  /** Starts delivering to `listener`; resolves once listening, with a function that stops it. */
  subscribe(listener: InvalidationListener): Promise<() => Promise<void>>;
}
