import { encodeBase62Fixed, encodeIntegerBase62Fixed, isBase62 } from '../crypto/base62.js';
import { isBase64Run } from '../crypto/base64.js';
import { crc32 } from '../crypto/crc32.js';

/** Bytes of key material: 256 bits from the `KeyGenerator`. */
export const API_KEY_BYTES = 32;

/** Width of the key material in base62 (`62^43 > 2^256`). */
const PREFIXED_BODY_LENGTH = 43;
/** Width of the CRC32 in base62 (`62^6 > 2^32`). */
const PREFIXED_CHECKSUM_LENGTH = 6;
/** A prefix: starts with a letter; letters, digits and `_` (e.g. `ak_live`). */
const PREFIX_PATTERN = /^[A-Za-z][A-Za-z0-9_]{0,31}$/;
/** Length of standard base64 of 32 bytes: 43 characters and one `=`. */
const BASE64_KEY_LENGTH = 44;
/** The 43rd character carries only 4 bits of the 32nd byte, so its low 2 bits are zero. */
const BASE64_LAST = new Uint8Array(128);
for (const c of 'AEIMQUYcgkosw048') BASE64_LAST[c.charCodeAt(0)] = 1;

/**
 * Whether `key` is the canonical standard base64 of 32 bytes.
 */
export function isBase64Key(key: string): boolean {
  if (key.length !== BASE64_KEY_LENGTH || key.charCodeAt(43) !== 61 /* = */) return false;
  if (!isBase64Run(key, 0, 42)) return false;
  const last = key.charCodeAt(42);
  return last < 128 && BASE64_LAST[last] === 1;
}
/** Longest prefixed key: prefix (32) + `_` + body + checksum. */
const MAX_KEY_LENGTH = 32 + 1 + PREFIXED_BODY_LENGTH + PREFIXED_CHECKSUM_LENGTH;

/**
 * How new API keys are written. `'base64'` (the default) is what `SpektrixAPI3`
 * clients expect to base64-decode; `{ prefix }` gives greppable
 * `<prefix>_<base62 key><base62 CRC32>` keys for bearer-only deployments.
 *
 * @example
 * ```ts
 * const format: KeyFormat = { prefix: 'ak_live' };
 * ```
 */
export type KeyFormat = 'base64' | { readonly prefix: string };

/**
 * Outcome of {@link parseApiKey}: which format a presented key is in, or why it
 * cannot be any key this SDK issued.
 */
export type ParsedApiKey =
  | { readonly ok: true; readonly format: 'base64' | 'prefixed' }
  | { readonly ok: false; readonly reason: 'malformed_key' | 'bad_checksum' };

/**
 * Whether `prefix` can be used in a prefixed key format.
 */
export function isValidKeyPrefix(prefix: string): boolean {
  return PREFIX_PATTERN.test(prefix);
}

/**
 * Writes 32 bytes of key material as an API key in `format`.
 */
export function formatApiKey(material: Uint8Array, format: KeyFormat): string {
  if (format === 'base64') {
    return Buffer.from(material).toString('base64');
  }
  const body = `${format.prefix}_${encodeBase62Fixed(material, PREFIXED_BODY_LENGTH)}`;
  return body + checksumOf(body);
}

/**
 * Recognises a presented key's format without any storage lookup. A prefixed key
 * whose checksum does not match (a typo, a truncated paste) is refused here.
 * Both formats are always recognised, so keys issued before a `keyFormat`
 * change keep working.
 */
export function parseApiKey(key: string): ParsedApiKey {
  if (key.length > MAX_KEY_LENGTH) return { ok: false, reason: 'malformed_key' };
  if (isBase64Key(key)) return { ok: true, format: 'base64' };
  const tailLength = PREFIXED_BODY_LENGTH + PREFIXED_CHECKSUM_LENGTH;
  const separatorAt = key.length - tailLength - 1;
  if (separatorAt < 1 || key[separatorAt] !== '_') return { ok: false, reason: 'malformed_key' };
  const prefix = key.slice(0, separatorAt);
  const tail = key.slice(separatorAt + 1);
  if (!isValidKeyPrefix(prefix) || !isBase62(tail)) return { ok: false, reason: 'malformed_key' };
  const body = key.slice(0, key.length - PREFIXED_CHECKSUM_LENGTH);
  const checksum = key.slice(key.length - PREFIXED_CHECKSUM_LENGTH);
  // The checksum is public (derived from the key text), so comparing it with === leaks nothing secret.
  if (checksumOf(body) !== checksum) return { ok: false, reason: 'bad_checksum' };
  return { ok: true, format: 'prefixed' };
}

function checksumOf(body: string): string {
  return encodeIntegerBase62Fixed(crc32(body), PREFIXED_CHECKSUM_LENGTH) ?? '';
}
