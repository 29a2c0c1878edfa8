import type { StoredClaim } from '../../ports/account-store.js';
import type { KeyGenerator } from '../../ports/key-generator.js';
import { randomDigits } from '../crypto/random.js';
import { claimCodeDigest, claimTokenDigest } from '../keys/secret-digests.js';
import { hideFromSerialisation } from '../redact-secrets.js';

/** Bytes of randomness in a claim link token (256 bits; the issue asks for at least 128). */
const CLAIM_TOKEN_BYTES = 32;
/** Digits in the SMS code. */
export const CLAIM_CODE_LENGTH = 6;
/** A token as issued: 32 bytes in unpadded base64url. */
const CLAIM_TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/**
 * The two secrets of a claim, in clear, alive only while the messages are sent.
 * `toJSON` and `inspect` redact them so a stray log line cannot leak them.
 */
export interface ClaimSecrets {
  /** Travels only in the email link. */
  readonly token: string;
  /** Travels only by SMS. */
  readonly code: string;
}

/**
 * Draws a fresh link token and SMS code from `keys`.
 */
export function generateClaimSecrets(keys: KeyGenerator): ClaimSecrets {
  const tokenBytes = keys.randomBytes(CLAIM_TOKEN_BYTES);
  if (!(tokenBytes instanceof Uint8Array) || tokenBytes.length !== CLAIM_TOKEN_BYTES) {
    throw new Error('KeyGenerator returned the wrong number of bytes');
  }
  const secrets = {
    token: Buffer.from(tokenBytes).toString('base64url'),
    code: randomDigits(keys, CLAIM_CODE_LENGTH),
  };
  return hideFromSerialisation(secrets);
}

/**
 * The claim as stored: digests of the secrets, the expiry and the attempt budget.
 */
export function storedClaimFor(
  secrets: ClaimSecrets,
  now: Date,
  policy: { readonly ttlMs: number; readonly maxAttempts: number },
): StoredClaim {
  return {
    tokenHash: claimTokenDigest(secrets.token),
    codeHash: claimCodeDigest(secrets.token, secrets.code),
    openedAt: now,
    expiresAt: new Date(now.getTime() + policy.ttlMs),
    attempts: 0,
    maxAttempts: policy.maxAttempts,
  };
}

/**
 * Whether `token` has the shape of a token this SDK issues; anything else is
 * refused without a storage lookup.
 */
export function isWellFormedClaimToken(token: unknown): token is string {
  return typeof token === 'string' && CLAIM_TOKEN_PATTERN.test(token);
}

/**
 * The code as the partner may type it: spaces and dashes between digits are
 * dropped, so `123 456` and `123-456` count as `123456`.
 */
export function normaliseClaimCode(code: unknown): string {
  if (typeof code !== 'string') return '';
  return code.length > 64 ? code : code.replace(/[\s-]/g, '');
}
