import type { QuotaPolicy } from '../../ports/quota-counter.js';
import type { RateLimitPolicy } from '../../ports/rate-limiter.js';
import type { IpRange } from '../access/ip-address.js';
import type { KeyTerms } from '../lifecycle/key-standing.js';

/**
 * An account's access as verification applies it, compiled once when its
 * verdict is loaded (and cached with it): the ranges parsed, the scopes
 * resolved and frozen, since every principal of the account shares them.
 */
export interface VerdictAccess {
  readonly scopes: readonly string[];
  /** `null`: anywhere. */
  readonly ranges: readonly IpRange[] | null;
  /** The account's own limit, or the default; `null`: none. */
  readonly rateLimit: RateLimitPolicy | null;
  /**
   * The limiter's key for it. The policy is part of it: a new limit starts
   * with a whole budget of its own.
   */
  readonly rateLimitKey: string;
  /** The account's own quota, or the default; `null`: none. */
  readonly quota: QuotaPolicy | null;
}

/**
 * What verification found for one key digest (or signer username), as cached.
 *
 * - `account` — the key belongs to this account (which may be switched off).
 * - `signer` — the username (of a signed request) names this account.
 * - `unknown` — no account has this key (cached briefly). With
 *   `dropOnAnyChange`, it is also dropped by every invalidation, whichever
 *   account it names: a username can come to exist, or get its first key,
 *   through a change to an account no verdict knew about.
 */
export type CachedVerdict =
  | {
      readonly kind: 'account';
      readonly accountId: string;
      readonly tenant: string;
      readonly username: string;
      readonly active: boolean;
      readonly terms: KeyTerms;
      readonly access: VerdictAccess;
    }
  | {
      readonly kind: 'signer';
      readonly accountId: string;
      readonly tenant: string;
      readonly username: string;
      readonly active: boolean;
      /** The current key's unsealed signing secret, or why there is none. */
      readonly secret: Uint8Array | 'no_key' | 'signing_unavailable';
      /** The current key's expiry in ms; `null`: never. */
      readonly expiresAt: number | null;
      /** A rotation's previous key with its unsealed secret, while the account has one that can sign. */
      readonly previous: {
        readonly secret: Uint8Array;
        readonly endsAt: number;
        readonly supersededAt: number;
      } | null;
      readonly access: VerdictAccess;
    }
  | { readonly kind: 'unknown'; readonly dropOnAnyChange?: boolean };
