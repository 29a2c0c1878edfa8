import type { AccountChange, AccountEvent, AccountRecord } from '../../ports/account-store.js';
import type { ApiAccount } from '../account.js';
import type { Actor } from '../actor.js';
import { errors, type Forbidden, type InvalidInput } from '../errors.js';
import { isRecord } from '../is-record.js';
import { err, ok, okAsync, Result, type ResultAsync } from '../result.js';
import { validateEmail } from '../validation/email.js';
import { validateMobilePhone } from '../validation/phone.js';
import { validateUsername } from '../validation/username.js';
import {
  accountView,
  type ChangeDecision,
  type ChangeError,
  changeAccount,
} from './change-account.js';
import type { OperationContext } from './operation-context.js';
import {
  ensureEmailFreeInDirectory,
  oneOrAllInvalid,
  type ProfileError,
} from './validate-profile.js';

/**
 * What `updateAccount` may change. Absent fields stay as they are.
 *
 * @example
 * ```ts
 * const patch: AccountPatch = { phone: '+447911123456', expectedVersion: account.version };
 * ```
 */
export interface AccountPatch {
  readonly username?: string;
  readonly email?: string;
  readonly phone?: string;
  /** The "This API is active" box. */
  readonly active?: boolean;
  /**
   * The version the administrator's form was loaded at. When given, the edit
   * fails with `Conflict` if the account changed since; when left out, the edit
   * applies to the latest version.
   */
  readonly expectedVersion?: number;
}

/**
 * Errors `updateAccount`, `deactivateAccount` and `reactivateAccount` can return.
 *
 * @example
 * ```ts
 * const onError = (error: UpdateAccountError) => show(error.message);
 * ```
 */
export type UpdateAccountError = Forbidden | ProfileError | InvalidInput | ChangeError;

interface ValidPatch {
  readonly username?: { readonly username: string; readonly usernameKey: string };
  readonly email?: string;
  readonly phone?: string;
  readonly active?: boolean;
  readonly expectedVersion?: number;
}

/**
 * Edits username, email, phone and the active flag under the rules of
 * creation. A new email or phone cancels a pending claim (it went to the old
 * address or number); the key, if issued, is kept.
 */
export function updateAccount(
  ctx: OperationContext,
  actor: unknown,
  accountId: unknown,
  patch: unknown,
): ResultAsync<ApiAccount, UpdateAccountError> {
  return ctx
    .authorize(actor, 'updateAccount', accountId)
    .andThen((admin) => validatePatch(ctx, patch).map((valid) => ({ admin, valid })))
    .andThen(({ admin, valid }) =>
      changeAccount(
        ctx,
        accountId,
        (record, now) => {
          const decision = decideUpdate(record, valid, admin, now);
          const newEmail = decision.kind === 'apply' ? decision.change.profile?.email : undefined;
          if (newEmail === undefined || newEmail === record.email) return okAsync(decision);
          return ensureEmailFreeInDirectory(ctx, newEmail).map(() => decision);
        },
        valid.expectedVersion === undefined ? {} : { expectedVersion: valid.expectedVersion },
      ),
    )
    .andThen(accountView(ctx));
}

/**
 * Switches access off or on. Switching off stops the key at once without
 * deleting anything; switching on makes the same key work again. Asking for the
 * state the account is already in changes nothing.
 */
export function setAccountActive(
  ctx: OperationContext,
  actor: unknown,
  accountId: unknown,
  active: boolean,
): ResultAsync<ApiAccount, UpdateAccountError> {
  return ctx
    .authorize(actor, active ? 'reactivateAccount' : 'deactivateAccount', accountId)
    .andThen((admin) =>
      changeAccount(ctx, accountId, (record, now) =>
        okAsync(decideUpdate(record, { active }, admin, now)),
      ),
    )
    .andThen(accountView(ctx));
}

function decideUpdate(
  record: AccountRecord,
  patch: ValidPatch,
  admin: Actor,
  now: Date,
): ChangeDecision {
  const next = {
    username: patch.username?.username ?? record.username,
    usernameKey: patch.username?.usernameKey ?? record.usernameKey,
    email: patch.email ?? record.email,
    phone: patch.phone ?? record.phone,
  };
  const fields = (['username', 'email', 'phone'] as const).filter((f) => next[f] !== record[f]);
  const activeChanged = patch.active !== undefined && patch.active !== record.active;
  if (fields.length === 0 && !activeChanged) return { kind: 'unchanged' };

  const event = (type: AccountEvent['type']): AccountEvent => ({
    type,
    accountId: record.id,
    actorId: admin.id,
    at: now,
  });
  const events: AccountEvent[] = [];
  if (fields.length > 0) events.push({ ...event('account.updated'), fields });
  const contactChanged = fields.includes('email') || fields.includes('phone');
  const cancelClaim = contactChanged && record.claim !== null;
  if (cancelClaim) events.push(event('claim.cancelled'));
  if (activeChanged)
    events.push(event(patch.active ? 'account.reactivated' : 'account.deactivated'));

  const change: AccountChange = {
    accountId: record.id,
    expectedVersion: record.version,
    at: now,
    ...(fields.length > 0 ? { profile: next } : {}),
    ...(activeChanged && patch.active !== undefined ? { active: patch.active } : {}),
    ...(cancelClaim ? { claim: { kind: 'cancel' } as const } : {}),
    events,
  };
  return { kind: 'apply', change };
}

function validatePatch(
  ctx: OperationContext,
  patch: unknown,
): Result<ValidPatch, ProfileError | InvalidInput> {
  if (!isRecord(patch)) {
    return err(
      errors.invalidInput('patch', 'The changes must be an object such as { active: false }.'),
    );
  }
  const { username, email, phone, active, expectedVersion } = patch;
  return Result.combineWithAllErrors([
    username === undefined ? ok(undefined) : validateUsername(username),
    email === undefined ? ok(undefined) : validateEmail(email),
    phone === undefined ? ok(undefined) : validateMobilePhone(phone, ctx.config.phone),
    active === undefined || typeof active === 'boolean'
      ? ok(active)
      : err(errors.invalidInput('active', 'active must be true or false.')),
    expectedVersion === undefined ||
    (typeof expectedVersion === 'number' &&
      Number.isSafeInteger(expectedVersion) &&
      expectedVersion >= 1)
      ? ok(expectedVersion)
      : err(
          errors.invalidInput(
            'expectedVersion',
            'expectedVersion must be a whole number of at least 1.',
          ),
        ),
  ])
    .mapErr((failed) => oneOrAllInvalid<ProfileError>(failed))
    .map(([validUsername, validEmail, validPhone, validActive, version]) => ({
      ...(validUsername === undefined ? {} : { username: validUsername }),
      ...(validEmail === undefined ? {} : { email: validEmail }),
      ...(validPhone === undefined ? {} : { phone: validPhone }),
      ...(validActive === undefined ? {} : { active: validActive }),
      ...(version === undefined ? {} : { expectedVersion: version }),
    }));
}
