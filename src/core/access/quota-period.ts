import type { QuotaPolicy } from '../../ports/quota-counter.js';
import { utcDay } from '../usage/usage-counter.js';

/**
 * The UTC calendar period a moment falls in: its label (`2026-12` or
 * `2026-12-06`), which names the period's count, and when the next period
 * starts, in ms.
 */
export interface QuotaPeriod {
  readonly label: string;
  readonly resetsAt: number;
}

/** The period of `period` that `nowMs` falls in. */
export function quotaPeriod(nowMs: number, period: QuotaPolicy['period']): QuotaPeriod {
  const at = new Date(nowMs);
  const year = at.getUTCFullYear();
  const month = at.getUTCMonth();
  if (period === 'month') {
    return { label: at.toISOString().slice(0, 7), resetsAt: Date.UTC(year, month + 1, 1) };
  }
  return { label: utcDay(at), resetsAt: Date.UTC(year, month, at.getUTCDate() + 1) };
}

/** The key an account's count for a period is kept under. */
export function quotaKey(accountId: string, period: QuotaPeriod): string {
  return `quota:${accountId}:${period.label}`;
}
