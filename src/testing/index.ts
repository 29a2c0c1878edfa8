/**
 * Tools for testing adapters and hosts: a contract suite per port, so that any
 * adapter (ours or yours) proves itself in one call; fault-injecting wrappers;
 * an in-memory double of every port (what `inMemoryPorts` is made of), a
 * settable clock; and `smsSegments`, to check that a template fits one SMS.
 *
 * The suites use `node:assert` and run under any runner with `describe`/`it`.
 *
 * @example
 * ```ts
 * import { describe, it } from 'vitest';
 * import { accountStoreContract, runContractSuite } from 'api-accounts/testing';
 * import { createMyStore } from '../src/my-store.js';
 *
 * runContractSuite(accountStoreContract(() => createMyStore()), { describe, it });
 * ```
 *
 * @module api-accounts/testing
 */
export {
  type InMemoryAccountStore,
  inMemoryAccountStore,
} from '../adapters/memory/memory-account-store.js';
export { inMemoryInvalidationBus } from '../adapters/memory/memory-invalidation-bus.js';
export {
  type InMemoryEmailSender,
  type InMemorySmsSender,
  inMemoryEmailSender,
  inMemorySmsSender,
} from '../adapters/memory/memory-senders.js';
export {
  type InMemoryUserDirectory,
  inMemoryUserDirectory,
} from '../adapters/memory/memory-user-directory.js';
export { type SettableClock, settableClock } from '../adapters/memory/settable-clock.js';
export {
  type InMemoryQuotaCounterOptions,
  inMemoryQuotaCounter,
} from '../core/access/in-memory-quota-counter.js';
export {
  type InMemoryRateLimiterOptions,
  inMemoryRateLimiter,
} from '../core/access/in-memory-rate-limiter.js';
export { type SmsSegments, smsSegments } from '../core/messages/sms-segments.js';
export {
  type AccountStoreContractOptions,
  accountStoreContract,
} from './account-store-contract.js';
export {
  type ContractCase,
  type ContractSuite,
  type MaybePromise,
  runContractSuite,
  type TestRunner,
} from './contract.js';
export {
  type FaultKind,
  type FaultPlan,
  type FaultSchedule,
  injectFaults,
} from './inject-faults.js';
export { storeLifecycleContract } from './lifecycle-contract.js';
export { quotaCounterContract } from './quota-counter-contract.js';
export { latestClaim } from './read-claim.js';
export {
  clockContract,
  type EmailSenderHarness,
  emailSenderContract,
  keyGeneratorContract,
  type RefusalOption,
  rateLimiterContract,
  type SmsSenderHarness,
  smsSenderContract,
  userDirectoryContract,
} from './simple-port-contracts.js';
