import type { KeyHolder } from '../../ports/account-store.js';
import { admit, checkAdmission, compileAccess } from '../access/admission.js';
import { constantTimeEqual } from '../crypto/constant-time-equal.js';
import {
  type AccountInactive,
  errors,
  type InternalError,
  type InvalidKey,
  type IpNotAllowed,
  type KeyExpired,
  type PortFailed,
  type RateLimited,
  type StoreUnavailable,
} from '../errors.js';
import { parseApiKey } from '../keys/api-key-format.js';
import { apiKeyDigest } from '../keys/secret-digests.js';
import { keyStanding } from '../lifecycle/key-standing.js';
import type { Principal } from '../principal.js';
import { err, errAsync, type Result, type ResultAsync } from '../result.js';
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
  | IpNotAllowed
  | RateLimited
  | StoreUnavailable
  | PortFailed
  | InternalError;

/**
 * Where a verification comes from, as the caller knows it.
 *
 * @example
 * ```ts
 * await manager.verifyApiKey(key, { clientIp: '203.0.113.9' });
 * ```
 */
export interface VerifyOptions {
  /**
   * The client's IP address, for accounts with `allowedIps`. Leave it out
   * only where no account has an allowlist: such an account is refused
   * without one.
   */
  readonly clientIp?: string | undefined;
}

/**
 * Verifies a bearer key: recognises its format (a prefixed key with a bad
 * checksum is refused without a lookup), answers from the verification cache
 * when it can, otherwise looks the key up by SHA-256 and compares the digests
 * in constant time; refuses an expired key, a previous key past its grace, a
 * switched-off account and an address outside its allowlist; then uses a unit
 * of its rate limit, if it has one. Writes nothing.
 */
export function verifyApiKey(
  ctx: OperationContext,
  key: unknown,
  options?: VerifyOptions,
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
    toVerdict: (holder: KeyHolder | null) => verdictOf(ctx, holder, digest),
    decide: (verdict) =>
      clock.isErr() && verdict.kind === 'account' && verdict.terms.endsAt !== null
        ? err(clock.error)
        : answer(ctx, verdict, now, options?.clientIp),
  });
}

function verdictOf(ctx: OperationContext, holder: KeyHolder | null, digest: string): CachedVerdict {
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
    access: compileAccess(holder.accountId, holder.access, ctx.config.access),
  };
}

/** The answer for a verdict. A known key's refusals count as its usage too: a partner's monitoring wants to see them. */
function answer(
  ctx: OperationContext,
  verdict: CachedVerdict,
  now: number,
  clientIp: string | undefined,
): Result<Principal, VerifyApiKeyError> | ResultAsync<Principal, VerifyApiKeyError> {
  if (verdict.kind !== 'account') return err(errors.invalidKey('unknown_key'));
  const standing = keyStanding(verdict.accountId, verdict.terms, now, ctx.config.lifecycle);
  if (standing.isErr()) {
    ctx.usage?.count(verdict.accountId, now, false);
    return err(standing.error);
  }
  const admitted = checkAdmission(ctx, verdict, now, clientIp);
  if (admitted.isErr()) return err(admitted.error);
  return admit(ctx, verdict, 'bearer', standing.value, now);
}
