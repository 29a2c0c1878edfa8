import { describe, expect, it } from 'vitest';
import { isKeyHolderAnswer, isSignerAnswer } from '../../src/core/store-answers.js';

const holder = {
  accountId: 'acct_1',
  tenant: 'default',
  username: 'ACME',
  active: true,
  keyHash: 'ab12',
  keyState: 'current',
  expiresAt: null,
  supersededAt: null,
};
const signer = {
  accountId: 'acct_1',
  tenant: 'default',
  username: 'ACME',
  active: true,
  keyHash: 'ab12',
  sealedSecret: 'k1.sealed',
  keyExpiresAt: null,
  previous: null,
};
const later = new Date('2026-12-01T00:00:00Z');

describe('the shapes verification accepts from the store', () => {
  it('accepts a holder, a signer with or without a key, and null', () => {
    expect(isKeyHolderAnswer(holder)).toBe(true);
    expect(isKeyHolderAnswer(null)).toBe(true);
    expect(isSignerAnswer(signer)).toBe(true);
    expect(isSignerAnswer({ ...signer, keyHash: null, sealedSecret: null })).toBe(true);
    expect(isSignerAnswer(null)).toBe(true);
  });

  it('accepts a current key with or without an expiry, and a previous key with its end', () => {
    expect(isKeyHolderAnswer({ ...holder, expiresAt: later })).toBe(true);
    expect(
      isKeyHolderAnswer({ ...holder, keyState: 'previous', expiresAt: later, supersededAt: later }),
    ).toBe(true);
    const previous = { keyHash: 'cd34', sealedSecret: null, supersededAt: later, endsAt: later };
    expect(isSignerAnswer({ ...signer, keyExpiresAt: later, previous })).toBe(true);
  });

  it.each([
    ['keyState missing', { ...holder, keyState: undefined }],
    ['keyState unknown', { ...holder, keyState: 'old' }],
    ['expiresAt a number', { ...holder, expiresAt: 1 }],
    ['expiresAt an invalid Date', { ...holder, expiresAt: new Date(Number.NaN) }],
    ['a previous key without its end', { ...holder, keyState: 'previous', expiresAt: null }],
    ['supersededAt a string', { ...holder, supersededAt: '2026-12-01' }],
  ])('refuses a holder with %s: its deadline decides who gets in', (_, answer) => {
    expect(isKeyHolderAnswer(answer)).toBe(false);
  });

  it.each([
    ['keyExpiresAt a string', { ...signer, keyExpiresAt: '2026-12-01' }],
    ['keyExpiresAt missing', { ...signer, keyExpiresAt: undefined }],
    ['previous missing', { ...signer, previous: undefined }],
    [
      'a previous key without its end',
      { ...signer, previous: { keyHash: 'cd34', sealedSecret: null, supersededAt: later } },
    ],
    [
      'a previous key without a hash',
      { ...signer, previous: { sealedSecret: null, supersededAt: later, endsAt: later } },
    ],
    [
      'a previous key with a numeric secret',
      {
        ...signer,
        previous: { keyHash: 'cd34', sealedSecret: 1, supersededAt: later, endsAt: later },
      },
    ],
  ])('refuses a signer with %s', (_, answer) => {
    expect(isSignerAnswer(answer)).toBe(false);
  });

  it.each([
    ['undefined', undefined],
    ['a string', 'acct_1'],
    ['accountId missing', { ...holder, accountId: undefined }],
    ['accountId a number', { ...holder, accountId: 1 }],
    ['username missing', { ...holder, username: undefined }],
    ['username a number', { ...holder, username: 7 }],
    ['active a string', { ...holder, active: 'true' }],
    ['active missing', { ...holder, active: undefined }],
    ['active 1', { ...holder, active: 1 }],
  ])('refuses %s, as holder and as signer', (_, answer) => {
    expect(isKeyHolderAnswer(answer)).toBe(false);
    expect(
      isSignerAnswer(
        answer === undefined || typeof answer === 'string'
          ? answer
          : { ...answer, sealedSecret: null, keyExpiresAt: null, previous: null },
      ),
    ).toBe(false);
  });

  it('refuses a holder whose keyHash is not a string, and a signer whose key fields are not string or null', () => {
    expect(isKeyHolderAnswer({ ...holder, keyHash: null })).toBe(false);
    expect(isKeyHolderAnswer({ ...holder, keyHash: 12 })).toBe(false);
    expect(isSignerAnswer({ ...signer, keyHash: 12 })).toBe(false);
    expect(isSignerAnswer({ ...signer, keyHash: undefined })).toBe(false);
    expect(isSignerAnswer({ ...signer, sealedSecret: 12 })).toBe(false);
    expect(isSignerAnswer({ ...signer, sealedSecret: undefined })).toBe(false);
  });
});
