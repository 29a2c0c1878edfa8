import { sha256Hex } from '../crypto/sha256.js';

/**
 * The digests under which secrets are stored and looked up. Claim secrets are
 * domain separated so that a digest of one kind can never match another kind.
 *
 * @module
 */

/**
 * The stored and looked-up form of an API key: the plain SHA-256 of the key
 * string, so that hosts migrating existing keys can compute it with any tool.
 */
export function apiKeyDigest(apiKey: string): string {
  return sha256Hex(apiKey);
}

/**
 * The stored and looked-up form of a claim link token.
 */
export function claimTokenDigest(token: string): string {
  return sha256Hex(`api-accounts/claim-token:${token}`);
}

/**
 * The stored form of a claim code, bound to its token: with only six digits, a
 * digest of the code alone could be reversed by trying all million codes, but
 * without the token (stored only as its own digest) it cannot.
 */
export function claimCodeDigest(token: string, code: string): string {
  return sha256Hex(`api-accounts/claim-code:${token}:${code}`);
}
