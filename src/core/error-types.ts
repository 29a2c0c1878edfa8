/**
 * Every error type by name, and each method's error union, for hosts that
 * name them: one subpath of their own, the way jose groups its errors, so
 * that the root's names stay few. `ApiAccountError` (the union of them all)
 * and `ErrorOf<'Type'>` are at the root.
 *
 * @example
 * ```ts
 * import type { EmailTaken } from 'api-accounts/errors';
 *
 * function showTaken(error: EmailTaken) { form.error('email', error.message); }
 * ```
 *
 * @module api-accounts/errors
 */
export type {
  AccountInactive,
  AccountNotFound,
  BodyTooLarge,
  BodyUnreadable,
  ClaimExpired,
  ClaimLocked,
  ClaimNotFound,
  CodeIncorrect,
  ConfirmationRequired,
  Conflict,
  DeliveryFailed,
  EmailTaken,
  ErrorShape,
  Forbidden,
  InsufficientScope,
  InternalError,
  InvalidEmail,
  InvalidEmailReason,
  InvalidField,
  InvalidInput,
  InvalidKey,
  InvalidKeyReason,
  InvalidPhone,
  InvalidPhoneReason,
  InvalidUsername,
  InvalidUsernameReason,
  IpNotAllowed,
  KeyAlreadyIssued,
  KeyExpired,
  MissingCredentials,
  PortFailed,
  QuotaExceeded,
  RateLimited,
  StoreUnavailable,
  UsernameTaken,
} from './errors.js';
export type { AccountUsageError } from './operations/account-usage.js';
export type { ChangeError } from './operations/change-account.js';
export type {
  ClaimApiKeyError,
  InspectClaimError,
} from './operations/claim-api-key.js';
export type { CreateAccountError } from './operations/create-account.js';
export type { DeleteAccountError } from './operations/delete-account.js';
export type {
  GetAccountError,
  ListAccountsError,
} from './operations/read-accounts.js';
export type { ReportLeakedKeyError } from './operations/report-leaked-key.js';
export type {
  ResendClaimError,
  ResetApiKeyError,
} from './operations/reset-api-key.js';
export type {
  EndGracePeriodError,
  RotateApiKeyError,
} from './operations/rotate-api-key.js';
export type { RunDueTasksError } from './operations/run-due-tasks.js';
export type { UpdateAccountError } from './operations/update-account.js';
export type { ProfileError } from './operations/validate-profile.js';
export type { VerifyApiKeyError } from './verification/bearer.js';
export type { VerifySignedRequestError } from './verification/signed.js';
