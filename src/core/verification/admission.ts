import type { AccountAccess } from '../../ports/account-store.js';
import { effectiveScopes, type ResolvedAccess } from '../access/access-policy.js';
import { compileAllowedIps, isAddressAllowed } from '../access/allowed-ips.js';
import {
  type AccountInactive,
  errors,
  type IpNotAllowed,
  type PortFailed,
  type RateLimited,
} from '../errors.js';
import type { KeyStanding } from '../lifecycle/key-standing.js';
import { type Principal, type RateLimitStatus, systemOwner } from '../principal.js';
import { err, ok, type Result, ResultAsync } from '../result.js';
import type { VerificationContext } from './context.js';
import type { VerdictAccess } from './verdict.js';

/** The access a verdict carries for a stored account's. */
export function compileAccess(
  accountId: string,
  access: AccountAccess,
  resolved: ResolvedAccess,
): VerdictAccess {
  const rateLimit = access.rateLimit ?? resolved.rateLimit;
  return {
    scopes: Object.freeze([...effectiveScopes(access.scopes, resolved)]),
    ranges: compileAllowedIps(access.allowedIps),
    rateLimit,
    rateLimitKey: rateLimit ? `account:${accountId}:${rateLimit.limit}/${rateLimit.windowMs}` : '',
  };
}

/** A verified key of an account, as far as admission needs it. */
export interface Admittee {
  readonly accountId: string;
  readonly tenant: string;
  readonly username: string;
  readonly active: boolean;
  readonly access: VerdictAccess;
}

/**
 * Whether a key that is known and live may go on, in the order the rules
 * give: the account switched on, then the client's address. A refusal here
 * is a refused use of the account's key, counted as such.
 */
export function checkAdmission(
  ctx: VerificationContext,
  account: Admittee,
  now: number,
  clientIp: unknown,
): Result<void, AccountInactive | IpNotAllowed> {
  const refused = <E>(error: E) => {
    ctx.usage?.count(account.accountId, now, false);
    return err(error);
  };
  if (!account.active) return refused(errors.accountInactive(account.accountId));
  if (!isAddressAllowed(account.access.ranges, clientIp)) {
    return refused(errors.ipNotAllowed(account.accountId));
  }
  return ok(undefined);
}

/**
 * The last step of an accepted verification: one unit of the account's rate
 * limit when one applies (only a verification that would otherwise be
 * accepted spends one), then the principal. Counted as usage either way.
 * Without a limit, the principal comes back at once, without a round trip.
 */
export function admit(
  ctx: VerificationContext,
  account: Admittee,
  scheme: Principal['scheme'],
  standing: KeyStanding,
  now: number,
): Result<Principal, never> | ResultAsync<Principal, RateLimited | PortFailed> {
  const policy = account.access.rateLimit;
  if (policy === null) {
    ctx.usage?.count(account.accountId, now, true);
    return ok(systemOwner(account, scheme, standing, null));
  }
  const decided = ctx.ports
    .consumeRateLimit(account.access.rateLimitKey, policy)
    .then((consumed): Result<Principal, RateLimited | PortFailed> => {
      if (consumed.isErr()) return err(consumed.error);
      const decision = consumed.value;
      ctx.usage?.count(account.accountId, now, decision.allowed);
      if (!decision.allowed) {
        return err(errors.rateLimited(account.accountId, policy, decision.retryAfterMs));
      }
      const status: RateLimitStatus = {
        limit: policy.limit,
        windowMs: policy.windowMs,
        remaining: decision.remaining,
        resetAfterMs: decision.resetAfterMs,
      };
      return ok(systemOwner(account, scheme, standing, status));
    });
  return new ResultAsync(decided);
}
