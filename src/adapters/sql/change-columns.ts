import type {
  AccountChange,
  AccountRecord,
  CompleteClaimOutcome,
} from '../../ports/account-store.js';

import { CLAIM_COLUMNS } from './account-row.js';

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
  if (change.revokeKey) {
    columns.push(['key_hash', null], ['key_issued_at', null], ['key_sealed_secret', null]);
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
