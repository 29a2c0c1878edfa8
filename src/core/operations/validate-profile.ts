import {
  type EmailTaken,
  errors,
  type InvalidEmail,
  type InvalidPhone,
  type InvalidUsername,
  type StoreUnavailable,
} from '../errors.js';
import { errAsync, okAsync, type Result, type ResultAsync } from '../result.js';
import { validateEmail } from '../validation/email.js';
import { validateMobilePhone } from '../validation/phone.js';
import { validateUsername } from '../validation/username.js';
import type { OperationContext } from './context.js';

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

/** Errors of validating a whole profile. */
export type ProfileError = InvalidUsername | InvalidEmail | InvalidPhone;

/**
 * Validates username, email and phone together (R2); the first error in that
 * order is returned.
 *
 * @example
 * ```ts
 * validateProfile(ctx, { username: 'ACME', email: 'dev@acme.example', phone: '+447894123456' });
 * ```
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
 * Refuses an email that belongs to one of the host's user accounts (R2). API
 * accounts are checked by the store's unique constraint, atomically, on write.
 *
 * @example
 * ```ts
 * ensureEmailFreeInDirectory(ctx, 'dev@acme.example');
 * ```
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

/**
 * Whether `value` is a non-null object whose fields can be read.
 *
 * @example
 * ```ts
 * isRecord(null); // false
 * ```
 */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
