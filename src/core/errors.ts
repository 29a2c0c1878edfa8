/**
 * Every failure the SDK reports is a plain object with a `type` discriminant, a
 * human `message`, and the fields a caller needs to react. None carries a key,
 * code or token: messages name what was wrong, never the secret itself.
 *
 * Each error is written once, in {@link errors}: its type, its HTTP status
 * and its constructor (which says its fields). Its type, the union of them
 * all, each method's error union, the admin API's problem status and the
 * middleware's refusal status all derive from that one entry.
 *
 * @module
 */

import { DeliveryError, type DeliveryFailureReason } from '../ports/delivery.js';
import { withSerialisableCause } from './serialisable-cause.js';
/**
 * Why an email address was rejected.
 *
 * @example
 * ```ts
 * const reason: InvalidEmailReason = 'missing_at';
 * ```
 */
export type InvalidEmailReason =
  | 'not_a_string'
  | 'missing_at'
  | 'multiple_at'
  | 'empty_local_part'
  | 'empty_domain'
  | 'invalid_local_part'
  | 'whitespace'
  | 'control_character'
  | 'invalid_unicode'
  | 'domain_without_dot'
  | 'empty_domain_label'
  | 'invalid_domain'
  | 'too_long'
  | 'local_part_too_long'
  | 'domain_label_too_long';

/**
 * Why a username was rejected.
 *
 * @example
 * ```ts
 * const reason: InvalidUsernameReason = 'contains_colon';
 * ```
 */
export type InvalidUsernameReason =
  | 'not_a_string'
  | 'empty'
  | 'too_long'
  | 'contains_colon'
  | 'control_character'
  | 'invisible_character'
  | 'invalid_unicode';

/**
 * Why a phone number was rejected.
 *
 * @example
 * ```ts
 * const reason: InvalidPhoneReason = 'not_mobile';
 * ```
 */
export type InvalidPhoneReason =
  | 'not_a_string'
  | 'not_a_number'
  | 'missing_country_code'
  | 'too_short'
  | 'too_long'
  | 'invalid_for_country'
  | 'not_mobile';

/**
 * Why a presented key or signed request was refused. Logged by gateways, never
 * sent to the client: telling `unknown_key` from `bad_checksum` helps an operator,
 * not an attacker's client.
 *
 * @example
 * ```ts
 * const reason: InvalidKeyReason = 'stale_date';
 * ```
 */
export type InvalidKeyReason =
  /** Bearer: not a key of either format. */
  | 'malformed_key'
  /** Bearer: a prefixed key whose checksum does not match (a typo). */
  | 'bad_checksum'
  /** Bearer: no account has this key (never issued, or reset). */
  | 'unknown_key'
  /** Signed: the Authorization header is not `SpektrixAPI3 <username>:<signature>`. */
  | 'malformed_header'
  /** Signed: no `Date` header. */
  | 'missing_date'
  /** Signed: the `Date` header is not an RFC 1123 date. */
  | 'malformed_date'
  /** Signed: the `Date` is outside the allowed window around now. */
  | 'stale_date'
  /** Signed: a relative URL, and no public base URL configured to complete it. */
  | 'relative_url'
  /** Signed: no API account has this username. */
  | 'unknown_user'
  /** Signed: the account has no key yet (its claim is pending). */
  | 'no_key'
  /** Signed: the account's key cannot sign (issued before a sealer was configured, or in the prefixed format). */
  | 'signing_unavailable'
  /** Signed: this manager has no `SecretSealer`, so it cannot verify signatures. */
  | 'signing_not_configured'
  /** Signed: the signature does not match. */
  | 'bad_signature';

/**
 * What every error shares: the `type` to switch on and a `message` for people.
 * Each error adds the fields a caller needs to react.
 *
 * @example
 * ```ts
 * const refused: ErrorShape<'Forbidden'> = { type: 'Forbidden', message: 'Only administrators…' };
 * ```
 */
export interface ErrorShape<Type extends string> {
  readonly type: Type;
  readonly message: string;
}

/** One error of the table: made by calling it; its `type` and HTTP `status` beside. */
type Defined<Type extends string, Args extends unknown[], Fields> = ((
  ...args: Args
) => ErrorShape<Type> & Readonly<Fields>) & { readonly type: Type; readonly status: number };

/** An entry of the table: `make` builds the message and the fields from the arguments. */
function define<Type extends string, Args extends unknown[], Fields extends object>(
  type: Type,
  status: number,
  make: (...args: Args) => Fields & { readonly message: string },
  // Errors that carry a cause write it as plain data when serialised.
  serialisable = false,
): Defined<Type, Args, Omit<Fields, 'message'>> {
  const build = (...args: Args) => {
    const error = { type, ...make(...args) };
    return (
      serialisable ? withSerialisableCause(error as typeof error & { cause: unknown }) : error
    ) as ErrorShape<Type> & Readonly<Omit<Fields, 'message'>>;
  };
  return Object.assign(build, { type, status });
}

/**
 * Every error, once: its type, its HTTP status (the admin API's problem and
 * the middleware's refusal answer with it) and its constructor, so that each
 * message is written once.
 */
export const errors = {
  emailTaken: define(
    'EmailTaken',
    409,
    (email: string, takenBy: 'api-account' | 'user-account') => ({
      message:
        takenBy === 'api-account'
          ? 'This email address is already used by another API account.'
          : 'This email address belongs to a user account of this system; API accounts need their own address.',
      /** The normalised address. */
      email,
      takenBy,
    }),
  ),
  usernameTaken: define('UsernameTaken', 409, (username: string) => ({
    message: 'Another API account already has this username.',
    username,
  })),
  invalidPhone: define(
    'InvalidPhone',
    422,
    (input: string, reason: InvalidPhoneReason, message: string) => ({
      message,
      input,
      reason,
    }),
  ),
  invalidEmail: define(
    'InvalidEmail',
    422,
    (input: string, reason: InvalidEmailReason, message: string) => ({
      message,
      input,
      reason,
    }),
  ),
  invalidUsername: define(
    'InvalidUsername',
    422,
    (input: string, reason: InvalidUsernameReason, message: string) => ({ message, input, reason }),
  ),
  invalidInput: define(
    'InvalidInput',
    422,
    (
      field: string,
      message: string,
      reason?: string,
      fields?: readonly InvalidField[],
    ): {
      message: string;
      /** The (first) field that is wrong. */
      field: string;
      /** Why, where a field has several ways to be wrong (`unknown_scope`, `host_bits_set`…). */
      reason?: string;
      /** When several fields are wrong: every one of them, in input order. */
      fields?: readonly InvalidField[];
    } => ({
      message,
      field,
      ...(reason === undefined ? {} : { reason }),
      ...(fields === undefined ? {} : { fields }),
    }),
  ),
  keyExpired: define('KeyExpired', 401, (accountId: string, expiredAt: Date) => ({
    message: 'This API key has expired: ask the administrator for a new one.',
    accountId,
    expiredAt: new Date(expiredAt),
  })),
  ipNotAllowed: define('IpNotAllowed', 403, (accountId: string) => ({
    message:
      "This API account may not be used from this address: it is outside the account's allowed addresses.",
    accountId,
  })),
  rateLimited: define(
    'RateLimited',
    429,
    (
      accountId: string,
      policy: { readonly limit: number; readonly windowMs: number },
      retryAfterMs: number,
    ) => ({
      message: `This API account made more than its ${policy.limit} requests per ${policy.windowMs / 1000} s; try again in ${Math.ceil(retryAfterMs / 1000)} s.`,
      accountId,
      /** The budget: `limit` per `windowMs`. */
      limit: policy.limit,
      windowMs: policy.windowMs,
      retryAfterMs,
    }),
  ),
  quotaExceeded: define(
    'QuotaExceeded',
    429,
    (
      accountId: string,
      quota: { readonly limit: number; readonly period: 'day' | 'month' },
      resetsAt: Date,
      now: number,
    ) => ({
      message: `This API account used its ${quota.limit} calls for this ${quota.period}; more are allowed from ${resetsAt.toISOString()}.`,
      accountId,
      /** The quota: `limit` per UTC calendar `period`. */
      limit: quota.limit,
      period: quota.period,
      /** When the next period starts. */
      resetsAt: new Date(resetsAt),
      /** How long until then, by the manager's clock (the middleware's `Retry-After`). */
      retryAfterMs: Math.max(0, resetsAt.getTime() - now),
    }),
  ),
  accountInactive: define('AccountInactive', 401, (accountId: string) => ({
    message: 'This API account is switched off.',
    accountId,
  })),
  accountNotFound: define('AccountNotFound', 404, (accountId: string) => ({
    message: 'No API account has this id.',
    accountId,
  })),
  forbidden: define(
    'Forbidden',
    403,
    (actorId: string, requiredRole: string | null, action: string) => ({
      message:
        requiredRole === null
          ? `This user may not ${action} here.`
          : `Only users with the ${requiredRole} role can manage API accounts.`,
      actorId,
      /** The role the default check requires; `null` when the host's `authorize` decided. */
      requiredRole,
      /** The method refused, such as `resetApiKey`. */
      action,
    }),
  ),
  confirmationRequired: define(
    'ConfirmationRequired',
    400,
    (action: 'resetApiKey' | 'rotateApiKey' | 'deleteAccount') => ({
      message: {
        resetApiKey:
          'Resetting stops the current key at once. Pass { confirm: true } to confirm the reset.',
        rotateApiKey:
          'Rotating sends the partner a new claim, and the current key stops after its grace period. Pass { confirm: true } to confirm the rotation.',
        deleteAccount:
          'Deleting stops the keys at once and removes the account for good. Pass { confirm: true } to confirm the deletion.',
      }[action],
    }),
  ),
  claimNotFound: define('ClaimNotFound', 404, () => ({
    message:
      'This link is not valid: it was already used or replaced by a newer one. Ask the administrator to resend it.',
  })),
  claimExpired: define('ClaimExpired', 410, () => ({
    message: 'This link has expired. Ask the administrator to resend it.',
  })),
  claimLocked: define('ClaimLocked', 423, () => ({
    message: 'Too many wrong codes were entered. Ask the administrator to resend the link.',
  })),
  codeIncorrect: define('CodeIncorrect', 422, (attemptsRemaining: number) => ({
    message:
      attemptsRemaining === 0
        ? 'The code is not correct, and no attempts remain.'
        : `The code is not correct. ${attemptsRemaining} attempt${attemptsRemaining === 1 ? '' : 's'} remaining.`,
    attemptsRemaining,
  })),
  keyAlreadyIssued: define('KeyAlreadyIssued', 409, (accountId: string) => ({
    message:
      'The API key of this account was already claimed, so there is no claim to resend. Reset the key to issue a new one.',
    accountId,
  })),
  invalidKey: define(
    'InvalidKey',
    401,
    (
      reason: InvalidKeyReason,
      stringToSign?: string,
    ): {
      message: string;
      reason: InvalidKeyReason;
      /**
       * For a signed request whose signature did not verify (whatever the
       * reason: unknown user, no key, wrong signature, all alike): the string
       * the server signed, `METHOD\nURL\nDate[\nbase64(md5(body))]`, so a
       * partner can compare it with theirs. Never a secret; the middleware
       * sends it to the client only with `explainSignatureFailures`.
       */
      stringToSign?: string;
    } => ({
      message:
        reason === 'signing_not_configured'
          ? 'Signed requests are not enabled: configure a SecretSealer to verify SpektrixAPI3 signatures.'
          : 'The API key or request signature is not valid.',
      reason,
      ...(stringToSign === undefined ? {} : { stringToSign }),
    }),
  ),
  conflict: define('Conflict', 409, (accountId: string) => ({
    message: 'The API account was changed by someone else at the same time. Reload and try again.',
    accountId,
  })),
  storeUnavailable: define(
    'StoreUnavailable',
    503,
    (port: 'store' | 'directory', cause: unknown) => ({
      message:
        port === 'directory'
          ? 'The user directory is not available; nothing was changed.'
          : (cause as { name?: unknown } | null)?.name === 'SchemaNotMigrated'
            ? "The API account store's tables are missing or out of date: run migrate(). Nothing was changed."
            : 'The API account store is not available; nothing was changed.',
      port,
      cause,
    }),
    true,
  ),
  deliveryFailed: define(
    'DeliveryFailed',
    502,
    (
      channel: 'sms' | 'email',
      cause: unknown,
      attempts: number,
      reason: DeliveryFailureReason = cause instanceof DeliveryError ? cause.reason : 'unknown',
    ) => ({
      message: `The ${channel === 'sms' ? 'SMS' : 'email'} could not be sent (${reason.replace(/_/g, ' ')}${attempts > 1 ? ` after ${attempts} tries` : ''}); resend the claim to try again.`,
      channel,
      /** Why, as the sender reported it (`unknown` when it threw a plain error). */
      reason,
      /** Whether sending again later may work (a resend is always allowed). */
      retryable: cause instanceof DeliveryError && cause.retryable,
      /** How many times the message was tried. */
      attempts,
      /**
       * What the sender threw, as a plain copy safe to log: should it quote
       * the message, the claim's code and token read `[redacted]`.
       */
      cause,
    }),
  ),
  portFailed: define(
    'PortFailed',
    503,
    (
      port: 'clock' | 'keys' | 'sealer' | 'authorize' | 'rateLimiter' | 'quotaCounter',
      cause: unknown,
    ) => ({
      message: {
        clock: 'The clock port failed or returned an invalid date.',
        keys: 'The key generator failed or returned too few bytes.',
        sealer:
          'The secret sealer failed, or a sealed secret did not unseal (tampered, or sealed with an unknown key).',
        authorize: "The host's authorize function failed.",
        rateLimiter: 'The rate limiter failed or answered something else than a decision.',
        quotaCounter: 'The quota counter failed or answered something else than a decision.',
      }[port],
      port,
      cause,
    }),
    true,
  ),
  bodyTooLarge: define('BodyTooLarge', 413, (limit: number) => ({
    message: `The request body is larger than the ${limit} bytes a signed request may have.`,
    limit,
  })),
  bodyUnreadable: define(
    'BodyUnreadable',
    400,
    (cause: unknown) => ({ message: 'The request body could not be read.', cause }),
    true,
  ),
  missingCredentials: define('MissingCredentials', 401, () => ({
    message: 'Send an API key (Authorization: Bearer <key>) or a SpektrixAPI3 signature.',
  })),
  insufficientScope: define(
    'InsufficientScope',
    403,
    (accountId: string, required: readonly string[], missing: readonly string[]) => ({
      message: `This API key lacks the scope${missing.length === 1 ? '' : 's'} ${missing.join(', ')} that this request needs; ask the box office to grant it.`,
      accountId,
      /** Every scope the route needs. */
      required: [...required],
      /** Those the key does not hold. */
      missing: [...missing],
    }),
  ),
  internalError: define(
    'InternalError',
    500,
    (cause: unknown) => ({ message: 'An unexpected error occurred inside api-accounts.', cause }),
    true,
  ),
} as const;

/** The error a constructor of {@link errors} makes. */
type Made<Constructor> = Constructor extends (...args: never[]) => infer Made ? Made : never;

/**
 * Every error the SDK answers, discriminated by `type`.
 *
 * @example
 * ```ts
 * const result = await manager.createAccount(admin, input);
 * if (result.isErr()) {
 *   switch (result.error.type) {
 *     case 'EmailTaken': return form.error('email', result.error.message);
 *     case 'InvalidPhone': return form.error('phone', result.error.message);
 *     case 'StoreUnavailable': return page.retryLater();
 *     default: return page.error(result.error.message);
 *   }
 * }
 * ```
 */
export type ApiAccountError = Made<(typeof errors)[keyof typeof errors]>;

/**
 * The `type` strings of {@link ApiAccountError}, for exhaustive switches and maps.
 *
 * @example
 * ```ts
 * const retryable = (type: ApiAccountErrorType) => type === 'StoreUnavailable';
 * ```
 */
export type ApiAccountErrorType = ApiAccountError['type'];

/**
 * The errors of these types: how each method's error union is written.
 *
 * @example
 * ```ts
 * type Refusal = ErrorOf<'InvalidKey' | 'AccountInactive'>;
 * ```
 */
export type ErrorOf<Type extends ApiAccountErrorType> = Extract<ApiAccountError, { type: Type }>;

const STATUS = Object.fromEntries(
  Object.values(errors).map((entry) => [entry.type, entry.status]),
) as Readonly<Record<ApiAccountErrorType, number>>;

/**
 * The HTTP status of an error, from its entry in {@link errors}.
 */
export function statusOf(error: { readonly type: ApiAccountErrorType }): number {
  return STATUS[error.type];
}

/**
 * A store write answered an outcome the port does not declare: nothing is
 * acted on, and the call is `StoreUnavailable`.
 */
export function unknownOutcome(answer: unknown): ErrorOf<'StoreUnavailable'> {
  const outcome = (answer as { outcome?: unknown } | null | undefined)?.outcome;
  const named = typeof outcome === 'string' ? outcome.slice(0, 40) : `[${typeof outcome}]`;
  return errors.storeUnavailable(
    'store',
    new TypeError(`the store answered an undeclared outcome: ${named}`),
  );
}

/** Every invalid field at once: an `InvalidInput` naming the first and listing them all. */
export function invalidFields(
  fields: readonly [InvalidField, ...InvalidField[]],
): ErrorOf<'InvalidInput'> {
  return errors.invalidInput(
    fields[0].field,
    `${fields.length} fields are invalid: ${fields.map((f) => f.field).join(', ')}.`,
    undefined,
    fields,
  );
}

/**
 * One invalid field of an `InvalidInput` that reports several.
 *
 * @example
 * ```ts
 * const wrong: InvalidField = { field: 'phone', reason: 'not_mobile', message: 'That is a landline number.' };
 * ```
 */
export interface InvalidField {
  readonly field: string;
  /** The field's own error's `reason` (or its `type` when it has none). */
  readonly reason: string;
  readonly message: string;
}

/** The email is used by another API account or by one of the host's user accounts. @example `if (error.type === 'EmailTaken') showFieldError('email', error.message);` */
export type EmailTaken = ErrorOf<'EmailTaken'>;
/** Another API account has this username (compared case-insensitively). @example `if (error.type === 'UsernameTaken') showFieldError('username', error.message);` */
export type UsernameTaken = ErrorOf<'UsernameTaken'>;
/** The phone number was rejected; `reason` says why. @example `if (error.type === 'InvalidPhone') showFieldError('phone', error.message);` */
export type InvalidPhone = ErrorOf<'InvalidPhone'>;
/** The email address is malformed; `reason` says how. @example `if (error.type === 'InvalidEmail') showFieldError('email', error.message);` */
export type InvalidEmail = ErrorOf<'InvalidEmail'>;
/** The username is malformed; `reason` says how. @example `if (error.type === 'InvalidUsername') showFieldError('username', error.message);` */
export type InvalidUsername = ErrorOf<'InvalidUsername'>;
/**
 * A field other than username, email or phone has the wrong shape (for
 * example `active: 'yes'`), or several fields are invalid at once: then
 * `fields` lists every one (a single invalid username, email or phone keeps
 * its own error type). @example `if (error.type === 'InvalidInput') showFieldError(error.field, error.message);`
 */
export type InvalidInput = ErrorOf<'InvalidInput'>;
/** The key's lifetime ended: it no longer verifies; a new key comes from `rotateApiKey` or `resetApiKey`. @example `if (error.type === 'KeyExpired') warn(error.expiredAt);` */
export type KeyExpired = ErrorOf<'KeyExpired'>;
/** A verification came from an address outside the account's `allowedIps`, or from none while it has a list: never fail open. @example `if (error.type === 'IpNotAllowed') log.warn(error.accountId);` */
export type IpNotAllowed = ErrorOf<'IpNotAllowed'>;
/** The account used up its rate limit: the next unit comes in `retryAfterMs`. @example `if (error.type === 'RateLimited') retryIn(error.retryAfterMs);` */
export type RateLimited = ErrorOf<'RateLimited'>;
/** The account used its quota for the period: more calls are allowed from `resetsAt`. @example `if (error.type === 'QuotaExceeded') retryAt(error.resetsAt);` */
export type QuotaExceeded = ErrorOf<'QuotaExceeded'>;
/** The account is switched off: its key does not verify and its claim cannot be completed. @example `if (error.type === 'AccountInactive') warn(error.accountId);` */
export type AccountInactive = ErrorOf<'AccountInactive'>;
/** No API account has this id. @example `if (error.type === 'AccountNotFound') return notFound();` */
export type AccountNotFound = ErrorOf<'AccountNotFound'>;
/** The actor may not do this: it lacks the role (by default), or the host's `authorize` said no. @example `if (error.type === 'Forbidden') return forbidden();` */
export type Forbidden = ErrorOf<'Forbidden'>;
/** A reset, rotation or deletion without `{ confirm: true }`; the message names the action. @example `if (error.type === 'ConfirmationRequired') askToConfirm();` */
export type ConfirmationRequired = ErrorOf<'ConfirmationRequired'>;
/** The claim link is unknown, was already used, or was cancelled. @example `if (error.type === 'ClaimNotFound') showPage('This link is no longer valid.');` */
export type ClaimNotFound = ErrorOf<'ClaimNotFound'>;
/** The claim is past its time to live. @example `if (error.type === 'ClaimExpired') showPage('Ask the box office for a new link.');` */
export type ClaimExpired = ErrorOf<'ClaimExpired'>;
/** The claim used up its attempts; every further try, right or wrong, gets this. @example `if (error.type === 'ClaimLocked') showPage('Ask for a new link.');` */
export type ClaimLocked = ErrorOf<'ClaimLocked'>;
/** The code was wrong; one attempt was used. @example `if (error.type === 'CodeIncorrect') showError(`${error.attemptsRemaining} tries left`);` */
export type CodeIncorrect = ErrorOf<'CodeIncorrect'>;
/** `resendClaim` on an account whose key is already issued: a new key needs `resetApiKey`. @example `if (error.type === 'KeyAlreadyIssued') offerReset();` */
export type KeyAlreadyIssued = ErrorOf<'KeyAlreadyIssued'>;
/** The presented key is malformed, unknown or superseded, or a signature did not verify; `reason` says which (for logs, never for clients). @example `if (error.type === 'InvalidKey') log.info(error.reason);` */
export type InvalidKey = ErrorOf<'InvalidKey'>;
/** Someone else changed the account between this operation's read and its write. @example `if (error.type === 'Conflict') reloadAndRetry();` */
export type Conflict = ErrorOf<'Conflict'>;
/** The account store (or the host's user directory) failed; nothing was changed by this call. @example `if (error.type === 'StoreUnavailable') return serviceUnavailable();` */
export type StoreUnavailable = ErrorOf<'StoreUnavailable'>;
/** Sending an SMS or email failed; reported per channel, the account and claim are kept. @example `if (delivery.sms.status === 'failed' && delivery.sms.error.retryable) offerResend();` */
export type DeliveryFailed = ErrorOf<'DeliveryFailed'>;
/** The clock, the key generator, the sealer, `authorize`, the rate limiter or the quota counter failed or answered garbage. @example `if (error.type === 'PortFailed') alertOps(error.port);` */
export type PortFailed = ErrorOf<'PortFailed'>;
/** The body of a signed request was larger than the limit. @example `if (error.type === 'BodyTooLarge') log.warn(error.limit);` */
export type BodyTooLarge = ErrorOf<'BodyTooLarge'>;
/** The body of a signed request could not be read (the client went away, say). @example `if (error.type === 'BodyUnreadable') log.warn(error.message);` */
export type BodyUnreadable = ErrorOf<'BodyUnreadable'>;
/** The request carried no credentials the middleware understands. @example `if (error.type === 'MissingCredentials') return challenge();` */
export type MissingCredentials = ErrorOf<'MissingCredentials'>;
/** The key is valid but lacks a scope the route needs. @example `if (error.type === 'InsufficientScope') log.info(error.missing);` */
export type InsufficientScope = ErrorOf<'InsufficientScope'>;
/** A defect inside the SDK; reported instead of thrown. Please file it. @example `if (error.type === 'InternalError') reportBug(error.cause);` */
export type InternalError = ErrorOf<'InternalError'>;
