import type { AccountAccess } from '../../ports/account-store.js';
import type { QuotaPolicy } from '../../ports/quota-counter.js';
import type { RateLimitPolicy } from '../../ports/rate-limiter.js';
import { accessFieldChecks, initialAccess } from '../access/access-policy.js';
import {
  type EmailTaken,
  errors,
  type InvalidEmail,
  type InvalidInput,
  type InvalidPhone,
  type InvalidUsername,
  invalidFields,
  type StoreUnavailable,
} from '../errors.js';
import { isRecord } from '../is-record.js';
import { errAsync, okAsync, Result, type ResultAsync } from '../result.js';
import { validateTenant } from '../tenant.js';
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
  /** The tenant (venue) it belongs to, for good. Default `'default'`. */
  readonly tenant?: string;
  readonly username: string;
  readonly email: string;
  readonly phone: string;
  /** Declared scopes it may use. Default the manager's `defaultScopes`. */
  readonly scopes?: readonly string[];
  /** IPv4/IPv6 addresses and CIDR ranges its requests may come from. Default anywhere. */
  readonly allowedIps?: readonly string[];
  /** Its own rate limit. Default (`null`) the manager's `rateLimit`. */
  readonly rateLimit?: RateLimitPolicy | null;
  /** Its own quota. Default (`null`) the manager's `quota`. */
  readonly quota?: QuotaPolicy | null;
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
export type ProfileError = InvalidUsername | InvalidEmail | InvalidPhone | InvalidInput;

/**
 * Validates a new account's username, email, phone and access together. One
 * invalid field answers its own error; several answer `InvalidInput` listing
 * every one, so a form can mark them all at once.
 */
export function validateNewAccount(
  ctx: OperationContext,
  input: unknown,
): Result<
  ValidProfile & { readonly access: AccountAccess; readonly tenant: string },
  ProfileError
> {
  const fields = isRecord(input) ? input : {};
  const [scopesChecked, allowedIpsChecked, rateLimitChecked, quotaChecked] = accessFieldChecks(
    fields,
    ctx.config.access,
  );
  return Result.combineWithAllErrors([
    validateUsername(fields['username']),
    validateEmail(fields['email']),
    validateMobilePhone(fields['phone'], ctx.config.phone),
    scopesChecked,
    allowedIpsChecked,
    rateLimitChecked,
    quotaChecked,
    validateTenant(fields['tenant']),
  ])
    .mapErr(oneOrAllInvalid)
    .map(([name, email, phone, scopes, allowedIps, rateLimit, quota, tenant]) => ({
      tenant,
      ...name,
      email,
      phone,
      access: initialAccess({ scopes, allowedIps, rateLimit, quota }, ctx.config.access),
    }));
}

/** An error of one field, as validation answers it. */
type FieldError = InvalidUsername | InvalidEmail | InvalidPhone | InvalidInput;

/**
 * What `Result.combineWithAllErrors` collected: the one error when there is
 * one, else `InvalidInput` listing them all.
 */
export function oneOrAllInvalid<E extends FieldError>(failed: readonly E[]): E | InvalidInput {
  const [first, ...rest] = failed;
  // combineWithAllErrors fails only with at least one error.
  if (!first) return errors.invalidInput('input', 'The input is invalid.');
  if (rest.length === 0) return first;
  const describe = (error: E) => ({
    field: fieldOf(error),
    reason: ('reason' in error ? error.reason : undefined) ?? error.type,
    message: error.message,
  });
  return invalidFields([describe(first), ...rest.map(describe)]);
}

function fieldOf(error: FieldError): string {
  switch (error.type) {
    case 'InvalidUsername':
      return 'username';
    case 'InvalidEmail':
      return 'email';
    case 'InvalidPhone':
      return 'phone';
    default:
      return error.field;
  }
}

/**
 * Refuses an email that belongs to one of the host's user accounts. API
 * accounts are checked by the store's unique constraint, atomically, on write.
 */
export function ensureEmailFreeInDirectory(
  ctx: OperationContext,
  email: string,
  tenant: string,
): ResultAsync<void, EmailTaken | StoreUnavailable> {
  return ctx.ports
    .isEmailTakenByUser(email, tenant)
    .andThen((taken) =>
      taken ? errAsync(errors.emailTaken(email, 'user-account')) : okAsync(undefined),
    );
}
