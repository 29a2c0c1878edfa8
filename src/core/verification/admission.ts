import type { AccountAccess } from '../../ports/account-store.js';
import type { QuotaDecision, QuotaUse } from '../../ports/quota-counter.js';
import type { RateLimitPolicy } from '../../ports/rate-limiter.js';
import { effectiveScopes, type ResolvedAccess } from '../access/access-policy.js';
import { compileAllowedIps, isAddressAllowed } from '../access/allowed-ips.js';
import { quotaKey, quotaPeriod } from '../access/quota-period.js';
import {
  type AccountInactive,
  errors,
  type InvalidInput,
  type IpNotAllowed,
  type PortFailed,
  type QuotaExceeded,
  type RateLimited,
} from '../errors.js';
import { isRecord } from '../is-record.js';
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
    // A store written before quotas has none: the default applies.
    quota: access.quota ?? resolved.quota,
  };
}

/** The most a single call may cost: as much as the largest quota. */
const MAX_COST = 1_000_000_000_000;

/**
 * What a verification costs of its account's quota, from the caller's
 * `cost`: 1 when left out, or a whole number from 0 (a call that uses no
 * quota) up.
 */
export function costOf(options: unknown): Result<number, InvalidInput> {
  const cost = isRecord(options) ? options['cost'] : undefined;
  if (cost === undefined) return ok(1);
  if (typeof cost === 'number' && Number.isSafeInteger(cost) && cost >= 0 && cost <= MAX_COST) {
    return ok(cost);
  }
  return err(
    errors.invalidInput(
      'cost',
      `cost must be a whole number from 0 to ${MAX_COST}.`,
      'out_of_range',
    ),
  );
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
 * limit and `cost` units of its quota, where they apply (only a verification
 * that would otherwise be accepted spends them), then the principal. Counted
 * as usage either way. Without either, the principal comes back at once,
 * without a round trip.
 */
export function admit(
  ctx: VerificationContext,
  account: Admittee,
  scheme: Principal['scheme'],
  standing: KeyStanding,
  now: number,
  cost: number,
):
  | Result<Principal, PortFailed>
  | ResultAsync<Principal, RateLimited | QuotaExceeded | PortFailed> {
  if (account.access.quota !== null)
    return admitWithQuota(ctx, account, scheme, standing, now, cost);
  const policy = account.access.rateLimit;
  if (policy === null) {
    ctx.usage?.count(account.accountId, now, true);
    return ok(systemOwner(account, scheme, standing, null, null));
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
      return ok(systemOwner(account, scheme, standing, rateLimitStatus(policy, decision), null));
    });
  return new ResultAsync(decided);
}

/**
 * {@link admit} for an account with a quota: the quota of the UTC period
 * `now` falls in, with the rate limit's unit where one applies
 * ({@link spendQuota} says who spends what when a refusal comes).
 */
function admitWithQuota(
  ctx: VerificationContext,
  account: Admittee,
  scheme: Principal['scheme'],
  standing: KeyStanding,
  now: number,
  cost: number,
): Result<never, PortFailed> | ResultAsync<Principal, RateLimited | QuotaExceeded | PortFailed> {
  const { accountId, access } = account;
  const quota = access.quota as NonNullable<VerdictAccess['quota']>;
  // The clock failed: no period to count in, so no answer rather than an unmetered one.
  if (!Number.isFinite(now)) {
    return err(errors.portFailed('clock', new TypeError('no time to find the quota period by')));
  }
  const period = quotaPeriod(now, quota.period);
  const resetsAt = new Date(period.resetsAt);
  const use = {
    key: quotaKey(accountId, period),
    limit: quota.limit,
    cost,
    resetsAt: period.resetsAt,
  };
  const rate = access.rateLimit;
  const decided = spendQuota(ctx, use, rate && { key: access.rateLimitKey, policy: rate }).then(
    (consumed): Result<Principal, RateLimited | QuotaExceeded | PortFailed> => {
      if (consumed.isErr()) return err(consumed.error);
      const decision = consumed.value;
      ctx.usage?.count(accountId, now, decision.allowed);
      if (!decision.allowed) {
        return err(
          decision.reason === 'quota' || rate === null
            ? errors.quotaExceeded(accountId, quota, resetsAt, now)
            : errors.rateLimited(accountId, rate, decision.retryAfterMs),
        );
      }
      const status = rate && decision.rateLimit ? rateLimitStatus(rate, decision.rateLimit) : null;
      return ok(
        systemOwner(account, scheme, standing, status, {
          limit: quota.limit,
          remaining: Math.max(0, quota.limit - decision.used),
          resetsAt,
        }),
      );
    },
  );
  return new ResultAsync(decided);
}

type QuotaAnswer = Result<QuotaDecision, PortFailed>;
type RateLimitUse = { readonly key: string; readonly policy: RateLimitPolicy };

/**
 * Uses `use.cost` of a quota and, given `rateLimit`, one unit of that rate
 * limit too: in the counter's paired step when it has one (both or
 * neither), otherwise the quota judged first, then the rate limit asked,
 * then the quota spent. So a call over quota spends no rate-limit unit, and
 * one the rate limit refuses spends no quota.
 */
function spendQuota(
  ctx: VerificationContext,
  use: QuotaUse,
  rateLimit: RateLimitUse | null,
): Promise<QuotaAnswer> {
  const { ports } = ctx;
  if (rateLimit === null) return ports.consumeQuota(use);
  if (ports.consumeQuotaAndRateLimit) return ports.consumeQuotaAndRateLimit(use, rateLimit);
  return quotaThenRateLimit(ports, use, rateLimit);
}

/** {@link spendQuota} without a paired step: three calls, each decided on the last one's answer. */
async function quotaThenRateLimit(
  ports: VerificationContext['ports'],
  use: QuotaUse,
  rateLimit: RateLimitUse,
): Promise<QuotaAnswer> {
  const counted = await ports.quotaUsed(use.key);
  if (counted.isErr()) return err(counted.error);
  const used = counted.value;
  if (used + use.cost > use.limit) return ok({ allowed: false, reason: 'quota', used });
  const rated = await ports.consumeRateLimit(rateLimit.key, rateLimit.policy);
  if (rated.isErr()) return err(rated.error);
  const decision = rated.value;
  if (!decision.allowed) {
    return ok({ allowed: false, reason: 'rate_limit', retryAfterMs: decision.retryAfterMs });
  }
  // Checked again as it is spent: another call may have used the rest meanwhile.
  const spent = await ports.consumeQuota(use);
  return spent.map((answer) => (answer.allowed ? { ...answer, rateLimit: decision } : answer));
}

function rateLimitStatus(
  policy: RateLimitPolicy,
  decision: { readonly remaining: number; readonly resetAfterMs: number },
): RateLimitStatus {
  return {
    limit: policy.limit,
    windowMs: policy.windowMs,
    remaining: decision.remaining,
    resetAfterMs: decision.resetAfterMs,
  };
}
