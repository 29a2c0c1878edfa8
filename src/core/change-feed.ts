import type { AccountEventRecord } from '../ports/account-store.js';
import type { InvalidationBus } from '../ports/invalidation-bus.js';
import type { AccountEvent } from './account.js';
import type { VerificationCache } from './verify-cache.js';

/** Events after which a cached verification of the account may be wrong. */
const INVALIDATING: ReadonlySet<AccountEventRecord['type']> = new Set([
  // A new account or a first key ends the "unknown" and "no key" verdicts
  // cached for its username, on every instance.
  'account.created',
  'key.claimed',
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
 * `invalidate` is for a write whose outcome is unknown (the store failed
 * after perhaps applying it): no event is announced, but every cache forgets
 * the account, so a reset or deactivation that did land cannot be hidden by a
 * cached verdict.
 *
 * @example
 * ```ts
 * const feed = changeFeed({ onEvent, cache, bus });
 * feed.publish([{ type: 'account.deactivated', accountId, actorId, at }]);
 * feed.invalidate(accountId);
 * ```
 */
export function changeFeed(parts: {
  readonly onEvent: ((event: AccountEvent) => void | Promise<void>) | undefined;
  readonly cache: VerificationCache | null;
  readonly bus: InvalidationBus | undefined;
}): ChangeFeed {
  const { onEvent, cache, bus } = parts;
  const invalidate = (accountId: string) => {
    cache?.invalidateAccount(accountId);
    // Other instances learn of it through the bus; if publishing fails, their caches expire by TTL.
    bus?.publish(accountId).catch(() => undefined);
  };
  return {
    invalidate,
    publish(events) {
      const changed = new Set(
        events.filter((e) => INVALIDATING.has(e.type)).map((e) => e.accountId),
      );
      for (const accountId of changed) invalidate(accountId);
      if (!onEvent) return;
      for (const event of events) {
        try {
          Promise.resolve(onEvent(structuredClone(event))).catch(() => undefined);
        } catch {
          // A failing audit listener must not undo or fail a change that is already stored.
        }
      }
    },
  };
}

/** Announces stored changes, and forgets accounts whose change may or may not have landed. */
export interface ChangeFeed {
  /** Announces stored events (cache, invalidation bus, host listener); never fails, never waits. */
  readonly publish: (events: readonly AccountEvent[]) => void;
  /** Drops the account from every cache without announcing an event. */
  readonly invalidate: (accountId: string) => void;
}
