import { errors, type InvalidKey, type KeyExpired } from '../errors.js';
import { err, ok, type Result } from '../result.js';
import type { ResolvedLifecycle } from './key-lifecycle-options.js';

/**
 * When a verified key stops working and which key of its account it is, as
 * verification reads it (times in ms, so cached verdicts stay plain data).
 */
export interface KeyTerms {
  readonly keyState: 'current' | 'previous';
  /** A current key's expiry (`null`: never), a previous key's end of grace. */
  readonly endsAt: number | null;
  /** A previous key's rotation time; `null` for the current key. */
  readonly supersededAt: number | null;
}

/** What a principal says about its key. */
export interface KeyStanding {
  readonly keyState: 'current' | 'previous';
  readonly keyExpiresAt: Date | null;
  /** Set when the key is deprecated now: superseded by a rotation, or inside its reminder window. */
  readonly deprecatedAt: Date | null;
}

/**
 * Whether a key with these terms works at `now`, and how the principal
 * describes it. A previous key past its grace is refused like any key the
 * account no longer has; a current key past its expiry is `KeyExpired`.
 */
export function keyStanding(
  accountId: string,
  terms: KeyTerms,
  now: number,
  lifecycle: ResolvedLifecycle,
): Result<KeyStanding, InvalidKey | KeyExpired> {
  const { keyState, endsAt, supersededAt } = terms;
  const keyExpiresAt = endsAt === null ? null : new Date(endsAt);
  if (keyState === 'previous') {
    if (endsAt === null || !(now < endsAt)) return err(errors.invalidKey('unknown_key'));
    return ok({ keyState, keyExpiresAt, deprecatedAt: new Date(supersededAt ?? now) });
  }
  if (endsAt === null) return ok({ keyState, keyExpiresAt, deprecatedAt: null });
  // `!(now < endsAt)`, not `now >= endsAt`: an unreadable time refuses rather than lets in.
  if (!(now < endsAt)) return err(errors.keyExpired(accountId, new Date(endsAt)));
  const firstReminder = lifecycle.keyLifetime?.reminders[0];
  const windowStart = firstReminder === undefined ? null : endsAt - firstReminder;
  return ok({
    keyState,
    keyExpiresAt,
    deprecatedAt: windowStart !== null && now >= windowStart ? new Date(windowStart) : null,
  });
}
