import type { AccountEvent } from 'api-accounts';

/** What the sample API's routes need: partners get reads by default, orders only when granted. */
export const DEMO_SCOPES = {
  'customers:read': 'Read customer records',
  'orders:write': 'Create orders',
} as const;

/** Every account's budget unless it has its own: the curl loop on the account page runs into it. */
export const DEMO_RATE_LIMIT = { limit: 60, windowMs: 60_000 } as const;

/** Every account's plan unless it has its own: calls per UTC month. */
export const DEMO_QUOTA = { limit: 1000, period: 'month' } as const;

/** The access form's values as typed, and the errors to show beside each field. */
export interface AccessForm {
  readonly scopes: readonly string[];
  /** One address or range per line. */
  readonly allowedIps: string;
  readonly limit: string;
  readonly windowSeconds: string;
  readonly quotaLimit: string;
  readonly quotaPeriod: string;
  readonly errors: Partial<Record<string, string>>;
}

/** What an access event changed, in a few words for the history list. */
export function describeChanges(event: AccountEvent): string {
  const { changes } = event;
  if (!changes) return '';
  const list = (items: readonly string[]) => (items.length === 0 ? '(none)' : items.join(', '));
  const limit = (policy: { limit: number; windowMs: number } | null) =>
    policy ? `${policy.limit} per ${policy.windowMs / 1000} s` : 'the default';
  const plan = (quota: { limit: number; period: string } | null) =>
    quota ? `${quota.limit} per ${quota.period}` : 'the default';
  return [
    changes.scopes ? `scopes ${list(changes.scopes.before)} → ${list(changes.scopes.after)}` : '',
    changes.allowedIps
      ? `addresses ${list(changes.allowedIps.before)} → ${list(changes.allowedIps.after)}`
      : '',
    changes.rateLimit
      ? `rate limit ${limit(changes.rateLimit.before)} → ${limit(changes.rateLimit.after)}`
      : '',
    changes.quota ? `quota ${plan(changes.quota.before)} → ${plan(changes.quota.after)}` : '',
  ]
    .filter(Boolean)
    .join('; ');
}
