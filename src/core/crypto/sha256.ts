import { hash } from 'node:crypto';

/**
 * SHA-256 of the UTF-8 bytes of `text`, as lower-case hex.
 *
 * Used to index secrets (API keys, claim tokens) so that storage only ever holds
 * their digests. The inputs are high-entropy, so a plain digest is enough; no salt
 * or slow hash is needed for lookup. Uses one-shot `crypto.hash`, several times
 * faster than `createHash().update().digest()` for short inputs, because
 * verification runs it on every request.
 *
 * @example
 * ```ts
 * sha256Hex('abc'); // 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'
 * ```
 */
export function sha256Hex(text: string): string {
  return hash('sha256', text, 'hex');
}
