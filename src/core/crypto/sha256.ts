import { hash } from 'node:crypto';

/**
 * SHA-256 of the UTF-8 bytes of `text`, as lower-case hex.
 *
 * Used to index secrets (API keys, claim tokens) so that storage only ever holds
 * their digests. The inputs are high-entropy, so a plain digest is enough; no salt
 * or slow hash is needed for lookup. Uses one-shot `crypto.hash`, several times
 * faster than `createHash().update().digest()` for short inputs, because
 * verification runs it on every request.
 */
export function sha256Hex(text: string): string {
  return hash('sha256', text, 'hex');
}
