import {
  accountStoreContract,
  clockContract,
  emailSenderContract,
  injectFaults,
  inMemoryAccountStore,
  inMemoryEmailSender,
  inMemoryRateLimiter,
  inMemorySmsSender,
  inMemoryUserDirectory,
  keyGeneratorContract,
  rateLimiterContract,
  runContractSuite,
  settableClock,
  smsSenderContract,
  storeLifecycleContract,
  userDirectoryContract,
} from 'api-accounts/testing';
import { describe, it } from 'vitest';
import { cryptoKeyGenerator } from '../../../src/core/system/crypto-key-generator.js';
import { systemClock } from '../../../src/core/system/system-clock.js';

describe('in-memory adapters', () => {
  runContractSuite(
    rateLimiterContract(() => inMemoryRateLimiter()),
    { describe, it },
  );
  runContractSuite(
    accountStoreContract(() => inMemoryAccountStore()),
    { describe, it },
  );
  runContractSuite(
    storeLifecycleContract(() => inMemoryAccountStore()),
    { describe, it },
  );
  runContractSuite(
    smsSenderContract(
      () => {
        const sms = inMemorySmsSender();
        return { sender: sms, delivered: () => sms.sent };
      },
      { makeRefusingSender: () => injectFaults(inMemorySmsSender(), { when: 'always' }) },
    ),
    { describe, it },
  );
  runContractSuite(
    emailSenderContract(
      () => {
        const email = inMemoryEmailSender();
        return { sender: email, delivered: () => email.sent };
      },
      { makeRefusingSender: () => injectFaults(inMemoryEmailSender(), { when: 'always' }) },
    ),
    { describe, it },
  );
  runContractSuite(
    clockContract(() => settableClock()),
    { describe, it },
  );
  runContractSuite(
    clockContract(() => systemClock()),
    { describe, it },
  );
  runContractSuite(
    keyGeneratorContract(() => cryptoKeyGenerator()),
    { describe, it },
  );
  runContractSuite(
    userDirectoryContract((emails) => inMemoryUserDirectory(emails)),
    { describe, it },
  );
});
