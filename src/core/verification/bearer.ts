import type { KeyHolder } from '../../ports/account-store.js';
import { type ErrorOf, errors } from '../errors.js';
import { isRecord } from '../is-record.js';
import { parseApiKey } from '../keys/api-key-format.js';
import { apiKeyDigest } from '../keys/secret-digests.js';
import { keyStanding } from '../lifecycle/key-standing.js';
import type { Principal } from '../principal.js';
import { err, errAsync, type Result, type ResultAsync } from '../result.js';
import type { VerificationProbe } from '../telemetry/telemetry.js';
import { isTenant } from '../tenant.js';
import { admit, checkAdmission, compileAccess, costOf } from './admission.js';
import { cachedVerification } from './cached-verification.js';
import type { VerificationContext } from './context.js';
import type { CachedVerdict } from './verdict.js';

/**
 * Errors `verifyApiKey` can return.
 *
 * @example
 * ```ts
 * const onError = (error: VerifyApiKeyError) => log.info({ type: error.type });
 * ```
 */
export type VerifyApiKeyError = ErrorOf<
  | 'InvalidKey'
  | 'KeyExpired'
  | 'AccountInactive'
  | 'IpNotAllowed'
  | 'RateLimited'
  | 'QuotaExceeded'
  | 'InvalidInput'
  | 'StoreUnavailable'
  | 'PortFailed'
  | 'InternalError'
>;

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
  /**
   * The tenant the request is for (a venue's path, say). A key of another
   * tenant is then refused exactly as an unknown one; absent, a key of any
   * tenant is accepted and `Principal.tenant` says which.
   */
  readonly tenant?: string | undefined;
  /**
   * What the call costs of the account's quota, if it has one: a whole
   * number, default 1; 0 uses none. Anything else is `InvalidInput`.
   */
  readonly cost?: number | undefined;
}

/**
 * Verifies a bearer key: recognises its format (a prefixed key with a bad
 * checksum is refused without a lookup), answers from the verification cache
 * when it can, otherwise looks the key up by its SHA-256 digest (an index
 * lookup by a digest reveals nothing of the key); refuses an expired key, a previous key past its grace, a
 * switched-off account and an address outside its allowlist; then uses a unit
 * of its rate limit and `cost` of its quota, where it has them. Writes nothing.
 */
export function verifyApiKey(
  ctx: VerificationContext,
  key: unknown,
  options?: VerifyOptions,
  probe?: VerificationProbe,
): ResultAsync<Principal, VerifyApiKeyError> {
  const cost = costOf(options);
  if (cost.isErr()) return errAsync(cost.error);
  if (typeof key !== 'string') return errAsync(errors.invalidKey('malformed_key'));
  const parsed = parseApiKey(key);
  if (!parsed.ok) return errAsync(errors.invalidKey(parsed.reason));
  const digest = apiKeyDigest(key);
  // A failing clock bypasses the cache, and refuses only keys with a deadline to check.
  const clock = ctx.ports.now();
  const now = clock.isOk() ? clock.value.getTime() : Number.NaN;
  // A string that is no tenant id names a tenant with no accounts: looked up, and missed, like any other.
  const named = isRecord(options) ? options['tenant'] : undefined;
  const tenant = named === undefined ? undefined : isTenant(named) ? named : '';
  return cachedVerification(
    ctx,
    {
      // Named a tenant, the verdict is that tenant's: another tenant's key is unknown in it.
      key: tenant === undefined ? digest : `${tenant}\n${digest}`,
      now,
      load: () =>
        tenant === undefined
          ? ctx.ports.store.findKeyHolder(digest)
          : ctx.ports.store.findKeyHolder(digest, tenant),
      toVerdict: (holder: KeyHolder | null) => verdictOf(ctx, holder),
      decide: (verdict) =>
        clock.isErr() && verdict.kind === 'account' && verdict.terms.endsAt !== null
          ? err(clock.error)
          : answer(ctx, verdict, now, options, cost.value),
    },
    probe,
  );
}

/** The store looked the holder up by this key's digest: its answer is the verdict, compared no further. */
function verdictOf(ctx: VerificationContext, holder: KeyHolder | null): CachedVerdict {
  if (!holder) return { kind: 'unknown' };
  return {
    kind: 'account',
    accountId: holder.accountId,
    tenant: holder.tenant,
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
  ctx: VerificationContext,
  verdict: CachedVerdict,
  now: number,
  options: VerifyOptions | undefined,
  cost: number,
): Result<Principal, VerifyApiKeyError> | ResultAsync<Principal, VerifyApiKeyError> {
  if (verdict.kind !== 'account') return err(errors.invalidKey('unknown_key'));
  const standing = keyStanding(verdict.accountId, verdict.terms, now, ctx.config.lifecycle);
  if (standing.isErr()) {
    ctx.usage?.count(verdict.accountId, now, false);
    return err(standing.error);
  }
  const admitted = checkAdmission(ctx, verdict, now, options?.clientIp);
  if (admitted.isErr()) return err(admitted.error);
  return admit(ctx, verdict, 'bearer', standing.value, now, cost);
}
