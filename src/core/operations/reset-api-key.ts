import type {
  AccountChange,
  AccountEvent,
  AccountRecord,
  StoredClaim,
} from '../../ports/account-store.js';
import { storedClaimFor } from '../claim/claim-secrets.js';
import {
  type ConfirmationRequired,
  errors,
  type Forbidden,
  type InvalidInput,
  type KeyAlreadyIssued,
  type PortFailed,
} from '../errors.js';
import type { ClaimReason } from '../messages/claim-messages.js';
import { errAsync, ok, okAsync, type Result, type ResultAsync, safeTry } from '../result.js';
import {
  type ChangeDecision,
  type ChangeError,
  changeAccount,
  expectedVersionOf,
} from './change-account.js';
import { type ClaimIssued, deliverClaim, messageLocale } from './deliver-claim.js';
import { authorizeOnAccount, type OperationContext } from './operation-context.js';
import { requireConfirmation } from './require-confirmation.js';

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
  return openClaim(
    ctx,
    'resetApiKey',
    actor,
    accountId,
    options,
    () => requireConfirmation(options, 'resetApiKey'),
    (current, opening) => okAsync({ reason: 'reset', change: resetChange(current, opening) }),
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
    'resendClaim',
    actor,
    accountId,
    options,
    () => ok(undefined),
    (current, opening) =>
      current.key === null
        ? okAsync({ reason: 'resent', change: resetChange(current, opening, 'claim.resent') })
        : errAsync(errors.keyAlreadyIssued(current.id)),
  );
}

/**
 * Opens a fresh claim on an account: `precondition` is checked once, after
 * the authorization has read the account and before anything is written,
 * and what it answers is handed to `decide`, which runs against that read
 * of the account (and a new one if a concurrent change wins the race),
 * given the new claim to open.
 */
export function openClaim<P, E, F>(
  ctx: OperationContext,
  action: 'resetApiKey' | 'resendClaim' | 'rotateApiKey',
  actor: unknown,
  accountId: unknown,
  options: unknown,
  precondition: () => Result<P, E>,
  decide: (
    current: AccountRecord,
    opening: { readonly claim: StoredClaim; readonly actorId: string; readonly now: Date },
    checked: P,
  ) => ResultAsync<{ readonly reason: ClaimReason; readonly change: AccountChange }, F>,
): ResultAsync<ClaimIssued, Forbidden | PortFailed | InvalidInput | E | F | ChangeError> {
  return safeTry(async function* () {
    const { admin, record: read } = yield* authorizeOnAccount(ctx, actor, action, accountId);
    const checked = yield* precondition();
    const expectedVersion = yield* expectedVersionOf(options);
    const locale = yield* messageLocale(ctx, options);
    const secrets = yield* ctx.ports.claimSecrets();
    let reason: ClaimReason = 'resent';
    const record = yield* changeAccount(
      ctx,
      accountId,
      (current, now) => {
        const claim = storedClaimFor(secrets, now, {
          ttlMs: ctx.config.claimTtlMs,
          maxAttempts: ctx.config.claimMaxAttempts,
        });
        return decide(current, { claim, actorId: admin.id, now }, checked).map(
          (decided): ChangeDecision => {
            reason = decided.reason;
            return { kind: 'apply', change: decided.change };
          },
        );
      },
      { expectedVersion, read },
    );
    return ok(yield* deliverClaim(ctx, record, secrets, reason, locale));
  });
}

/**
 * The change a reset makes: the key (and any previous key: a reset during a
 * rotation kills both) stops at once, and the new claim replaces any other.
 */
export function resetChange(
  record: AccountRecord,
  opening: { readonly claim: StoredClaim; readonly actorId: string | null; readonly now: Date },
  eventType: 'key.reset' | 'claim.resent' = 'key.reset',
): AccountChange {
  const { claim, actorId, now } = opening;
  const event: AccountEvent = {
    type: eventType,
    accountId: record.id,
    tenant: record.tenant,
    actorId,
    at: now,
  };
  return {
    accountId: record.id,
    expectedVersion: record.version,
    at: now,
    ...(record.key !== null ? { revokeKey: true } : {}),
    ...(record.previousKey !== null && eventType === 'key.reset' ? { previousKey: null } : {}),
    claim: { kind: 'open', claim },
    events: [event],
  };
}
