const BASE62_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const BASE = 62n;

/**
 * Encodes bytes (read as one big-endian unsigned integer) in base62 (`0-9A-Za-z`),
 * left-padded with `0` to exactly `width` characters, so that encoded values have a
 * fixed length and can be told apart by position.
 *
 * Returns `null` when the value does not fit in `width` characters.
 */
export function encodeBase62Fixed(bytes: Uint8Array, width: number): string | null {
  let value = 0n;
  for (const byte of bytes) {
    value = (value << 8n) | BigInt(byte);
  }
  return encodeBigIntBase62Fixed(value, width);
}

/**
 * Encodes a non-negative integer in base62, left-padded to exactly `width`
 * characters; `null` when it does not fit.
 */
export function encodeIntegerBase62Fixed(value: number, width: number): string | null {
  return encodeBigIntBase62Fixed(BigInt(value), width);
}

function encodeBigIntBase62Fixed(value: bigint, width: number): string | null {
  let rest = value;
  let out = '';
  while (rest > 0n) {
    out = BASE62_ALPHABET.charAt(Number(rest % BASE)) + out;
    rest /= BASE;
  }
  if (out.length > width) {
    return null;
  }
  return out.padStart(width, '0');
}

/**
 * Whether every character of `text` is in the base62 alphabet.
 */
export function isBase62(text: string): boolean {
  return /^[0-9A-Za-z]*$/.test(text);
}
