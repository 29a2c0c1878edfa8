import type { KeyStanding } from './lifecycle/key-standing.js';

/**
 * Who a verified request acts as. Every API key acts in System Owner mode:
 * the SDK issues no agent keys and no payment rights.
 *
 * @example
 * ```ts
 * const principal = (await manager.verifyApiKey(key))._unsafeUnwrap();
 * principal.mode; // 'system-owner'
 * ```
 */
export interface Principal {
  readonly accountId: string;
  readonly username: string;
  readonly mode: 'system-owner';
  /** How the request proved itself: a bearer key, or a `SpektrixAPI3` signature. */
  readonly scheme: 'bearer' | 'SpektrixAPI3';
  /** `previous`: a key a rotation superseded, working until `keyExpiresAt`. */
  readonly keyState: 'current' | 'previous';
  /** When this key stops working: its expiry, or a previous key's end of grace; `null`: never. */
  readonly keyExpiresAt: Date | null;
  /**
   * Set while the key is deprecated: since the rotation that superseded it,
   * or since its expiry reminders began. The middleware then sends
   * `Deprecation` (RFC 9745) and `Sunset` (RFC 8594).
   */
  readonly deprecatedAt: Date | null;
}

/**
 * The principal a verified key or signature acts as: always System Owner.
 */
export function systemOwner(
  account: { readonly accountId: string; readonly username: string },
  scheme: Principal['scheme'],
  standing: KeyStanding,
): Principal {
  return {
    accountId: account.accountId,
    username: account.username,
    mode: 'system-owner',
    scheme,
    keyState: standing.keyState,
    keyExpiresAt: standing.keyExpiresAt,
    deprecatedAt: standing.deprecatedAt,
  };
}
