import type { AccountEvent, AccountRecord } from '../../ports/account-store.js';
import { requireAdministrator } from '../actor.js';
import { type ClaimSecrets, storedClaimFor } from '../claim/claim-secrets.js';
import {
  type ConfirmationRequired,
  errors,
  type Forbidden,
  type InvalidInput,
  type KeyAlreadyIssued,
} from '../errors.js';
import { isRecord } from '../is-record.js';
import { err, errAsync, ok, okAsync, type Result, type ResultAsync, safeTry } from '../result.js';
import { type ChangeDecision, type ChangeError, changeAccount } from './change-account.js';
import { type ClaimIssued, deliverClaim, messageLocale } from './deliver-claim.js';
import type { OperationContext } from './operation-context.js';

/**
 * Errors `resetApiKey` can return.
 *
 * @example
 * ```ts
 * const onError = (error: ResetApiKeyError) => show(error.message);
 * ```
 */
export type ResetApiKeyError = Forbidden | ConfirmationRequired | InvalidInput | ChangeError;

/**
 * Errors `resendClaim` can return.
 *
 * @example
 * ```ts
 * const onError = (error: ResendClaimError) => show(error.message);
 * ```
 */
export type ResendClaimError = Forbidden | KeyAlreadyIssued | InvalidInput | ChangeError;

/**
 * After explicit confirmation, revokes the key (it stops verifying as soon
 * as the change is stored) and opens a new claim, sent as on create. Allowed on
 * an inactive account: deactivate, then reset, is how a leak is handled.
 */
export function resetApiKey(
  ctx: OperationContext,
  actor: unknown,
  accountId: unknown,
  options: unknown,
): ResultAsync<ClaimIssued, ResetApiKeyError> {
  const confirmed =
    isRecord(options) && options['confirm'] === true
      ? ok(undefined)
      : err(errors.confirmationRequired());
  return openClaim(
    ctx,
    actor,
    accountId,
    'reset',
    options,
    () => confirmed,
    () => okAsync(undefined),
  );
}

/**
 * Replaces a pending (or cancelled) claim with a fresh one and sends it; earlier
 * links stop working. An account whose key was already claimed has nothing to
 * resend: `KeyAlreadyIssued` points to `resetApiKey`.
 */
export function resendClaim(
  ctx: OperationContext,
  actor: unknown,
  accountId: unknown,
  options?: unknown,
): ResultAsync<ClaimIssued, ResendClaimError> {
  return openClaim(
    ctx,
    actor,
    accountId,
    'resent',
    options,
    () => ok(undefined),
    (current) =>
      current.key === null ? okAsync(undefined) : errAsync(errors.keyAlreadyIssued(current.id)),
  );
}

/**
 * Opens a fresh claim on an account: `precondition` is checked once, before
 * anything is read; `allowed` against each read of the account (it is read again
 * if a concurrent change wins the race).
 */
function openClaim<E, F>(
  ctx: OperationContext,
  actor: unknown,
  accountId: unknown,
  reason: 'reset' | 'resent',
  options: unknown,
  precondition: () => Result<void, E>,
  allowed: (current: AccountRecord) => ResultAsync<void, F>,
): ResultAsync<ClaimIssued, Forbidden | InvalidInput | E | F | ChangeError> {
  return safeTry(async function* () {
    const admin = yield* requireAdministrator(actor);
    yield* precondition();
    const locale = yield* messageLocale(ctx, options);
    const secrets = yield* ctx.ports.claimSecrets();
    const record = yield* changeAccount(ctx, accountId, (current, now) =>
      allowed(current).map(() => decideOpenClaim(ctx, current, secrets, reason, admin.id, now)),
    );
    return ok(yield* deliverClaim(ctx, record, secrets, reason, locale));
  });
}

function decideOpenClaim(
  ctx: OperationContext,
  record: AccountRecord,
  secrets: ClaimSecrets,
  reason: 'reset' | 'resent',
  actorId: string,
  now: Date,
): ChangeDecision {
  const event: AccountEvent = {
    type: reason === 'reset' ? 'key.reset' : 'claim.resent',
    accountId: record.id,
    actorId,
    at: now,
  };
  const claim = storedClaimFor(secrets, now, {
    ttlMs: ctx.config.claimTtlMs,
    maxAttempts: ctx.config.claimMaxAttempts,
  });
  return {
    kind: 'apply',
    change: {
      accountId: record.id,
      expectedVersion: record.version,
      at: now,
      ...(record.key !== null ? { revokeKey: true } : {}),
      claim: { kind: 'open', claim },
      events: [event],
    },
  };
}
