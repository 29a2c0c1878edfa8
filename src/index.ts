/**
 * API accounts for partner products: an administrator creates an account, the
 * partner claims its key once with an SMS code and an email link, and every
 * request after that is verified.
 *
 * This entry point holds the core (`ApiAccountManager`), `inMemoryPorts` for
 * tests and prototypes, the port interfaces, the validators, `signRequest`,
 * the `aesGcmSealer` and the error types. Test doubles and contract suites
 * are in `api-accounts/testing`; adapters and middleware in their own entry
 * points.
 *
 * @example
 * ```ts
 * import { ApiAccountManager, inMemoryPorts, SETTINGS_ADMINISTRATOR } from 'api-accounts';
 *
 * const ports = inMemoryPorts();
 * const manager = new ApiAccountManager({
 *   ...ports,
 *   claimUrl: (token) => `https://box-office.example/api-access/claim?token=${token}`,
 * });
 * const admin = { id: 'admin-1', roles: [SETTINGS_ADMINISTRATOR] };
 * await manager.createAccount(admin, { username: 'ACME', email: 'dev@acme.example', phone: '+447894123456' });
 * ```
 *
 * @module api-accounts
 */

export {
  type ConsoleSendersOptions,
  consoleSenders,
} from './adapters/console/console-senders.js';
export { type AesGcmSealerOptions, aesGcmSealer } from './adapters/crypto/aes-gcm-sealer.js';
export { type InMemoryPorts, inMemoryPorts } from './adapters/memory/in-memory-ports.js';
export type { AccessOptions } from './core/access/access-policy.js';
export {
  type InMemoryQuotaCounterOptions,
  inMemoryQuotaCounter,
} from './core/access/in-memory-quota-counter.js';
export {
  type InMemoryRateLimiterOptions,
  inMemoryRateLimiter,
} from './core/access/in-memory-rate-limiter.js';
export type { ApiAccount } from './core/account.js';
export {
  type Actor,
  type AdminAction,
  type Authorize,
  SETTINGS_ADMINISTRATOR,
} from './core/actor.js';
export type { DeliveryOptions, DeliveryTimer } from './core/delivery/retry-policy.js';
export type { ApiAccountError, ApiAccountErrorType, ErrorOf } from './core/errors.js';
export type { HeaderSource } from './core/headers.js';
export type { KeyFormat } from './core/keys/api-key-format.js';
export type {
  KeyLifetimeOptions,
  ReminderContext,
  ReminderEmailTemplate,
  ReminderSmsTemplate,
  RotationOptions,
} from './core/lifecycle/key-lifecycle-options.js';
export type { Logger, LogLevel } from './core/logging/logger.js';
export { ApiAccountManager } from './core/manager.js';
export {
  type ClaimMessageContext,
  type ClaimReason,
  defaultEmailTemplate,
  defaultSmsTemplate,
  type EmailTemplate,
  type SmsTemplate,
} from './core/messages/claim-messages.js';
export type { TextLanguage } from './core/messages/languages.js';
export type { QuotaStatus } from './core/operations/account-usage.js';
export type { ExpectedVersion } from './core/operations/change-account.js';
export type { ClaimedKey, ClaimPreview } from './core/operations/claim-api-key.js';
export type { AccountDeleted } from './core/operations/delete-account.js';
export type {
  ClaimIssued,
  ClaimMessageOptions,
  Delivery,
} from './core/operations/deliver-claim.js';
export type { AccountPage, ListAccountsQuery } from './core/operations/read-accounts.js';
export type { LeakedKey, LeakedKeyReport } from './core/operations/report-leaked-key.js';
export type { RotateApiKeyOptions } from './core/operations/rotate-api-key.js';
export type {
  DueTasksDone,
  DueTasksProgress,
  RunDueTasksOptions,
} from './core/operations/run-due-tasks.js';
export type { AccountPatch } from './core/operations/update-account.js';
export type { AccountInput } from './core/operations/validate-profile.js';
export type { VerifyCacheOptions } from './core/options.js';
export {
  type ApiAccountManagerOptions,
  DEFAULT_CLAIM_MAX_ATTEMPTS,
  DEFAULT_CLAIM_TTL_MS,
  DEFAULT_DATE_WINDOW_MS,
  type MessageOptions,
  type SignedRequestOptions,
  type VerifierOptions,
} from './core/options.js';
export type { Principal, PrincipalQuota, RateLimitStatus } from './core/principal.js';
export {
  type RequestToSign,
  type SignedHeaders,
  signRequest,
} from './core/signing/sign-request.js';
export type {
  TelemetryMeter,
  TelemetryOptions,
  TelemetrySpan,
  TelemetryTracer,
} from './core/telemetry/telemetry.js';
export type { UsageOptions } from './core/usage/usage-counter.js';
export { normaliseEmailForComparison, validateEmail } from './core/validation/email.js';
export { type PhoneOptions, validateMobilePhone } from './core/validation/phone.js';
export { type ValidUsername, validateUsername } from './core/validation/username.js';
export type { VerifyOptions } from './core/verification/bearer.js';
export type { SignedRequest } from './core/verification/signed.js';
export { createVerifier, type Verifier } from './core/verification/verifier.js';
export type {
  AccountEvent,
  AccountEventType,
  AccountStore,
  UsageDay,
} from './ports/account-store.js';
export type { Clock } from './ports/clock.js';
export { DeliveryError } from './ports/delivery.js';
export type { EmailMessage, EmailSender } from './ports/email-sender.js';
export type { InvalidationBus } from './ports/invalidation-bus.js';
export type { KeyGenerator } from './ports/key-generator.js';
export type { QuotaCounter, QuotaPolicy } from './ports/quota-counter.js';
export type { RateLimiter, RateLimitPolicy } from './ports/rate-limiter.js';
export type { SecretSealer } from './ports/secret-sealer.js';
export type { SmsMessage, SmsSender } from './ports/sms-sender.js';
export type { UserDirectory } from './ports/user-directory.js';
