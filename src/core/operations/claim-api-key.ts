import type {
  AccountEvent,
  AccountRecord,
  StoredClaim,
  StoredKey,
} from '../../ports/account-store.js';
import { claimState, decideClaimAttempt } from '../claim/claim-decision.js';
import { isWellFormedClaimToken, normaliseClaimCode } from '../claim/claim-secrets.js';
import { maskPhone } from '../claim/mask-phone.js';
import { constantTimeEqual } from '../crypto/constant-time-equal.js';
import {
  type AccountInactive,
  type ClaimExpired,
  type ClaimLocked,
  type ClaimNotFound,
  type CodeIncorrect,
  errors,
  type InternalError,
  type PortFailed,
  type StoreUnavailable,
  unknownOutcome,
} from '../errors.js';
import { isRecord } from '../is-record.js';
import { API_KEY_BYTES, formatApiKey } from '../keys/api-key-format.js';
import { apiKeyDigest, claimCodeDigest, claimTokenDigest } from '../keys/secret-digests.js';
import { hideFromSerialisation } from '../redact-secrets.js';
import { err, ok, type ResultAsync, safeTry } from '../result.js';
import type { OperationContext } from './operation-context.js';

/**
 * What the claim page may show before the code is entered: never the username.
 *
 * @example
 * ```ts
 * const { maskedPhone, expiresAt, attemptsRemaining } = (await manager.inspectClaim(token))._unsafeUnwrap();
 * ```
 */
export interface ClaimPreview {
  /** E.g. `+44 ••••••• 456`. */
  readonly maskedPhone: string;
  readonly expiresAt: Date;
  readonly attemptsRemaining: number;
}

/**
 * The key, handed over exactly once. Its JSON holds the key (it is the value
 * a host sends to the partner's screen: `c.json(claimed)` must not lose it);
 * Node's `inspect` (console.log, util.format) redacts `apiKey`. Never log it.
 *
 * @example
 * ```ts
 * const { username, apiKey } = (await manager.claimApiKey({ token, code }))._unsafeUnwrap();
 * ```
 */
export interface ClaimedKey {
  readonly username: string;
  readonly apiKey: string;
}

/**
 * Errors `inspectClaim` can return.
 *
 * @example
 * ```ts
 * const onError = (error: InspectClaimError) => show(error.message);
 * ```
 */
export type InspectClaimError =
  | ClaimNotFound
  | ClaimExpired
  | ClaimLocked
  | AccountInactive
  | StoreUnavailable
  | PortFailed
  | InternalError;

/**
 * Errors `claimApiKey` can return.
 *
 * @example
 * ```ts
 * const onError = (error: ClaimApiKeyError) => show(error.message);
 * ```
 */
export type ClaimApiKeyError = InspectClaimError | CodeIncorrect;

/**
 * What the page behind the email link shows first.
 */
export function inspectClaim(
  ctx: OperationContext,
  token: unknown,
): ResultAsync<ClaimPreview, InspectClaimError> {
  return safeTry(async function* () {
    const { record, claim } = yield* findOpenClaim(ctx, token);
    const now = yield* ctx.ports.now();
    const state = claimState(claim, record.active, now);
    switch (state.kind) {
      case 'expired':
        return err(errors.claimExpired());
      case 'locked':
        return err(errors.claimLocked());
      case 'inactive':
        return err(errors.accountInactive(record.id));
      case 'open':
        return ok({
          maskedPhone: maskPhone(record.phone),
          expiresAt: new Date(claim.expiresAt),
          attemptsRemaining: state.attemptsRemaining,
        });
    }
  });
}

/**
 * Checks the SMS code against the claim behind the link's token. A right
 * code on a live claim of an active account issues the key, returned once; a
 * wrong one uses an attempt. The store decides races: exactly one caller
 * consumes the claim, and the attempt counter never overshoots.
 */
export function claimApiKey(
  ctx: OperationContext,
  input: unknown,
): ResultAsync<ClaimedKey, ClaimApiKeyError> {
  const fields = isRecord(input) ? input : {};
  return safeTry(async function* () {
    const { record, claim, token, tokenHash } = yield* findOpenClaim(ctx, fields['token']);
    const now = yield* ctx.ports.now();
    const presented = claimCodeDigest(token, normaliseClaimCode(fields['code']));
    const decision = decideClaimAttempt({
      claim,
      accountActive: record.active,
      now,
      codeMatches: constantTimeEqual(presented, claim.codeHash),
    });
    const event = (type: AccountEvent['type']): AccountEvent => ({
      type,
      accountId: record.id,
      tenant: record.tenant,
      actorId: null,
      at: now,
    });
    switch (decision.kind) {
      case 'expired':
        return err(errors.claimExpired());
      case 'locked':
        return err(errors.claimLocked());
      case 'inactive':
        return err(errors.accountInactive(record.id));
      case 'wrong_code': {
        const rejected = event('claim.code_rejected');
        const counted = yield* ctx.ports.store.recordFailedClaimAttempt(
          record.id,
          tokenHash,
          rejected,
        );
        if (counted.outcome === 'gone') return err(errors.claimNotFound());
        if (counted.outcome === 'locked') return err(errors.claimLocked());
        if (counted.outcome !== 'counted') return err(unknownOutcome(counted));
        ctx.publish([rejected]);
        return err(errors.codeIncorrect(Math.max(0, counted.maxAttempts - counted.attempts)));
      }
      case 'issue_key': {
        const material = yield* ctx.ports.randomBytes(API_KEY_BYTES);
        const apiKey = formatApiKey(material, ctx.config.keyFormat);
        // Signed requests key the HMAC with base64decode(key): the material itself, for base64 keys.
        // Prefixed keys are for bearer-only deployments, so their secret is not sealed.
        const sealer = ctx.config.keyFormat === 'base64' ? ctx.ports.sealer : null;
        const sealedSecret = sealer ? yield* sealer.seal(material, record.id) : null;
        const lifetime = ctx.config.lifecycle.keyLifetime;
        const key: StoredKey = {
          hash: apiKeyDigest(apiKey),
          issuedAt: now,
          sealedSecret,
          expiresAt: lifetime ? new Date(now.getTime() + lifetime.ms) : null,
          remindersSent: 0,
          expiryRecorded: false,
        };
        const claimed = event('key.claimed');
        const done = yield* ctx.ports.store.completeClaim(record.id, tokenHash, key, now, claimed);
        switch (done.outcome) {
          case 'completed':
            ctx.publish([claimed]);
            return ok(
              hideFromSerialisation<ClaimedKey>(
                { username: done.account.username, apiKey },
                { json: 'keep' },
              ),
            );
          case 'gone':
            return err(errors.claimNotFound());
          case 'locked':
            return err(errors.claimLocked());
          case 'expired':
            return err(errors.claimExpired());
          case 'inactive':
            return err(errors.accountInactive(record.id));
          default:
            ctx.invalidate(record.id);
            return err(unknownOutcome(done));
        }
      }
    }
  });
}

function findOpenClaim(
  ctx: OperationContext,
  token: unknown,
): ResultAsync<
  { record: AccountRecord; claim: StoredClaim; token: string; tokenHash: string },
  ClaimNotFound | StoreUnavailable
> {
  return safeTry(async function* () {
    if (!isWellFormedClaimToken(token)) return err(errors.claimNotFound());
    const tokenHash = claimTokenDigest(token);
    const record = yield* ctx.ports.store.findAccountByClaimToken(tokenHash);
    // The store looked up by digest; checking it again in constant time costs nothing and guards a loose adapter.
    if (!record?.claim || !constantTimeEqual(record.claim.tokenHash, tokenHash)) {
      return err(errors.claimNotFound());
    }
    return ok({ record, claim: record.claim, token, tokenHash });
  });
}
