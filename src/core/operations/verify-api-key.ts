import type { KeyHolder } from '../../ports/account-store.js';
import { constantTimeEqual } from '../crypto/constant-time-equal.js';
import {
  type AccountInactive,
  errors,
  type InternalError,
  type InvalidKey,
  type KeyExpired,
  type PortFailed,
  type StoreUnavailable,
} from '../errors.js';
import { parseApiKey } from '../keys/api-key-format.js';
import { apiKeyDigest } from '../keys/secret-digests.js';
import { keyStanding } from '../lifecycle/key-standing.js';
import { type Principal, systemOwner } from '../principal.js';
import { err, errAsync, ok, type Result, type ResultAsync } from '../result.js';
import type { CachedVerdict } from '../verification-cache.js';
import { cachedVerification } from './cached-verification.js';
import type { OperationContext } from './operation-context.js';

/**
 * Errors `verifyApiKey` can return.
 *
 * @example
 * ```ts
 * const onError = (error: VerifyApiKeyError) => log.info({ type: error.type });
 * ```
 */
export type VerifyApiKeyError =
  | InvalidKey
  | KeyExpired
  | AccountInactive
  | StoreUnavailable
  | PortFailed
  | InternalError;

/**
 * Verifies a bearer key: recognises its format (a prefixed key with a bad
 * checksum is refused without a lookup), answers from the verification cache
 * when it can, otherwise looks the key up by SHA-256 and compares the digests
 * in constant time, and refuses a switched-off account, an expired key and a
 * previous key past its grace. Writes nothing.
 */
export function verifyApiKey(
  ctx: OperationContext,
  key: unknown,
): ResultAsync<Principal, VerifyApiKeyError> {
  if (typeof key !== 'string') return errAsync(errors.invalidKey('malformed_key'));
  const parsed = parseApiKey(key);
  if (!parsed.ok) return errAsync(errors.invalidKey(parsed.reason));
  const digest = apiKeyDigest(key);
  // A failing clock bypasses the cache, and refuses only keys with a deadline to check.
  const clock = ctx.ports.now();
  const now = clock.isOk() ? clock.value.getTime() : Number.NaN;
  return cachedVerification(ctx, {
    key: digest,
    now,
    load: () => ctx.ports.store.findKeyHolder(digest),
    toVerdict: (holder: KeyHolder | null) => verdictOf(holder, digest),
    decide: (verdict) =>
      clock.isErr() && verdict.kind === 'account' && verdict.terms.endsAt !== null
        ? err(clock.error)
        : answer(ctx, verdict, now),
  });
}

function verdictOf(holder: KeyHolder | null, digest: string): CachedVerdict {
  if (!holder || !constantTimeEqual(holder.keyHash, digest)) return { kind: 'unknown' };
  return {
    kind: 'account',
    accountId: holder.accountId,
    username: holder.username,
    active: holder.active,
    terms: {
      keyState: holder.keyState,
      endsAt: holder.expiresAt?.getTime() ?? null,
      supersededAt: holder.supersededAt?.getTime() ?? null,
    },
  };
}

/** The answer for a verdict. */
function answer(
  ctx: OperationContext,
  verdict: CachedVerdict,
  now: number,
): Result<Principal, VerifyApiKeyError> {
  if (verdict.kind !== 'account') return err(errors.invalidKey('unknown_key'));
  const standing = keyStanding(verdict.accountId, verdict.terms, now, ctx.config.lifecycle);
  // A known key's refusals count as usage too: a partner's monitoring wants to see them.
  const accepted = standing.isOk() && verdict.active;
  ctx.usage?.count(verdict.accountId, now, accepted);
  if (standing.isErr()) return err(standing.error);
  if (!verdict.active) return err(errors.accountInactive(verdict.accountId));
  return ok(systemOwner(verdict, 'bearer', standing.value));
}
