import {
  type EmailTaken,
  errors,
  type InvalidEmail,
  type InvalidPhone,
  type InvalidUsername,
  type StoreUnavailable,
} from '../errors.js';
import { isRecord } from '../is-record.js';
import { errAsync, okAsync, type Result, type ResultAsync } from '../result.js';
import { validateEmail } from '../validation/email.js';
import { validateMobilePhone } from '../validation/phone.js';
import { validateUsername } from '../validation/username.js';
import type { OperationContext } from './operation-context.js';

/**
 * What an administrator types for an account: username, email and mobile phone.
 *
 * @example
 * ```ts
 * const input: AccountInput = { username: 'ACME Tickets', email: 'dev@acme.example', phone: '+447894123456' };
 * ```
 */
export interface AccountInput {
  readonly username: string;
  readonly email: string;
  readonly phone: string;
}

/** An account's profile after validation, in stored form. */
export interface ValidProfile {
  readonly username: string;
  readonly usernameKey: string;
  readonly email: string;
  readonly phone: string;
}

/**
 * Errors of validating a whole profile.
 *
 * @example
 * ```ts
 * const onError = (error: ProfileError) => showFieldError(error.type, error.message);
 * ```
 */
export type ProfileError = InvalidUsername | InvalidEmail | InvalidPhone;

/**
 * Validates username, email and phone together; the first error in that
 * order is returned.
 */
export function validateProfile(
  ctx: OperationContext,
  input: unknown,
): Result<ValidProfile, ProfileError> {
  const fields = isRecord(input) ? input : {};
  return validateUsername(fields['username']).andThen((name) =>
    validateEmail(fields['email']).andThen((email) =>
      validateMobilePhone(fields['phone'], ctx.config.phone).map((phone) => ({
        ...name,
        email,
        phone,
      })),
    ),
  );
}

/**
 * Refuses an email that belongs to one of the host's user accounts. API
 * accounts are checked by the store's unique constraint, atomically, on write.
 */
export function ensureEmailFreeInDirectory(
  ctx: OperationContext,
  email: string,
): ResultAsync<void, EmailTaken | StoreUnavailable> {
  return ctx.ports
    .isEmailTakenByUser(email)
    .andThen((taken) =>
      taken ? errAsync(errors.emailTaken(email, 'user-account')) : okAsync(undefined),
    );
}
