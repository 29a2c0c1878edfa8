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
  /** The tenant (venue) the account belongs to: `'default'` for single-tenant hosts. */
  readonly tenant: string;
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
  /**
   * The scopes the account holds. The middleware's `{ scopes }` option
   * refuses a request whose key lacks one with 403 `insufficient_scope`.
   */
  readonly scopes: readonly string[];
  /** Where the account's rate limit stands after this request; `null` when none applies. */
  readonly rateLimit: RateLimitStatus | null;
  /** Where the account's quota stands after this request; `null` when none applies. */
  readonly quota: PrincipalQuota | null;
}

/**
 * An account's quota after an accepted request: `remaining` units are left
 * in the period, which ends at `resetsAt`.
 *
 * @example
 * ```ts
 * const quota: PrincipalQuota = { limit: 10_000, remaining: 9_999, resetsAt: new Date('2027-01-01T00:00:00Z') };
 * ```
 */
export interface PrincipalQuota {
  readonly limit: number;
  readonly remaining: number;
  readonly resetsAt: Date;
}

/**
 * An account's rate limit after an accepted request, for the `RateLimit`
 * headers: `remaining` requests could be made at once now, and the whole
 * budget is back in `resetAfterMs`.
 *
 * @example
 * ```ts
 * const status: RateLimitStatus = { limit: 600, windowMs: 60_000, remaining: 599, resetAfterMs: 100 };
 * ```
 */
export interface RateLimitStatus {
  readonly limit: number;
  readonly windowMs: number;
  readonly remaining: number;
  readonly resetAfterMs: number;
}

/**
 * The principal a verified key or signature acts as: always System Owner,
 * within the account's scopes.
 */
export function systemOwner(
  account: {
    readonly accountId: string;
    readonly tenant: string;
    readonly username: string;
    readonly access: { readonly scopes: readonly string[] };
  },
  scheme: Principal['scheme'],
  standing: KeyStanding,
  rateLimit: RateLimitStatus | null,
  quota: PrincipalQuota | null,
): Principal {
  return {
    accountId: account.accountId,
    tenant: account.tenant,
    username: account.username,
    mode: 'system-owner',
    scheme,
    keyState: standing.keyState,
    keyExpiresAt: standing.keyExpiresAt,
    deprecatedAt: standing.deprecatedAt,
    scopes: account.access.scopes,
    rateLimit,
    quota,
  };
}
