import { describe, expect, it } from 'vitest';
import { claimState, decideClaimAttempt } from '../../../src/core/claim/claim-decision.js';
import { normaliseClaimCode } from '../../../src/core/claim/claim-secrets.js';
import { maskPhone } from '../../../src/core/claim/mask-phone.js';
import { at, openClaim, T0 } from '../../../src/testing/store-fixtures.js';

describe('decideClaimAttempt', () => {
  const expiresAt = at(1000);
  // Every combination of the four inputs, with the answer R4 requires.
  const table = [
    // expired, attempts used (of 5), active, code right → decision
    [true, 0, true, true, 'expired'],
    [true, 5, false, false, 'expired'],
    [false, 5, true, true, 'locked'],
    [false, 5, false, false, 'locked'],
    [false, 4, false, true, 'inactive'],
    [false, 0, false, false, 'inactive'],
    [false, 4, true, false, 'wrong_code'],
    [false, 0, true, false, 'wrong_code'],
    [false, 4, true, true, 'issue_key'],
    [false, 0, true, true, 'issue_key'],
  ] as const;
  it.each(table)(
    'expired=%s attempts=%i active=%s right=%s → %s',
    (expired, attempts, active, right, kind) => {
      const claim = openClaim({ expiresAt, attempts, maxAttempts: 5 });
      const now = expired ? expiresAt : at(999);
      expect(decideClaimAttempt({ claim, accountActive: active, now, codeMatches: right })).toEqual(
        { kind },
      );
    },
  );

  it('treats the expiry instant itself as expired', () => {
    const claim = openClaim({ expiresAt });
    expect(claimState(claim, true, new Date(expiresAt.getTime() - 1))).toEqual({
      kind: 'open',
      attemptsRemaining: 5,
    });
    expect(claimState(claim, true, expiresAt)).toEqual({ kind: 'expired' });
  });

  it('reports the attempts remaining', () => {
    expect(claimState(openClaim({ attempts: 3, maxAttempts: 5, expiresAt }), true, T0)).toEqual({
      kind: 'open',
      attemptsRemaining: 2,
    });
  });
});

describe('maskPhone', () => {
  it.each([
    ['+447894123456', '+44 ••••••• 456'],
    ['+12015550123', '+1 ••••••• 123'],
    ['+33612345678', '+33 •••••• 678'],
  ])('masks %s as %s', (phone, masked) => {
    expect(maskPhone(phone)).toBe(masked);
  });
});

describe('claim code input', () => {
  it('drops spaces and dashes only', () => {
    expect(normaliseClaimCode(' 123 456 ')).toBe('123456');
    expect(normaliseClaimCode('123-456')).toBe('123456');
    expect(normaliseClaimCode('12a456')).toBe('12a456');
    expect(normaliseClaimCode(123456)).toBe('');
  });
});
