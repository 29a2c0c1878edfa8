import type { UsageDay } from '../../ports/account-store.js';
import { quotaKey, quotaPeriod } from '../access/quota-period.js';
import {
  type AccountNotFound,
  errors,
  type Forbidden,
  type InternalError,
  type InvalidInput,
  type PortFailed,
  type StoreUnavailable,
} from '../errors.js';
import { isRecord } from '../is-record.js';
import { err, ok, type Result, type ResultAsync, safeTry } from '../result.js';
import { utcDay } from '../usage/usage-counter.js';
import type { OperationContext } from './operation-context.js';
import { getAccount } from './read-accounts.js';

/**
 * Errors `accountUsage` and `quotaStatus` can return.
 *
 * @example
 * ```ts
 * const onError = (error: AccountUsageError) => show(error.message);
 * ```
 */
export type AccountUsageError =
  | Forbidden
  | AccountNotFound
  | InvalidInput
  | StoreUnavailable
  | PortFailed
  | InternalError;

/** The longest range one call reads. */
const MAX_DAYS = 366;
const DAY_MS = 86_400_000;
/** The days read when the range leaves them out: the last 30, today included. */
export const DEFAULT_USAGE_DAYS = 30;

/**
 * The account's verifications per UTC day in the range, with the counts this
 * instance has not flushed yet added in.
 */
export function accountUsage(
  ctx: OperationContext,
  actor: unknown,
  accountId: unknown,
  range: unknown,
): ResultAsync<{ readonly items: readonly UsageDay[] }, AccountUsageError> {
  return safeTry(async function* () {
    const account = yield* getAccount(ctx, actor, accountId, 'accountUsage');
    const { fromDay, toDay } = yield* parseRange(range, yield* ctx.ports.now());
    const stored = yield* ctx.ports.store.readUsage(account.id, fromDay, toDay);
    const totals = new Map(stored.map((row) => [row.day, { ...row }]));
    for (const pending of ctx.usage?.pendingFor(account.id) ?? []) {
      if (pending.day < fromDay || pending.day > toDay) continue;
      const total = totals.get(pending.day) ?? { day: pending.day, accepted: 0, refused: 0 };
      totals.set(pending.day, {
        day: pending.day,
        accepted: total.accepted + pending.accepted,
        refused: total.refused + pending.refused,
      });
    }
    const items = [...totals.values()].sort((a, b) => (a.day < b.day ? -1 : 1));
    return ok({ items });
  });
}

/**
 * An account's quota and how much of the current UTC period it has used.
 *
 * @example
 * ```ts
 * const status: QuotaStatus = { limit: 10_000, period: 'day', used: 420, resetsAt: new Date('2026-12-07T00:00:00Z') };
 * ```
 */
export interface QuotaStatus {
  readonly limit: number;
  readonly period: 'day' | 'month';
  /** Units used in this period, as the quota counter has them. */
  readonly used: number;
  /** When the next period starts. */
  readonly resetsAt: Date;
}

/**
 * The account's quota (its own, or the manager's default) and its use in
 * the current period; `null` when none applies.
 */
export function quotaStatus(
  ctx: OperationContext,
  actor: unknown,
  accountId: unknown,
): ResultAsync<QuotaStatus | null, AccountUsageError> {
  return safeTry(async function* () {
    const account = yield* getAccount(ctx, actor, accountId, 'quotaStatus');
    const quota = account.quota ?? ctx.config.access.quota;
    if (quota === null) return ok(null);
    const period = quotaPeriod((yield* ctx.ports.now()).getTime(), quota.period);
    const used = yield* ctx.ports.quotaUsed(quotaKey(account.id, period));
    return ok({ ...quota, used, resetsAt: new Date(period.resetsAt) });
  });
}

/**
 * The days of a range: `to` defaults to now, `from` to 29 days before `to`
 * (30 days in all).
 */
function parseRange(
  range: unknown,
  now: Date,
): Result<{ fromDay: string; toDay: string }, InvalidInput> {
  const fields = isRecord(range) ? range : {};
  const to = fields['to'] === undefined ? now : fields['to'];
  const from =
    fields['from'] === undefined && to instanceof Date
      ? new Date(to.getTime() - (DEFAULT_USAGE_DAYS - 1) * DAY_MS)
      : fields['from'];
  // Years 1–9999, so that a day is always `YYYY-MM-DD`.
  const valid = (value: unknown): value is Date =>
    value instanceof Date &&
    Number.isFinite(value.getTime()) &&
    value.getUTCFullYear() >= 1 &&
    value.getUTCFullYear() <= 9999;
  if (!valid(from)) return err(errors.invalidInput('from', 'from must be a valid Date.'));
  if (!valid(to)) return err(errors.invalidInput('to', 'to must be a valid Date.'));
  if (to.getTime() < from.getTime()) {
    return err(errors.invalidInput('to', 'to must not be before from.'));
  }
  if (to.getTime() - from.getTime() > MAX_DAYS * DAY_MS) {
    return err(errors.invalidInput('to', `a range covers at most ${MAX_DAYS} days.`));
  }
  return ok({ fromDay: utcDay(from), toDay: utcDay(to) });
}
