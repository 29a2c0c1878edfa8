import { describe, expect, it } from 'vitest';
import {
  generateClaimSecrets,
  isWellFormedClaimToken,
  normaliseClaimCode,
  storedClaimFor,
} from '../../../src/core/claim/claim-secrets.js';
import { claimCodeDigest, claimTokenDigest } from '../../../src/core/keys/secret-digests.js';

const counting = () => {
  let next = 0;
  return {
    randomBytes: (n: number) => Uint8Array.from({ length: n }, () => next++ % 256),
  };
};

describe('claim secrets', () => {
  it('draws a 43-character base64url token from 32 bytes and a six-digit code, hidden from JSON', () => {
    const secrets = generateClaimSecrets(counting());
    expect(secrets.token).toBe(
      Buffer.from(Uint8Array.from({ length: 32 }, (_, i) => i)).toString('base64url'),
    );
    expect(secrets.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(secrets.code).toMatch(/^\d{6}$/);
    expect(JSON.stringify(secrets)).not.toContain(secrets.token);
    expect(JSON.stringify(secrets)).not.toContain(secrets.code);
  });

  it('refuses a generator that answers the wrong number of bytes', () => {
    for (const bytes of [new Uint8Array(31), new Uint8Array(33), 'x'.repeat(32)]) {
      expect(() => generateClaimSecrets({ randomBytes: () => bytes as Uint8Array })).toThrow(
        'KeyGenerator returned the wrong number of bytes',
      );
    }
  });

  it('stores digests, the expiry and a fresh attempt budget', () => {
    const now = new Date('2026-12-06T10:00:00Z');
    const secrets = { token: 't'.repeat(43), code: '123456' };
    expect(storedClaimFor(secrets, now, { ttlMs: 60_000, maxAttempts: 3 })).toEqual({
      tokenHash: claimTokenDigest(secrets.token),
      codeHash: claimCodeDigest(secrets.token, secrets.code),
      openedAt: now,
      expiresAt: new Date('2026-12-06T10:01:00Z'),
      attempts: 0,
      maxAttempts: 3,
    });
  });

  it('knows a token by its shape alone', () => {
    expect(isWellFormedClaimToken('A'.repeat(43))).toBe(true);
    expect(isWellFormedClaimToken('-_'.repeat(21) + 'z')).toBe(true);
    for (const bad of [
      'A'.repeat(42),
      'A'.repeat(44),
      `${'A'.repeat(42)}=`,
      `${'A'.repeat(42)}+`,
      43,
      null,
    ]) {
      expect(isWellFormedClaimToken(bad)).toBe(false);
    }
  });

  it('reads a code with spaces and dashes between its digits, and leaves long input alone', () => {
    expect(normaliseClaimCode(' 123 456 ')).toBe('123456');
    expect(normaliseClaimCode('123-456')).toBe('123456');
    expect(normaliseClaimCode('12\t34\n56')).toBe('123456');
    expect(normaliseClaimCode(123456)).toBe('');
    const long = `${' 1'.repeat(32)} `;
    expect(long.length).toBe(65);
    expect(normaliseClaimCode(long)).toBe(long);
    expect(normaliseClaimCode(' 1'.repeat(32))).toBe('1'.repeat(32));
  });
});
