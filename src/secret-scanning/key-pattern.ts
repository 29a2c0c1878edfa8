import { isValidKeyPrefix } from '../core/keys/api-key-format.js';

/**
 * The regular expression of prefixed keys (`keyFormat: { prefix }`) to
 * register with a secret scanner: the prefix, `_`, 43 base62 characters of
 * key and 6 of CRC32. `.source` is the text to send GitHub. The checksum
 * lets the scanner's findings be checked without a lookup, so a near-miss
 * costs nothing. Throws a `TypeError` for a prefix `keyFormat` would refuse.
 *
 * @example
 * ```ts
 * keyPattern('ak_live').source; // '\\bak_live_[0-9A-Za-z]{49}\\b'
 * keyPattern('ak_live').test(readFileSync('.env', 'utf8'));
 * ```
 */
export function keyPattern(prefix: string): RegExp {
  if (!isValidKeyPrefix(prefix)) {
    throw new TypeError('keyPattern: the prefix is a letter, then up to 31 letters, digits or _');
  }
  return new RegExp(`\\b${prefix}_[0-9A-Za-z]{49}\\b`);
}
