import {
  cryptoKeyGenerator,
  inMemoryAccountStore,
  inMemoryEmailSender,
  inMemoryRateLimiter,
  inMemorySmsSender,
  inMemoryUserDirectory,
  settableClock,
  systemClock,
} from 'api-accounts';
import {
  accountStoreContract,
  clockContract,
  emailSenderContract,
  injectFaults,
  keyGeneratorContract,
  rateLimiterContract,
  runContractSuite,
  smsSenderContract,
  storeLifecycleContract,
  userDirectoryContract,
} from 'api-accounts/testing';
import { describe, it } from 'vitest';

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
