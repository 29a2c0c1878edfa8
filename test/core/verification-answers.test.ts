import { describe, expect, it } from 'vitest';
import { isKeyHolderAnswer, isSignerAnswer } from '../../src/core/verification-answers.js';

const holder = { accountId: 'acct_1', username: 'ACME', active: true, keyHash: 'ab12' };
const signer = { ...holder, sealedSecret: 'k1.sealed' };

describe('the shapes verification accepts from the store', () => {
  it('accepts a holder, a signer with or without a key, and null', () => {
    expect(isKeyHolderAnswer(holder)).toBe(true);
    expect(isKeyHolderAnswer(null)).toBe(true);
    expect(isSignerAnswer(signer)).toBe(true);
    expect(isSignerAnswer({ ...signer, keyHash: null, sealedSecret: null })).toBe(true);
    expect(isSignerAnswer(null)).toBe(true);
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
          : { ...answer, sealedSecret: null },
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
