import type { AccountChange, AccountRecord } from '../../ports/account-store.js';
import { type ApiAccount, toApiAccount } from '../account.js';
import {
  type AccountNotFound,
  type Conflict,
  type EmailTaken,
  errors,
  type InternalError,
  type InvalidInput,
  type PortFailed,
  type StoreUnavailable,
  type UsernameTaken,
  unknownOutcome,
} from '../errors.js';
import { isRecord } from '../is-record.js';
import { err, errAsync, ok, type Result, type ResultAsync, safeTry } from '../result.js';
import {
  describeAccountId,
  isWellFormedAccountId,
  type OperationContext,
} from './operation-context.js';

/**
 * The administrator's view of an account just read or changed, at the
 * clock's time now.
 */
export function accountView(
  ctx: OperationContext,
): (record: AccountRecord) => Result<ApiAccount, PortFailed> {
  return (record) => ctx.ports.now().map((now) => toApiAccount(record, now, ctx.config.access));
}

/**
 * The version a caller last saw, for a change that must apply to exactly
 * that version (the admin API's `If-Match`).
 *
 * @example
 * ```ts
 * await manager.resetApiKey(admin, id, { confirm: true, expectedVersion: account.version });
 * ```
 */
export interface ExpectedVersion {
  /**
   * When given, the call answers `Conflict` and changes nothing if the
   * account is at another version: checked in the same store write that
   * applies the change, so of concurrent calls naming one version, at most
   * one succeeds.
   */
  readonly expectedVersion?: number;
}

/** The `expectedVersion` of a call's options: absent, or a whole number of at least 1. */
export function expectedVersionOf(options: unknown): Result<number | undefined, InvalidInput> {
  const value = isRecord(options) ? options['expectedVersion'] : undefined;
  if (value === undefined) return ok(undefined);
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 1
    ? ok(value)
    : err(
        errors.invalidInput(
          'expectedVersion',
          'expectedVersion must be a whole number of at least 1.',
        ),
      );
}

/** Reads of one account change that may race with another writer before giving up with `Conflict`. */
const MAX_CHANGE_ATTEMPTS = 3;

/**
 * Errors any read-decide-write of one account can end in.
 *
 * @example
 * ```ts
 * const onError = (error: ChangeError) => (error.type === 'Conflict' ? reload() : show(error.message));
 * ```
 */
export type ChangeError =
  | AccountNotFound
  | Conflict
  | EmailTaken
  | UsernameTaken
  | StoreUnavailable
  | PortFailed
  | InternalError;

/**
 * What a decision function returns: a change to apply, or `unchanged` when the
 * account already is as asked (no write, no event).
 */
export type ChangeDecision =
  | { readonly kind: 'apply'; readonly change: AccountChange }
  | { readonly kind: 'unchanged' };

/**
 * Reads an account, lets `decide` compute the change from it, and applies the
 * change only if nobody changed the account meanwhile. When someone did, it
 * reads again and decides again (the intent, such as "deactivate", still holds
 * against the newer state), up to three times; with `expectedVersion` it never
 * retries, because the caller's decision was based on that exact version.
 */
export function changeAccount<E>(
  ctx: OperationContext,
  accountId: unknown,
  decide: (record: AccountRecord, now: Date) => ResultAsync<ChangeDecision, E>,
  options: {
    readonly expectedVersion?: number | undefined;
    /** The account as the authorization just read it: the first attempt decides on it, unread again. */
    readonly read?: AccountRecord;
  } = {},
): ResultAsync<AccountRecord, E | ChangeError> {
  if (!isWellFormedAccountId(accountId)) {
    return errAsync(errors.accountNotFound(describeAccountId(accountId)));
  }
  const { expectedVersion } = options;
  let read = options.read;
  const attempt = (remaining: number): ResultAsync<AccountRecord, E | ChangeError> =>
    safeTry(async function* () {
      const record = read ?? (yield* ctx.ports.store.findAccountById(accountId));
      read = undefined;
      if (!record) return err(errors.accountNotFound(accountId));
      if (expectedVersion !== undefined && record.version !== expectedVersion) {
        return err(errors.conflict(accountId));
      }
      const now = yield* ctx.ports.now();
      const decision = yield* decide(record, now);
      if (decision.kind === 'unchanged') return ok(record);
      const { change } = decision;
      const stored = yield* ctx.ports.store.applyAccountChange(change).mapErr((error) => {
        // The store may have applied the change before failing: forget any cached verdict.
        ctx.invalidate(accountId);
        return error;
      });
      switch (stored.outcome) {
        case 'applied':
          ctx.publish(change.events);
          return ok(stored.account);
        case 'not_found':
          return err(errors.accountNotFound(accountId));
        case 'username_taken':
          return err(errors.usernameTaken(change.profile?.username ?? ''));
        case 'email_taken':
          return err(errors.emailTaken(change.profile?.email ?? '', 'api-account'));
        case 'version_conflict':
          if (remaining > 1 && expectedVersion === undefined) return await attempt(remaining - 1);
          return err(errors.conflict(accountId));
        default:
          // Nothing is known of what the store did: as for a failed call, forget any cached verdict.
          ctx.invalidate(accountId);
          return err(unknownOutcome(stored));
      }
    });
  return attempt(MAX_CHANGE_ATTEMPTS);
}
