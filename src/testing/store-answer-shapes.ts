import assert from 'node:assert/strict';
import { isRecord } from '../core/is-record.js';
import type { AccountEvent, AccountRecord, AccountStore } from '../ports/account-store.js';

/*
 * Shape checks of what an `AccountStore` answers, field by field. The core
 * checks only what verification reads; `accountStoreContract` runs every
 * answer through these, so an adapter proves its shapes with the contract.
 */

type Check<T> = (value: unknown) => value is T;

const isDate = (value: unknown): value is Date =>
  value instanceof Date && !Number.isNaN(value.getTime());
const isString = (value: unknown): value is string => typeof value === 'string';
const isCount = (value: unknown): value is number =>
  Number.isSafeInteger(value) && (value as number) >= 0;

const isNullableDate = (value: unknown) => value === null || isDate(value);

function isStoredKey(value: unknown): boolean {
  return (
    value === null ||
    (isRecord(value) &&
      isString(value['hash']) &&
      isDate(value['issuedAt']) &&
      isNullableDate(value['expiresAt']) &&
      isCount(value['remindersSent']) &&
      typeof value['expiryRecorded'] === 'boolean')
  );
}

function isPreviousKey(value: unknown): boolean {
  return (
    value === null ||
    (isRecord(value) &&
      isString(value['hash']) &&
      isDate(value['supersededAt']) &&
      isDate(value['endsAt']) &&
      (value['graceAfterClaimMs'] === null || isCount(value['graceAfterClaimMs'])))
  );
}

function isStoredClaim(value: unknown): boolean {
  return (
    value === null ||
    (isRecord(value) &&
      isString(value['tokenHash']) &&
      isString(value['codeHash']) &&
      isDate(value['expiresAt']) &&
      isCount(value['attempts']) &&
      isCount(value['maxAttempts']))
  );
}

/** Whether `value` has the shape of an {@link AccountRecord}. */
export const isAccountRecord: Check<AccountRecord> = (value): value is AccountRecord =>
  isRecord(value) &&
  isString(value['id']) &&
  isString(value['tenant']) &&
  isString(value['username']) &&
  isString(value['usernameKey']) &&
  isString(value['email']) &&
  isString(value['phone']) &&
  typeof value['active'] === 'boolean' &&
  isCount(value['version']) &&
  isDate(value['createdAt']) &&
  isDate(value['updatedAt']) &&
  isStoredKey(value['key']) &&
  isPreviousKey(value['previousKey']) &&
  isStoredClaim(value['claim']) &&
  isNullableDate(value['lastUsedAt']);

const isEvent: Check<AccountEvent> = (value): value is AccountEvent =>
  isRecord(value) &&
  isString(value['type']) &&
  isString(value['accountId']) &&
  isString(value['tenant']) &&
  (value['actorId'] === null || isString(value['actorId'])) &&
  isDate(value['at']);

const isNullableString = (value: unknown) => value === null || isString(value);

const isKeyHolder = (value: unknown): boolean =>
  isRecord(value) &&
  isString(value['accountId']) &&
  isString(value['tenant']) &&
  isString(value['username']) &&
  typeof value['active'] === 'boolean' &&
  isString(value['keyHash']) &&
  (value['keyState'] === 'current' || value['keyState'] === 'previous') &&
  isNullableDate(value['expiresAt']) &&
  isNullableDate(value['supersededAt']);

const isSignerPrevious = (value: unknown): boolean =>
  value === null ||
  (isRecord(value) &&
    isString(value['keyHash']) &&
    isNullableString(value['sealedSecret']) &&
    isDate(value['supersededAt']) &&
    isDate(value['endsAt']));

const isSigner = (value: unknown): boolean =>
  isRecord(value) &&
  isString(value['accountId']) &&
  isString(value['tenant']) &&
  isString(value['username']) &&
  typeof value['active'] === 'boolean' &&
  isNullableString(value['keyHash']) &&
  isNullableString(value['sealedSecret']) &&
  isNullableDate(value['keyExpiresAt']) &&
  isSignerPrevious(value['previous']);

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
    isRecord(value) &&
    isString(value['outcome']) &&
    (plain.includes(value['outcome']) ||
      (withAccount.includes(value['outcome']) && isAccountRecord(value['account'])));

const isFailedAttemptOutcome = (value: unknown): boolean =>
  isOutcome(['locked', 'gone'])(value) ||
  (isRecord(value) &&
    value['outcome'] === 'counted' &&
    isCount(value['attempts']) &&
    isCount(value['maxAttempts']));

type StoreMethod = Exclude<keyof AccountStore, 'invalidations' | 'readChangesSince'>;

/** For each store method, the check its answer must pass. */
export const storeAnswerChecks: { readonly [M in StoreMethod]: (value: unknown) => boolean } = {
  insertAccount: isOutcome(['inserted', 'username_taken', 'email_taken']),
  findAccountById: isRecordOrNull,
  findKeyHolder: (value) => value === null || isKeyHolder(value),
  findSigner: (value) => value === null || isSigner(value),
  findAccountByClaimToken: isRecordOrNull,
  listAccounts: isListOf(isAccountRecord),
  listDueAccounts: isListOf(isAccountRecord),
  countAccounts: isCount,
  applyAccountChange: isOutcome(
    ['not_found', 'version_conflict', 'username_taken', 'email_taken'],
    ['applied'],
  ),
  recordFailedClaimAttempt: isFailedAttemptOutcome,
  completeClaim: isOutcome(['gone', 'locked', 'expired', 'inactive'], ['completed']),
  listEvents: isListOf(isEvent),
  deleteAccount: isOutcome(['deleted', 'not_found', 'version_conflict']),
  recordUsage: (value) => value === undefined,
  readUsage: isListOf(
    (value: unknown): value is { day: string } =>
      isRecord(value) &&
      isString(value['day']) &&
      /^\d{4}-\d{2}-\d{2}$/.test(value['day']) &&
      isCount(value['accepted']) &&
      isCount(value['refused']),
  ),
};

/**
 * `store` with every answer checked against {@link storeAnswerChecks}: an
 * answer of the wrong shape fails the contract case that received it.
 */
export function checkingAnswers(store: AccountStore): AccountStore {
  return new Proxy(store, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      const check = storeAnswerChecks[property as StoreMethod];
      if (typeof value !== 'function' || !check) return value;
      return async (...args: unknown[]) => {
        const answer: unknown = await value.apply(target, args);
        assert.ok(check(answer), `${String(property)} answered with data of the wrong shape`);
        return answer;
      };
    },
  });
}
