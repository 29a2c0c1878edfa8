/**
 * Compares two strings in time that depends only on their lengths, never on where
 * they first differ: every code unit is compared and the differences are OR-ed
 * together, with no early exit. Every comparison of a secret or of a digest of
 * one goes through here instead of `===`.
 *
 * Strings of different lengths are unequal at once; the length is not secret
 * for the fixed-size digests and signatures this is used on.
 */
export function constantTimeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i++) {
    difference |= a.charCodeAt(i) ^ b.charCodeAt(i);
  }
  return difference === 0;
}
