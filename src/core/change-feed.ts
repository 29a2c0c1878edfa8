import type { AccountEventRecord } from '../ports/account-store.js';
import type { InvalidationBus } from '../ports/invalidation-bus.js';
import type { AccountEvent } from './account.js';
import type { VerificationCache } from './verify-cache.js';

/** Events after which a cached verification of the account may be wrong. */
const INVALIDATING: ReadonlySet<AccountEventRecord['type']> = new Set([
  'account.updated',
  'account.deactivated',
  'account.reactivated',
  'key.reset',
  'claim.resent',
  'claim.cancelled',
]);

/**
 * Where stored events go: the local verification cache drops the account at
 * once, the invalidation bus tells the other instances, and the host's
 * listener gets a copy for its audit log. Never throws and never waits: the
 * change is already stored.
 *
 * @example
 * ```ts
 * const publish = changeFeed({ onEvent, cache, bus });
 * publish([{ type: 'account.deactivated', accountId, actorId, at }]);
 * ```
 */
export function changeFeed(parts: {
  readonly onEvent: ((event: AccountEvent) => void | Promise<void>) | undefined;
  readonly cache: VerificationCache | null;
  readonly bus: InvalidationBus | undefined;
}): (events: readonly AccountEvent[]) => void {
  const { onEvent, cache, bus } = parts;
  return function publishEvents(events) {
    const changed = new Set(events.filter((e) => INVALIDATING.has(e.type)).map((e) => e.accountId));
    for (const accountId of changed) {
      cache?.invalidateAccount(accountId);
      // Other instances learn of it through the bus; if publishing fails, their caches expire by TTL.
      bus?.publish(accountId).catch(() => undefined);
    }
    if (!onEvent) return;
    for (const event of events) {
      try {
        Promise.resolve(onEvent(structuredClone(event))).catch(() => undefined);
      } catch {
        // A failing audit listener must not undo or fail a change that is already stored.
      }
    }
  };
}
