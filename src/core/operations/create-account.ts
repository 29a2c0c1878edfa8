import type { AccountEvent, AccountRecord } from '../../ports/account-store.js';
import { setsAccess } from '../access/access-policy.js';
import { storedClaimFor } from '../claim/claim-secrets.js';
import {
  type EmailTaken,
  errors,
  type Forbidden,
  type InternalError,
  type InvalidInput,
  type PortFailed,
  type StoreUnavailable,
  type UsernameTaken,
  unknownOutcome,
} from '../errors.js';
import { err, ok, type ResultAsync, safeTry } from '../result.js';
import { type ClaimIssued, deliverClaim, messageLocale } from './deliver-claim.js';
import { newAccountId, type OperationContext } from './operation-context.js';
import {
  ensureEmailFreeInDirectory,
  type ProfileError,
  validateNewAccount,
} from './validate-profile.js';

/**
 * Errors `createAccount` can return.
 *
 * @example
 * ```ts
 * const onError = (error: CreateAccountError) => show(error.message);
 * ```
 */
export type CreateAccountError =
  | Forbidden
  | InvalidInput
  | ProfileError
  | EmailTaken
  | UsernameTaken
  | StoreUnavailable
  | PortFailed
  | InternalError;

/**
 * Validates, stores the account active with no key and an open claim,
 * then sends the SMS code and the email link. The account is stored before
 * anything is sent, so a failing provider loses nothing.
 */
export function createAccount(
  ctx: OperationContext,
  actor: unknown,
  input: unknown,
  options?: unknown,
): ResultAsync<ClaimIssued, CreateAccountError> {
  return safeTry(async function* () {
    const vetted = yield* ctx.authorize.actor(actor, 'createAccount');
    const locale = yield* messageLocale(ctx, options);
    const { access, tenant, ...profile } = yield* validateNewAccount(ctx, input);
    const admin = yield* ctx.authorize.action(vetted, 'createAccount', tenant);
    // Setting access at creation grants it, as an update would.
    if (setsAccess(input)) {
      yield* ctx.authorize.action(admin, 'updateAccess', tenant);
    }
    yield* ensureEmailFreeInDirectory(ctx, profile.email, tenant);
    const id = yield* newAccountId(ctx);
    const secrets = yield* ctx.ports.claimSecrets();
    const now = yield* ctx.ports.now();
    const record: AccountRecord = {
      id,
      tenant,
      ...profile,
      active: true,
      version: 1,
      createdAt: now,
      updatedAt: now,
      key: null,
      previousKey: null,
      lastUsedAt: null,
      access,
      claim: storedClaimFor(secrets, now, {
        ttlMs: ctx.config.claimTtlMs,
        maxAttempts: ctx.config.claimMaxAttempts,
      }),
    };
    const events: AccountEvent[] = [
      { type: 'account.created', accountId: id, tenant, actorId: admin.id, at: now },
    ];
    const stored = yield* ctx.ports.store.insertAccount(record, events);
    if (stored.outcome === 'username_taken') return err(errors.usernameTaken(profile.username));
    if (stored.outcome === 'email_taken')
      return err(errors.emailTaken(profile.email, 'api-account'));
    // Secrets go out only for an insert the store confirmed.
    if (stored.outcome !== 'inserted') {
      ctx.invalidate(id);
      return err(unknownOutcome(stored));
    }
    ctx.publish(events);
    return ok(yield* deliverClaim(ctx, record, secrets, 'created', locale));
  });
}
