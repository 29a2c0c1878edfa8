/**
 * A cryptographically secure source of random bytes. API keys, claim tokens,
 * claim codes and account ids all derive from it.
 *
 * Guarantees an adapter must give:
 * - `randomBytes(n)` returns a fresh `Uint8Array` of exactly `n` bytes from a
 *   CSPRNG (`crypto.getRandomValues`, `node:crypto`), never a predictable
 *   sequence outside tests.
 *
 * @example
 * ```ts
 * import { randomBytes } from 'node:crypto';
 * const keys: KeyGenerator = { randomBytes: (n) => new Uint8Array(randomBytes(n)) };
 * ```
 */
export interface KeyGenerator {
  /** Exactly `length` fresh bytes from a CSPRNG. */
  randomBytes(length: number): Uint8Array;
}
