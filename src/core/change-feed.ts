import type { AccountEvent } from '../ports/account-store.js';
import type { InvalidationBus } from '../ports/invalidation-bus.js';
import type { Log } from './logging/logger.js';
import type { VerificationCache } from './verification/verdict-cache.js';

/** Tries of one publish, and the wait before the second (doubling after). */
const PUBLISH_TRIES = 3;
const FIRST_RETRY_MS = 100;

/**
 * Whether a cached verification of the account may be wrong after each kind
 * of event: a `Record` over every event type, so that a new one does not
 * compile until it is decided here.
 */
const INVALIDATES: Readonly<Record<AccountEvent['type'], boolean>> = {
  // A new account or a first key ends the "unknown" and "no key" verdicts
  // cached for its username, on every instance.
  'account.created': true,
  'key.claimed': true,
  'account.updated': true,
  'account.deactivated': true,
  'account.reactivated': true,
  // Scopes, addresses and the rate limit are part of every cached verdict.
  'account.scopes_changed': true,
  'account.access_changed': true,
  'key.reset': true,
  'claim.resent': true,
  'claim.cancelled': true,
  // A rotation moves the key to the previous one; its grace's end drops it.
  'key.rotation_opened': true,
  'key.grace_ended': true,
  'key.expired': true,
  // A leaked key stops as on reset (or its grace ends): everywhere, at once.
  'key.leaked': true,
  'account.deleted': true,
  // Nothing a verdict holds: a wrong code touches only the claim, a reminder only the notices.
  'claim.code_rejected': false,
  'key.reminder_sent': false,
};

/**
 * Where stored events go: the local verification cache drops the account at
 * once, the invalidation bus tells the other instances, and the host's
 * listener gets a copy for its audit log. Never throws and never waits: the
 * change is already stored.
 *
 * The bus only makes other instances faster: they catch up from the store's
 * change feed anyway. A publish that fails is tried again (three tries in all,
 * 100 and 200 ms apart), then logged at `warn`; `drain()` waits for every
 * publish still under way, so a manager's `close()` does not lose one.
 *
 * `invalidate` is for a write whose outcome is unknown (the store failed
 * after perhaps applying it): no event is announced, but every cache forgets
 * the account, so a reset or deactivation that did land cannot be hidden by a
 * cached verdict.
 */
export function changeFeed(parts: {
  readonly onEvent: ((event: AccountEvent) => void | Promise<void>) | undefined;
  readonly cache: VerificationCache | null;
  readonly bus: InvalidationBus | undefined;
  readonly log?: Log | null;
}): ChangeFeed {
  const { onEvent, cache, bus, log = null } = parts;
  const pending = new Set<Promise<void>>();
  const announce = async (
    accountId: string,
    changedAt: Date | undefined,
    target: InvalidationBus,
  ) => {
    for (let attempt = 1; ; attempt++) {
      try {
        await (changedAt ? target.publish(accountId, changedAt) : target.publish(accountId));
        return;
      } catch (cause) {
        if (attempt >= PUBLISH_TRIES) {
          log?.(
            'warn',
            'api-accounts: could not tell other instances of a change; they catch up from the store',
            { accountId, cause },
          );
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, FIRST_RETRY_MS * 2 ** (attempt - 1)));
      }
    }
  };
  const invalidate = (accountId: string, changedAt?: Date) => {
    cache?.invalidateAccount(accountId);
    if (!bus) return;
    const publishing = announce(accountId, changedAt, bus);
    pending.add(publishing);
    void publishing.finally(() => pending.delete(publishing));
  };
  return {
    invalidate,
    async drain() {
      while (pending.size > 0) await Promise.all(pending);
    },
    publish(events) {
      // One announcement per account, with the time of its change (the events of one change share it).
      const changed = new Map(
        events.filter((e) => INVALIDATES[e.type]).map((e) => [e.accountId, e.at] as const),
      );
      for (const [accountId, at] of changed) invalidate(accountId, at);
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
  /** Resolves once every publish under way has succeeded or given up. */
  readonly drain: () => Promise<void>;
}
