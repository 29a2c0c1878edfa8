/**
 * Every failure the SDK reports is a plain object with a `type` discriminant, a
 * human `message`, and the fields a caller needs to react. None carries a key,
 * code or token: messages name what was wrong, never the secret itself.
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

/**
 * The email is used by another API account or by one of the host's user accounts.
 *
 * @example
 * ```ts
 * if (result.isErr() && result.error.type === 'EmailTaken') showFieldError('email', result.error.message);
 * ```
 */
export interface EmailTaken extends ErrorShape<'EmailTaken'> {
  /** The normalised address. */
  readonly email: string;
  readonly takenBy: 'api-account' | 'user-account';
}

/**
 * Another API account has this username (compared case-insensitively).
 *
 * @example
 * ```ts
 * if (result.isErr() && result.error.type === 'UsernameTaken') showFieldError('username', result.error.message);
 * ```
 */
export interface UsernameTaken extends ErrorShape<'UsernameTaken'> {
  readonly username: string;
}

/**
 * The phone number was rejected; `reason` says why.
 *
 * @example
 * ```ts
 * if (result.isErr() && result.error.type === 'InvalidPhone') showFieldError('phone', result.error.message);
 * ```
 */
export interface InvalidPhone extends ErrorShape<'InvalidPhone'> {
  readonly input: string;
  readonly reason: InvalidPhoneReason;
}

/**
 * The email address is malformed; `reason` says how.
 *
 * @example
 * ```ts
 * if (result.isErr() && result.error.type === 'InvalidEmail') showFieldError('email', result.error.message);
 * ```
 */
export interface InvalidEmail extends ErrorShape<'InvalidEmail'> {
  readonly input: string;
  readonly reason: InvalidEmailReason;
}

/**
 * The username is malformed; `reason` says how.
 *
 * @example
 * ```ts
 * if (result.isErr() && result.error.type === 'InvalidUsername') showFieldError('username', result.error.message);
 * ```
 */
export interface InvalidUsername extends ErrorShape<'InvalidUsername'> {
  readonly input: string;
  readonly reason: InvalidUsernameReason;
}

/**
 * A field other than username, email or phone has the wrong shape (for
 * example `active: 'yes'`), or several fields are invalid at once: then
 * `fields` lists every one (a single invalid username, email or phone keeps
 * its own error type).
 *
 * @example
 * ```ts
 * if (result.isErr() && result.error.type === 'InvalidInput') showFieldError(result.error.field, result.error.message);
 * ```
 */
export interface InvalidInput extends ErrorShape<'InvalidInput'> {
  /** The (first) field that is wrong. */
  readonly field: string;
  /** Why, where a field has several ways to be wrong (`unknown_scope`, `host_bits_set`…). */
  readonly reason?: string;
  /** When several fields are wrong: every one of them, in input order. */
  readonly fields?: readonly InvalidField[];
}

/**
 * One invalid field of an {@link InvalidInput} that reports several.
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

/**
 * The key's lifetime (`keyLifetime`) ended: it no longer verifies. A new key
 * comes from `rotateApiKey` or `resetApiKey`.
 *
 * @example
 * ```ts
 * if (result.isErr() && result.error.type === 'KeyExpired') console.warn(`expired ${result.error.expiredAt.toISOString()}`);
 * ```
 */
export interface KeyExpired extends ErrorShape<'KeyExpired'> {
  readonly accountId: string;
  readonly expiredAt: Date;
}

/**
 * A verification came from an address outside the account's `allowedIps`,
 * or from no known address while the account has a list: never fail open.
 *
 * @example
 * ```ts
 * if (result.isErr() && result.error.type === 'IpNotAllowed') log.warn({ account: result.error.accountId });
 * ```
 */
export interface IpNotAllowed extends ErrorShape<'IpNotAllowed'> {
  readonly accountId: string;
}

/**
 * The account used up its rate limit: the next unit comes in `retryAfterMs`.
 *
 * @example
 * ```ts
 * if (result.isErr() && result.error.type === 'RateLimited') retryIn(result.error.retryAfterMs);
 * ```
 */
export interface RateLimited extends ErrorShape<'RateLimited'> {
  readonly accountId: string;
  /** The budget: `limit` per `windowMs`. */
  readonly limit: number;
  readonly windowMs: number;
  readonly retryAfterMs: number;
}

/**
 * The account is switched off: its key does not verify and its claim cannot be completed.
 *
 * @example
 * ```ts
 * if (result.isErr() && result.error.type === 'AccountInactive') console.warn(`switched off: ${result.error.accountId}`);
 * ```
 */
export interface AccountInactive extends ErrorShape<'AccountInactive'> {
  readonly accountId: string;
}

/**
 * No API account has this id.
 *
 * @example
 * ```ts
 * if (result.isErr() && result.error.type === 'AccountNotFound') return notFound();
 * ```
 */
export interface AccountNotFound extends ErrorShape<'AccountNotFound'> {
  readonly accountId: string;
}

/**
 * The actor may not perform this action: it lacks the role (by default), or
 * the host's `authorize` said no.
 *
 * @example
 * ```ts
 * if (result.isErr() && result.error.type === 'Forbidden') return forbidden();
 * ```
 */
export interface Forbidden extends ErrorShape<'Forbidden'> {
  readonly actorId: string;
  /** The role the default check requires; `null` when the host's `authorize` decided. */
  readonly requiredRole: string | null;
  /** The method refused, such as `resetApiKey`. */
  readonly action: string;
}

/**
 * `resetApiKey` was called without `{ confirm: true }`.
 *
 * @example
 * ```ts
 * const r = await manager.resetApiKey(admin, id, { confirm: false as true }); // Err(ConfirmationRequired)
 * ```
 */
export type ConfirmationRequired = ErrorShape<'ConfirmationRequired'>;

/**
 * The claim link is unknown, was already used, or was cancelled (by a reset, resend or contact change).
 *
 * @example
 * ```ts
 * if (result.isErr() && result.error.type === 'ClaimNotFound') showPage('This link is no longer valid.');
 * ```
 */
export type ClaimNotFound = ErrorShape<'ClaimNotFound'>;

/**
 * The claim is past its time to live.
 *
 * @example
 * ```ts
 * if (result.isErr() && result.error.type === 'ClaimExpired') showPage('Ask the box office for a new link.');
 * ```
 */
export type ClaimExpired = ErrorShape<'ClaimExpired'>;

/**
 * The claim used up its attempts; every further try, right or wrong, gets this.
 *
 * @example
 * ```ts
 * if (result.isErr() && result.error.type === 'ClaimLocked') showPage('Too many wrong codes; ask for a new link.');
 * ```
 */
export type ClaimLocked = ErrorShape<'ClaimLocked'>;

/**
 * The code was wrong; one attempt was used.
 *
 * @example
 * ```ts
 * if (result.isErr() && result.error.type === 'CodeIncorrect') showError(`${result.error.attemptsRemaining} tries left`);
 * ```
 */
export interface CodeIncorrect extends ErrorShape<'CodeIncorrect'> {
  readonly attemptsRemaining: number;
}

/**
 * `resendClaim` on an account whose key is already issued: a new key needs `resetApiKey`.
 *
 * @example
 * ```ts
 * if (result.isErr() && result.error.type === 'KeyAlreadyIssued') showPage('The key was already shown once.');
 * ```
 */
export interface KeyAlreadyIssued extends ErrorShape<'KeyAlreadyIssued'> {
  readonly accountId: string;
}

/**
 * The presented key is malformed, unknown or superseded.
 *
 * @example
 * ```ts
 * if (result.isErr() && result.error.type === 'InvalidKey') log.info({ reason: result.error.reason });
 * ```
 */
export interface InvalidKey extends ErrorShape<'InvalidKey'> {
  readonly reason: InvalidKeyReason;
  /**
   * For a signed request whose signature did not verify (whatever the
   * reason: unknown user, no key, wrong signature, all alike): the string the
   * server signed, `METHOD\nURL\nDate[\nbase64(md5(body))]`, so a partner can
   * compare it with theirs. Never a secret; the middleware sends it to the
   * client only with `explainSignatureFailures`.
   */
  readonly stringToSign?: string;
}

/**
 * Someone else changed the account between this operation's read and its write.
 *
 * @example
 * ```ts
 * if (result.isErr() && result.error.type === 'Conflict') reloadAndRetry(); // someone else edited it
 * ```
 */
export interface Conflict extends ErrorShape<'Conflict'> {
  readonly accountId: string;
}

/**
 * The account store (or the host's user directory) failed; nothing was changed by this call.
 *
 * @example
 * ```ts
 * if (result.isErr() && result.error.type === 'StoreUnavailable') return serviceUnavailable();
 * ```
 */
export interface StoreUnavailable extends ErrorShape<'StoreUnavailable'> {
  readonly port: 'store' | 'directory';
  readonly cause: unknown;
}

/**
 * Sending an SMS or email failed. Reported per channel; the account and claim are kept.
 *
 * @example
 * ```ts
 * if (issued.delivery.sms.status === 'failed' && issued.delivery.sms.error.retryable) offerResend();
 * ```
 */
export interface DeliveryFailed extends ErrorShape<'DeliveryFailed'> {
  readonly channel: 'sms' | 'email';
  /** Why, as the sender reported it (`unknown` when it threw a plain error). */
  readonly reason: DeliveryFailureReason;
  /** Whether sending again later may work (a resend is always allowed). */
  readonly retryable: boolean;
  /** How many times the message was tried. */
  readonly attempts: number;
  /**
   * What the sender threw, as a plain copy safe to log (`{ name, message,
   * …its own fields }`): should it quote the message, the claim's code and
   * token, and anything shaped like a secret, read `[redacted]`.
   */
  readonly cause: unknown;
}

/**
 * The clock, the key generator or the secret sealer failed or returned something unusable.
 *
 * @example
 * ```ts
 * if (result.isErr() && result.error.type === 'PortFailed') alertOps(`${result.error.port} failed`);
 * ```
 */
export interface PortFailed extends ErrorShape<'PortFailed'> {
  readonly port: 'clock' | 'keys' | 'sealer' | 'authorize' | 'rateLimiter';
  readonly cause: unknown;
}

/**
 * A defect inside the SDK; reported instead of thrown. Please file it.
 *
 * @example
 * ```ts
 * if (result.isErr() && result.error.type === 'InternalError') reportBug(result.error.cause);
 * ```
 */
export interface InternalError extends ErrorShape<'InternalError'> {
  readonly cause: unknown;
}

/**
 * Every error any `ApiAccountManager` method can return, discriminated by `type`.
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
export type ApiAccountError =
  | EmailTaken
  | UsernameTaken
  | InvalidPhone
  | InvalidEmail
  | InvalidUsername
  | InvalidInput
  | AccountInactive
  | KeyExpired
  | IpNotAllowed
  | RateLimited
  | AccountNotFound
  | Forbidden
  | ConfirmationRequired
  | ClaimNotFound
  | ClaimExpired
  | ClaimLocked
  | CodeIncorrect
  | KeyAlreadyIssued
  | InvalidKey
  | Conflict
  | StoreUnavailable
  | DeliveryFailed
  | PortFailed
  | InternalError;

/**
 * The `type` strings of {@link ApiAccountError}, for exhaustive switches and maps.
 *
 * @example
 * ```ts
 * const status: Record<ApiAccountErrorType, number> = { ...statusByType };
 * ```
 */
export type ApiAccountErrorType = ApiAccountError['type'];

/**
 * Constructors for every error, so that messages are written once.
 */
export const errors = {
  emailTaken: (email: string, takenBy: EmailTaken['takenBy']): EmailTaken => ({
    type: 'EmailTaken',
    message:
      takenBy === 'api-account'
        ? 'This email address is already used by another API account.'
        : 'This email address belongs to a user account of this system; API accounts need their own address.',
    email,
    takenBy,
  }),
  usernameTaken: (username: string): UsernameTaken => ({
    type: 'UsernameTaken',
    message: 'Another API account already has this username.',
    username,
  }),
  invalidPhone: (input: string, reason: InvalidPhoneReason, message: string): InvalidPhone => ({
    type: 'InvalidPhone',
    message,
    input,
    reason,
  }),
  invalidEmail: (input: string, reason: InvalidEmailReason, message: string): InvalidEmail => ({
    type: 'InvalidEmail',
    message,
    input,
    reason,
  }),
  invalidUsername: (
    input: string,
    reason: InvalidUsernameReason,
    message: string,
  ): InvalidUsername => ({ type: 'InvalidUsername', message, input, reason }),
  invalidInput: (field: string, message: string, reason?: string): InvalidInput => ({
    type: 'InvalidInput',
    message,
    field,
    ...(reason === undefined ? {} : { reason }),
  }),
  invalidFields: (fields: readonly [InvalidField, ...InvalidField[]]): InvalidInput => ({
    type: 'InvalidInput',
    message: `${fields.length} fields are invalid: ${fields.map((f) => f.field).join(', ')}.`,
    field: fields[0].field,
    fields,
  }),
  keyExpired: (accountId: string, expiredAt: Date): KeyExpired => ({
    type: 'KeyExpired',
    message: 'This API key has expired: ask the administrator for a new one.',
    accountId,
    expiredAt: new Date(expiredAt),
  }),
  ipNotAllowed: (accountId: string): IpNotAllowed => ({
    type: 'IpNotAllowed',
    message:
      "This API account may not be used from this address: it is outside the account's allowed addresses.",
    accountId,
  }),
  rateLimited: (
    accountId: string,
    policy: { readonly limit: number; readonly windowMs: number },
    retryAfterMs: number,
  ): RateLimited => ({
    type: 'RateLimited',
    message: `This API account made more than its ${policy.limit} requests per ${policy.windowMs / 1000} s; try again in ${Math.ceil(retryAfterMs / 1000)} s.`,
    accountId,
    limit: policy.limit,
    windowMs: policy.windowMs,
    retryAfterMs,
  }),
  accountInactive: (accountId: string): AccountInactive => ({
    type: 'AccountInactive',
    message: 'This API account is switched off.',
    accountId,
  }),
  accountNotFound: (accountId: string): AccountNotFound => ({
    type: 'AccountNotFound',
    message: 'No API account has this id.',
    accountId,
  }),
  forbidden: (actorId: string, requiredRole: string | null, action: string): Forbidden => ({
    type: 'Forbidden',
    message:
      requiredRole === null
        ? `This user may not ${action} here.`
        : `Only users with the ${requiredRole} role can manage API accounts.`,
    actorId,
    requiredRole,
    action,
  }),
  confirmationRequired: (
    action: 'resetApiKey' | 'rotateApiKey' | 'deleteAccount',
  ): ConfirmationRequired => ({
    type: 'ConfirmationRequired',
    message: {
      resetApiKey:
        'Resetting stops the current key at once. Pass { confirm: true } to confirm the reset.',
      rotateApiKey:
        'Rotating sends the partner a new claim, and the current key stops after its grace period. Pass { confirm: true } to confirm the rotation.',
      deleteAccount:
        'Deleting stops the keys at once and removes the account for good. Pass { confirm: true } to confirm the deletion.',
    }[action],
  }),
  claimNotFound: (): ClaimNotFound => ({
    type: 'ClaimNotFound',
    message:
      'This link is not valid: it was already used or replaced by a newer one. Ask the administrator to resend it.',
  }),
  claimExpired: (): ClaimExpired => ({
    type: 'ClaimExpired',
    message: 'This link has expired. Ask the administrator to resend it.',
  }),
  claimLocked: (): ClaimLocked => ({
    type: 'ClaimLocked',
    message: 'Too many wrong codes were entered. Ask the administrator to resend the link.',
  }),
  codeIncorrect: (attemptsRemaining: number): CodeIncorrect => ({
    type: 'CodeIncorrect',
    message:
      attemptsRemaining === 0
        ? 'The code is not correct, and no attempts remain.'
        : `The code is not correct. ${attemptsRemaining} attempt${attemptsRemaining === 1 ? '' : 's'} remaining.`,
    attemptsRemaining,
  }),
  keyAlreadyIssued: (accountId: string): KeyAlreadyIssued => ({
    type: 'KeyAlreadyIssued',
    message:
      'The API key of this account was already claimed, so there is no claim to resend. Reset the key to issue a new one.',
    accountId,
  }),
  invalidKey: (reason: InvalidKeyReason, stringToSign?: string): InvalidKey => ({
    type: 'InvalidKey',
    message:
      reason === 'signing_not_configured'
        ? 'Signed requests are not enabled: configure a SecretSealer to verify SpektrixAPI3 signatures.'
        : 'The API key or request signature is not valid.',
    reason,
    ...(stringToSign === undefined ? {} : { stringToSign }),
  }),
  conflict: (accountId: string): Conflict => ({
    type: 'Conflict',
    message: 'The API account was changed by someone else at the same time. Reload and try again.',
    accountId,
  }),
  storeUnavailable: (port: StoreUnavailable['port'], cause: unknown): StoreUnavailable =>
    withSerialisableCause({
      type: 'StoreUnavailable',
      message:
        port === 'directory'
          ? 'The user directory is not available; nothing was changed.'
          : (cause as { name?: unknown } | null)?.name === 'SchemaNotMigrated'
            ? "The API account store's tables are missing or out of date: run migrate(). Nothing was changed."
            : 'The API account store is not available; nothing was changed.',
      port,
      cause,
    }),
  /** A store write answered an outcome the port does not declare: nothing is acted on. */
  unknownOutcome: (answer: unknown): StoreUnavailable => {
    const outcome = (answer as { outcome?: unknown } | null | undefined)?.outcome;
    const named = typeof outcome === 'string' ? outcome.slice(0, 40) : `[${typeof outcome}]`;
    return errors.storeUnavailable(
      'store',
      new TypeError(`the store answered an undeclared outcome: ${named}`),
    );
  },
  deliveryFailed: (
    channel: DeliveryFailed['channel'],
    cause: unknown,
    attempts: number,
    reason: DeliveryFailureReason = cause instanceof DeliveryError ? cause.reason : 'unknown',
  ): DeliveryFailed => ({
    type: 'DeliveryFailed',
    message: `The ${channel === 'sms' ? 'SMS' : 'email'} could not be sent (${reason.replace(/_/g, ' ')}${attempts > 1 ? ` after ${attempts} tries` : ''}); resend the claim to try again.`,
    channel,
    reason,
    retryable: cause instanceof DeliveryError && cause.retryable,
    attempts,
    cause,
  }),
  portFailed: (port: PortFailed['port'], cause: unknown): PortFailed =>
    withSerialisableCause({
      type: 'PortFailed',
      message: {
        clock: 'The clock port failed or returned an invalid date.',
        keys: 'The key generator failed or returned too few bytes.',
        sealer:
          'The secret sealer failed, or a sealed secret did not unseal (tampered, or sealed with an unknown key).',
        authorize: "The host's authorize function failed.",
        rateLimiter: 'The rate limiter failed or answered something else than a decision.',
      }[port],
      port,
      cause,
    }),
  internalError: (cause: unknown): InternalError =>
    withSerialisableCause({
      type: 'InternalError',
      message: 'An unexpected error occurred inside api-accounts.',
      cause,
    }),
} as const;
