import type {
  AccountChange,
  AccountRecord,
  CompleteClaimOutcome,
} from '../../ports/account-store.js';

import { CLAIM_COLUMNS, PREVIOUS_KEY_COLUMNS } from './account-row.js';

/**
 * The columns an account change writes, with their new values, for any SQL
 * dialect to render as `column = <placeholder>`. `version = version + 1` is
 * always added by the caller, so the update stays conditional on the old one.
 */
export function changeColumns<Time>(
  change: AccountChange,
  toTime: (date: Date) => Time,
): [column: string, value: unknown][] {
  const columns: [string, unknown][] = [['updated_at', toTime(change.at)]];
  if (change.profile) {
    const { username, usernameKey, email, phone } = change.profile;
    columns.push(
      ['username', username],
      ['username_key', usernameKey],
      ['email', email],
      ['phone', phone],
    );
  }
  if (change.active !== undefined) columns.push(['active', change.active]);
  if (change.access) {
    const { scopes, allowedIps, rateLimit, quota } = change.access;
    columns.push(
      ['scopes', scopes === null ? null : JSON.stringify(scopes)],
      ['allowed_ips', JSON.stringify(allowedIps)],
      ['rate_limit', rateLimit?.limit ?? null],
      ['rate_window_ms', rateLimit?.windowMs ?? null],
      ['quota_limit', quota?.limit ?? null],
      ['quota_period', quota?.period ?? null],
    );
  }
  if (change.revokeKey) {
    columns.push(
      ['key_hash', null],
      ['key_issued_at', null],
      ['key_sealed_secret', null],
      ['key_expires_at', null],
      ['key_reminders_sent', 0],
      ['key_expiry_recorded', false],
    );
  } else if (change.keyNotices) {
    columns.push(
      ['key_reminders_sent', change.keyNotices.remindersSent],
      ['key_expiry_recorded', change.keyNotices.expiryRecorded],
    );
  }
  if (change.previousKey !== undefined) {
    const previous = change.previousKey;
    const values = previous
      ? [
          previous.hash,
          previous.sealedSecret,
          toTime(previous.supersededAt),
          toTime(previous.endsAt),
          previous.graceAfterClaimMs,
        ]
      : PREVIOUS_KEY_COLUMNS.map(() => null);
    PREVIOUS_KEY_COLUMNS.forEach((column, i) => {
      columns.push([column, values[i]]);
    });
  }
  if (change.claim?.kind === 'open') {
    const { claim } = change.claim;
    const values = [
      claim.tokenHash,
      claim.codeHash,
      toTime(claim.openedAt),
      toTime(claim.expiresAt),
      claim.attempts,
      claim.maxAttempts,
    ];
    CLAIM_COLUMNS.forEach((column, i) => {
      columns.push([column, values[i]]);
    });
  } else if (change.claim?.kind === 'cancel') {
    for (const column of CLAIM_COLUMNS) columns.push([column, null]);
  }
  return columns;
}

/**
 * What completing a claim does to a rotation's previous key: its end comes
 * forward to the claim's time plus the grace, if that is sooner, and the grace
 * is spent. `at` is the claim time's placeholder; `asInterval` turns the grace
 * column into something the dialect adds to a time.
 */
export function previousKeyGraceSql(at: string, asInterval: (ms: string) => string): string {
  const graceEnd = `${at} + ${asInterval('prev_key_grace_ms')}`;
  return `prev_key_ends_at = CASE WHEN prev_key_grace_ms IS NULL THEN prev_key_ends_at
      WHEN ${graceEnd} < prev_key_ends_at THEN ${graceEnd} ELSE prev_key_ends_at END,
    prev_key_grace_ms = NULL`;
}

/** The claim columns, all set to `NULL` when a claim is consumed. */
export const CLEARED_CLAIM_SQL = CLAIM_COLUMNS.map((column) => `${column} = NULL`).join(', ');

/**
 * Why a conditional claim completion matched no row, judged from the account
 * as it is now.
 */
export function whyClaimNotCompleted(
  current: AccountRecord | null,
  tokenHash: string,
  at: Date,
): Exclude<CompleteClaimOutcome['outcome'], 'completed'> {
  const claim = current?.claim;
  if (!current || !claim || claim.tokenHash !== tokenHash) return 'gone';
  if (claim.attempts >= claim.maxAttempts) return 'locked';
  if (at.getTime() >= claim.expiresAt.getTime()) return 'expired';
  if (!current.active) return 'inactive';
  // Only a change in between explains it: the claim as read is no longer the one asked for.
  return 'gone';
}
