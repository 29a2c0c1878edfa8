import { constantTimeEqual } from '../crypto/constant-time-equal.js';
import { type AccountInactive, errors, type InvalidKey, type StoreUnavailable } from '../errors.js';
import { parseApiKey } from '../keys/api-key-format.js';
import { apiKeyDigest } from '../keys/secret-digests.js';
import type { Principal } from '../principal.js';
import { errAsync, okAsync, type ResultAsync } from '../result.js';
import type { OperationContext } from './context.js';

/** Errors `verifyApiKey` can return. */
export type VerifyApiKeyError = InvalidKey | AccountInactive | StoreUnavailable;

/**
 * Verifies a bearer key: recognises its format (a prefixed key with a bad
 * checksum is refused without a lookup), looks it up by SHA-256, compares the
 * digests in constant time, and refuses a switched-off account. Writes nothing.
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
  return ctx.ports.store.findAccountByKeyHash(digest).andThen((record) => {
    if (!record?.key || !constantTimeEqual(record.key.hash, digest)) {
      return errAsync(errors.invalidKey('unknown_key'));
    }
    if (!record.active) return errAsync(errors.accountInactive(record.id));
    return okAsync<Principal>({
      accountId: record.id,
      username: record.username,
      mode: 'system-owner',
      scheme: 'bearer',
    });
  });
}
