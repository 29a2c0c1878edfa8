import type { StoredClaim } from '../../ports/account-store.js';

/**
 * What to do with a claim attempt, decided from the stored claim alone. The
 * store then applies the decision atomically and may still find that another
 * caller got there first.
 *
 * - `expired` — past its time to live; answer `ClaimExpired`.
 * - `locked` — no attempts left; answer `ClaimLocked`, whatever the code.
 * - `inactive` — the account is switched off; answer `AccountInactive` without using an attempt.
 * - `wrong_code` — use one attempt and answer `CodeIncorrect`.
 * - `issue_key` — the code is right: issue the key and consume the claim.
 */
export type ClaimDecision =
  | { readonly kind: 'expired' }
  | { readonly kind: 'locked' }
  | { readonly kind: 'inactive' }
  | { readonly kind: 'wrong_code' }
  | { readonly kind: 'issue_key' };

/**
 * Decides a claim attempt. Order matters: a dead claim (expired, locked)
 * says so before anything else; an inactive account uses no attempt; only then
 * is the code looked at.
 */
export function decideClaimAttempt(input: {
  readonly claim: StoredClaim;
  readonly accountActive: boolean;
  readonly now: Date;
  readonly codeMatches: boolean;
}): ClaimDecision {
  const state = claimState(input.claim, input.accountActive, input.now);
  if (state.kind !== 'open') return state;
  return input.codeMatches ? { kind: 'issue_key' } : { kind: 'wrong_code' };
}

/**
 * The state of a claim when someone opens its link, before any code is entered.
 *
 * - `open` — a code may be entered; `attemptsRemaining` of them may be wrong.
 * - otherwise as in {@link ClaimDecision}.
 */
export function claimState(
  claim: StoredClaim,
  accountActive: boolean,
  now: Date,
):
  | { readonly kind: 'open'; readonly attemptsRemaining: number }
  | { readonly kind: 'expired' }
  | { readonly kind: 'locked' }
  | { readonly kind: 'inactive' } {
  if (now.getTime() >= claim.expiresAt.getTime()) return { kind: 'expired' };
  if (claim.attempts >= claim.maxAttempts) return { kind: 'locked' };
  if (!accountActive) return { kind: 'inactive' };
  return { kind: 'open', attemptsRemaining: claim.maxAttempts - claim.attempts };
}
