import type { KeyHolder } from '../../ports/account-store.js';
import { constantTimeEqual } from '../crypto/constant-time-equal.js';
import {
  type AccountInactive,
  errors,
  type InternalError,
  type InvalidKey,
  type StoreUnavailable,
} from '../errors.js';
import { defectSafe } from '../guarded.js';
import { parseApiKey } from '../keys/api-key-format.js';
import { apiKeyDigest } from '../keys/secret-digests.js';
import type { Principal } from '../principal.js';
import { err, errAsync, ok, type Result, ResultAsync } from '../result.js';
import type { CachedVerdict } from '../verify-cache.js';
import type { OperationContext } from './context.js';

/** Errors `verifyApiKey` can return. */
export type VerifyApiKeyError = InvalidKey | AccountInactive | StoreUnavailable | InternalError;

/**
 * Verifies a bearer key: recognises its format (a prefixed key with a bad
 * checksum is refused without a lookup), answers from the verification cache
 * when it can, otherwise looks the key up by SHA-256 and compares the digests
 * in constant time, and refuses a switched-off account. Writes nothing.
 *
 * @example
 * ```ts
 * verifyApiKey(ctx, request.headers.get('x-api-key'));
 * ```
 */
export function verifyApiKey(
  ctx: OperationContext,
  key: unknown,
): ResultAsync<Principal, VerifyApiKeyError> {
  if (typeof key !== 'string') return errAsync(errors.invalidKey('malformed_key'));
  const parsed = parseApiKey(key);
  if (!parsed.ok) return errAsync(errors.invalidKey(parsed.reason));
  const digest = apiKeyDigest(key);
  const { cache } = ctx;
  if (!cache?.enabled) {
    return ctx.ports.store
      .findKeyHolder(digest)
      .andThen(defectSafe((record) => answer(verdictOf(record, digest))));
  }
  const at = ctx.ports.nowMs();
  const cached = Number.isNaN(at) ? undefined : cache.lookup(digest, at);
  if (cached) return new ResultAsync(Promise.resolve(answer(cached)));
  const generation = cache.generation;
  return ctx.ports.store.findKeyHolder(digest).andThen(
    defectSafe((record) => {
      const verdict = verdictOf(record, digest);
      if (!Number.isNaN(at)) cache.remember(digest, verdict, at, generation);
      return answer(verdict);
    }),
  );
}

function verdictOf(holder: KeyHolder | null, digest: string): CachedVerdict {
  if (!holder || !constantTimeEqual(holder.keyHash, digest)) return { kind: 'unknown' };
  return {
    kind: 'account',
    accountId: holder.accountId,
    username: holder.username,
    active: holder.active,
  };
}

/** The answer for a verdict; synchronous, so that the hot path adds no promise of its own. */
function answer(verdict: CachedVerdict): Result<Principal, VerifyApiKeyError> {
  if (verdict.kind !== 'account') return err(errors.invalidKey('unknown_key'));
  if (!verdict.active) return err(errors.accountInactive(verdict.accountId));
  return ok({
    accountId: verdict.accountId,
    username: verdict.username,
    mode: 'system-owner',
    scheme: 'bearer',
  });
}
