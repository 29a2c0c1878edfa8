/**
 * Encrypts API key secrets at rest, so that signed requests can be verified
 * (the verifier needs the key itself, not just its hash) without the store
 * ever holding a key in clear.
 *
 * Guarantees an adapter must give:
 * - `unseal(seal(secret, context), context)` returns `secret`.
 * - Authenticated: a sealed value that was altered, made under another
 *   context (another account), or under a key the sealer no longer has, is
 *   rejected (the promise rejects), never decrypted to garbage.
 * - Sealed values name the key they were made with, so a host can rotate its
 *   sealing key: new seals use the current key, old ones still unseal.
 *
 * @example
 * ```ts
 * const sealer: SecretSealer = aesGcmSealer({ keys: { k2026: keyBytes }, current: 'k2026' });
 * const sealed = await sealer.seal(secret, accountId);
 * ```
 */
export interface SecretSealer {
  /** Encrypts `secret`, bound to `context` (the account id). */
  seal(secret: Uint8Array, context: string): Promise<string>;
  /** Decrypts what `seal` made for the same `context`; rejects anything else. */
  unseal(sealed: string, context: string): Promise<Uint8Array>;
}
