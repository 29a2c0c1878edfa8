import type { AccountRecord } from '../ports/account-store.js';
import type { QuotaPolicy } from '../ports/quota-counter.js';
import type { RateLimitPolicy } from '../ports/rate-limiter.js';
import { effectiveScopes, type ResolvedAccess } from './access/access-policy.js';

/**
 * An API account as the administrator sees it. Holds no secret: no key, no
 * digest of one, no claim token or code.
 *
 * @example
 * ```ts
 * const { items } = (await manager.listAccounts(admin, { limit: 20 }))._unsafeUnwrap();
 * items.map((a) => `${a.username}: ${a.active ? 'active' : 'off'}, ${a.claimPending ? 'claim pending' : 'key issued'}`);
 * ```
 */
export interface ApiAccount {
  readonly id: string;
  /** The tenant (venue) it belongs to: `'default'` for single-tenant hosts. */
  readonly tenant: string;
  readonly username: string;
  /** Normalised: trimmed, NFC, lower-case. */
  readonly email: string;
  /** E.164. */
  readonly phone: string;
  readonly active: boolean;
  /** A claim (after create, reset, rotation or resend) can still be completed: open, not expired, not locked. */
  readonly claimPending: boolean;
  /** When the current key was claimed; `null` until then, and again after a reset or rotation. */
  readonly keyIssuedAt: Date | null;
  /** When the current key expires (`keyLifetime`); `null`: never, or no key. */
  readonly keyExpiresAt: Date | null;
  /** When the previous key (superseded by a rotation, in its grace period) stops working; `null` once it has, or without one. */
  readonly previousKeyEndsAt: Date | null;
  /** The last accepted verification, as of the last usage flush (at most `usage.flushIntervalMs` behind); `null`: never. */
  readonly lastUsedAt: Date | null;
  /**
   * The scopes it may use. An account whose scopes were never set (made
   * before scopes, or while the host declared none) holds every declared one.
   */
  readonly scopes: string[];
  /** IPv4/IPv6 addresses and CIDR ranges its requests may come from, normalised; empty: anywhere. */
  readonly allowedIps: string[];
  /** Its own rate limit; `null`: the manager's default `rateLimit` (if any). */
  readonly rateLimit: RateLimitPolicy | null;
  /** Its own quota; `null`: the manager's default `quota` (if any). `quotaStatus` says how much is used. */
  readonly quota: QuotaPolicy | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  /** Bumped by every change; pass it as `expectedVersion` to `updateAccount` to avoid lost updates. */
  readonly version: number;
}

/**
 * The administrator's view of a stored record at `now` (which decides whether
 * its claim is still pending), under the host's access vocabulary.
 */
export function toApiAccount(record: AccountRecord, now: Date, access: ResolvedAccess): ApiAccount {
  const { claim } = record;
  return {
    id: record.id,
    tenant: record.tenant,
    username: record.username,
    email: record.email,
    phone: record.phone,
    active: record.active,
    claimPending:
      claim !== null &&
      claim.expiresAt.getTime() > now.getTime() &&
      claim.attempts < claim.maxAttempts,
    keyIssuedAt: record.key ? new Date(record.key.issuedAt) : null,
    keyExpiresAt: record.key?.expiresAt ? new Date(record.key.expiresAt) : null,
    // A grace period that ran out is over now, whether or not `runDueTasks` has recorded it yet.
    previousKeyEndsAt:
      record.previousKey && record.previousKey.endsAt.getTime() > now.getTime()
        ? new Date(record.previousKey.endsAt)
        : null,
    lastUsedAt: record.lastUsedAt ? new Date(record.lastUsedAt) : null,
    scopes: [...effectiveScopes(record.access.scopes, access)],
    allowedIps: [...record.access.allowedIps],
    rateLimit: record.access.rateLimit ? { ...record.access.rateLimit } : null,
    quota: record.access.quota ? { ...record.access.quota } : null,
    createdAt: new Date(record.createdAt),
    updatedAt: new Date(record.updatedAt),
    version: record.version,
  };
}
