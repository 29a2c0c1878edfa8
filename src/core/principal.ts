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
}

/**
 * The principal a verified key or signature acts as: always System Owner.
 */
export function systemOwner(
  account: { readonly accountId: string; readonly username: string },
  scheme: Principal['scheme'],
): Principal {
  return { accountId: account.accountId, username: account.username, mode: 'system-owner', scheme };
}
