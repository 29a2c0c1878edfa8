import type { AccountEventRecord, AccountRecord, AccountStore } from '../ports/account-store.js';

/**
 * Shape checks of what an `AccountStore` answers. A store is the host's code
 * (or its database driver); an answer the core does not understand must become
 * `StoreUnavailable`, never a success built on garbage.
 *
 * @module
 */

type Check<T> = (value: unknown) => value is T;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null;
const isDate = (value: unknown): value is Date =>
  value instanceof Date && !Number.isNaN(value.getTime());
const isString = (value: unknown): value is string => typeof value === 'string';
const isCount = (value: unknown): value is number =>
  Number.isSafeInteger(value) && (value as number) >= 0;

function isStoredKey(value: unknown): boolean {
  return (
    value === null || (isObject(value) && isString(value['hash']) && isDate(value['issuedAt']))
  );
}

function isStoredClaim(value: unknown): boolean {
  return (
    value === null ||
    (isObject(value) &&
      isString(value['tokenHash']) &&
      isString(value['codeHash']) &&
      isDate(value['expiresAt']) &&
      isCount(value['attempts']) &&
      isCount(value['maxAttempts']))
  );
}

/**
 * Whether `value` has the shape of an {@link AccountRecord}.
 *
 * @example
 * ```ts
 * isAccountRecord(await store.findAccountById(id));
 * ```
 */
export const isAccountRecord: Check<AccountRecord> = (value): value is AccountRecord =>
  isObject(value) &&
  isString(value['id']) &&
  isString(value['username']) &&
  isString(value['usernameKey']) &&
  isString(value['email']) &&
  isString(value['phone']) &&
  typeof value['active'] === 'boolean' &&
  isCount(value['version']) &&
  isDate(value['createdAt']) &&
  isDate(value['updatedAt']) &&
  isStoredKey(value['key']) &&
  isStoredClaim(value['claim']);

const isEvent: Check<AccountEventRecord> = (value): value is AccountEventRecord =>
  isObject(value) &&
  isString(value['type']) &&
  isString(value['accountId']) &&
  (value['actorId'] === null || isString(value['actorId'])) &&
  isDate(value['at']);

const isKeyHolder = (value: unknown): boolean =>
  isObject(value) &&
  isString(value['accountId']) &&
  isString(value['username']) &&
  typeof value['active'] === 'boolean' &&
  isString(value['keyHash']);

const isNullableString = (value: unknown) => value === null || isString(value);

const isSigner = (value: unknown): boolean =>
  isObject(value) &&
  isString(value['accountId']) &&
  isString(value['username']) &&
  typeof value['active'] === 'boolean' &&
  isNullableString(value['keyHash']) &&
  isNullableString(value['sealedSecret']);

const isRecordOrNull = (value: unknown): value is AccountRecord | null =>
  value === null || isAccountRecord(value);

const isListOf =
  <T>(check: Check<T>) =>
  (value: unknown): value is T[] =>
    Array.isArray(value) && value.every(check);

/** An outcome object: `outcome` is one of `plain`, or one of `withAccount` and carries a valid account. */
const isOutcome =
  (plain: readonly string[], withAccount: readonly string[] = []) =>
  (value: unknown): boolean =>
    isObject(value) &&
    isString(value['outcome']) &&
    (plain.includes(value['outcome']) ||
      (withAccount.includes(value['outcome']) && isAccountRecord(value['account'])));

const isFailedAttemptOutcome = (value: unknown): boolean =>
  isOutcome(['locked', 'gone'])(value) ||
  (isObject(value) &&
    value['outcome'] === 'counted' &&
    isCount(value['attempts']) &&
    isCount(value['maxAttempts']));

/**
 * The store's methods the operations call (everything but the optional
 * `invalidations` bus and change feed, which the cache's catch-up reads).
 */
export type StoreMethod = Exclude<keyof AccountStore, 'invalidations' | 'readChangesSince'>;

/**
 * For each store method, the check its answer must pass.
 *
 * @example
 * ```ts
 * storeAnswerChecks.findAccountById(answer); // false for 42
 * ```
 */
export const storeAnswerChecks: { readonly [M in StoreMethod]: (value: unknown) => boolean } = {
  insertAccount: isOutcome(['inserted', 'username_taken', 'email_taken']),
  findAccountById: isRecordOrNull,
  findKeyHolder: (value) => value === null || isKeyHolder(value),
  findSigner: (value) => value === null || isSigner(value),
  findAccountByClaimToken: isRecordOrNull,
  listAccounts: isListOf(isAccountRecord),
  applyAccountChange: isOutcome(
    ['not_found', 'version_conflict', 'username_taken', 'email_taken'],
    ['applied'],
  ),
  recordFailedClaimAttempt: isFailedAttemptOutcome,
  completeClaim: isOutcome(['gone', 'locked', 'expired', 'inactive'], ['completed']),
  listEvents: isListOf(isEvent),
};
