import { createHash } from 'node:crypto';

/**
 * SHA-256 of the UTF-8 bytes of `text`, as lower-case hex.
 *
 * Used to index secrets (API keys, claim tokens) so that storage only ever holds
 * their digests. The inputs are high-entropy, so a plain digest is enough; no salt
 * or slow hash is needed for lookup.
 *
 * @example
 * ```ts
 * sha256Hex('abc'); // 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'
 * ```
 */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
