import type { KeyHolder, Signer } from '../ports/account-store.js';
import { isRecord } from './is-record.js';

/*
 * Shape checks of the two store answers verification reads. `active` decides
 * who gets in, so an answer the core does not understand must refuse as
 * `StoreUnavailable`, never let a request through. Every other answer's shape
 * is the adapter's to prove, with `accountStoreContract`.
 */

const isNullableString = (value: unknown) => value === null || typeof value === 'string';
const isDate = (value: unknown) => value instanceof Date && !Number.isNaN(value.getTime());
const isNullableDate = (value: unknown) => value === null || isDate(value);

const isHolder = (value: Record<string, unknown>) =>
  typeof value['accountId'] === 'string' &&
  typeof value['tenant'] === 'string' &&
  typeof value['username'] === 'string' &&
  typeof value['active'] === 'boolean';

/** Whether `value` is what `findKeyHolder` may answer: a {@link KeyHolder} or `null`. */
export const isKeyHolderAnswer = (value: unknown): value is KeyHolder | null =>
  value === null ||
  (isRecord(value) &&
    isHolder(value) &&
    typeof value['keyHash'] === 'string' &&
    (value['keyState'] === 'current'
      ? isNullableDate(value['expiresAt'])
      : value['keyState'] === 'previous' && isDate(value['expiresAt'])) &&
    isNullableDate(value['supersededAt']));

const isSignerPrevious = (value: unknown) =>
  value === null ||
  (isRecord(value) &&
    typeof value['keyHash'] === 'string' &&
    isNullableString(value['sealedSecret']) &&
    isDate(value['endsAt']) &&
    isDate(value['supersededAt']));

/** Whether `value` is what `findSigner` may answer: a {@link Signer} or `null`. */
export const isSignerAnswer = (value: unknown): value is Signer | null =>
  value === null ||
  (isRecord(value) &&
    isHolder(value) &&
    isNullableString(value['keyHash']) &&
    isNullableString(value['sealedSecret']) &&
    isNullableDate(value['keyExpiresAt']) &&
    isSignerPrevious(value['previous']));
