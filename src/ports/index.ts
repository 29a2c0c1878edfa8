/**
 * The ports: plain `Promise` interfaces a host implements to plug in its own
 * storage, messaging, time and randomness. No neverthrow needed to write one.
 *
 * @module
 */
export type {
  AccessChanges,
  AccountAccess,
  AccountChange,
  AccountEvent,
  AccountEventType,
  AccountFilter,
  AccountPosition,
  AccountRecord,
  AccountSort,
  AccountState,
  AccountStore,
  ApplyChangeOutcome,
  ChangePage,
  CompleteClaimOutcome,
  FailedAttemptOutcome,
  InsertAccountOutcome,
  KeyHolder,
  LeakReport,
  PreviousKey,
  Signer,
  StoredClaim,
  StoredKey,
  UsageCount,
  UsageDay,
} from './account-store.js';
export type { Clock } from './clock.js';
export type {
  DeliveryError,
  DeliveryErrorInit,
  DeliveryFailureReason,
  SendOptions,
} from './delivery.js';
export type { EmailMessage, EmailSender } from './email-sender.js';
export type { InvalidationBus, InvalidationListener } from './invalidation-bus.js';
export type { KeyGenerator } from './key-generator.js';
export type { QuotaCounter, QuotaDecision, QuotaPolicy, QuotaUse } from './quota-counter.js';
export type { RateLimitDecision, RateLimiter, RateLimitPolicy } from './rate-limiter.js';
export type { SecretSealer } from './secret-sealer.js';
export type { SmsMessage, SmsSender } from './sms-sender.js';
export type { UserDirectory } from './user-directory.js';
