import { inMemoryQuotaCounter } from 'api-accounts';
import { quotaCounterContract, runContractSuite } from 'api-accounts/testing';
import { describe, it } from 'vitest';

describe('inMemoryQuotaCounter', () => {
  runContractSuite(
    quotaCounterContract(() => inMemoryQuotaCounter()),
    { describe, it },
  );
});
