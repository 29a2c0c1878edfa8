import { timingSafeEqual } from 'node:crypto';

/**
 * Compares two strings in time that depends only on their lengths, never on where
 * they first differ. Every comparison of a secret or of a digest of one goes
 * through here instead of `===`.
 *
 * Strings of different lengths are unequal; the length itself is not secret for
 * the fixed-size digests this is used on.
 *
 * @example
 * ```ts
 * constantTimeEqual(sha256Hex(presented), stored); // true only when identical
 * ```
 */
export function constantTimeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  if (left.length !== right.length) {
    return false;
  }
  return timingSafeEqual(left, right);
}
