/**
 * One check of a port contract: a name and an async body that throws (an
 * `AssertionError`) when the adapter breaks the contract.
 *
 * @example
 * ```ts
 * const check: ContractCase = { name: 'returns a Date', run: async () => assert.ok(clock.now() instanceof Date) };
 * ```
 */
export interface ContractCase {
  readonly name: string;
  /** Resolves when the adapter keeps this part of the contract; rejects with an `AssertionError` when not. */
  readonly run: () => Promise<void>;
}

/**
 * The checks an adapter of one port must pass. Independent of any test runner:
 * run the cases with {@link runContractSuite}, or loop over them yourself.
 *
 * @example
 * ```ts
 * for (const check of suite.cases) test(`${suite.name}: ${check.name}`, check.run);
 * ```
 */
export interface ContractSuite {
  readonly name: string;
  readonly cases: readonly ContractCase[];
}

/**
 * The `describe` and `it` of any test runner with that shape: Vitest, Jest,
 * Mocha, or `node:test`.
 *
 * @example
 * ```ts
 * import { describe, it } from 'vitest';
 * const runner: TestRunner = { describe, it };
 * ```
 */
export interface TestRunner {
  /** Groups the cases under the suite's name. */
  readonly describe: (name: string, body: () => void) => unknown;
  /** Registers one case. */
  readonly it: (name: string, body: () => Promise<void>) => unknown;
}

/**
 * A value, or a promise of it: factories given to the contract suites may be
 * synchronous or asynchronous.
 *
 * @example
 * ```ts
 * const makeStore: () => MaybePromise<AccountStore> = async () => openStore();
 * ```
 */
export type MaybePromise<T> = T | Promise<T>;

/**
 * Registers every case of `suite` with the given runner, inside one `describe`.
 *
 * @example
 * ```ts
 * import { describe, it } from 'vitest';
 * import { accountStoreContract, runContractSuite } from 'api-accounts/testing';
 *
 * runContractSuite(accountStoreContract(() => myStore()), { describe, it });
 * ```
 */
export function runContractSuite(suite: ContractSuite, runner: TestRunner): void {
  runner.describe(suite.name, () => {
    for (const check of suite.cases) {
      runner.it(check.name, check.run);
    }
  });
}
