import type { AccountRecord, PreviousKey, StoredClaim } from '../../ports/account-store.js';
import type { ApiAccount } from '../account.js';
import { type ConfirmationRequired, errors, type Forbidden, type InvalidInput } from '../errors.js';
import { isRecord } from '../is-record.js';
import { err, ok, okAsync, type Result, type ResultAsync } from '../result.js';
import {
  accountView,
  type ChangeError,
  changeAccount,
  type ExpectedVersion,
  expectedVersionOf,
} from './change-account.js';
import type { ClaimIssued } from './deliver-claim.js';
import { authorizeOnAccount, type OperationContext } from './operation-context.js';
import { requireConfirmation } from './require-confirmation.js';
import { openClaim, resetChange } from './reset-api-key.js';

/**
 * Options of `rotateApiKey`.
 *
 * @example
 * ```ts
 * await manager.rotateApiKey(admin, id, { confirm: true, graceMs: 48 * 3_600_000 });
 * ```
 */
export interface RotateApiKeyOptions extends ExpectedVersion {
  readonly confirm: true;
  /** How long the current key works on after the partner claims the new one. Default `rotation.graceMs` (24 h). */
  readonly graceMs?: number;
  /** How long it works at most if the new key is never claimed. Default `rotation.maxGraceMs` (14 days). */
  readonly maxGraceMs?: number;
  /** The BCP 47 locale of the claim messages. */
  readonly locale?: string;
}

/**
 * Errors `rotateApiKey` can return.
 *
 * @example
 * ```ts
 * const onError = (error: RotateApiKeyError) => show(error.message);
 * ```
 */
export type RotateApiKeyError = Forbidden | ConfirmationRequired | InvalidInput | ChangeError;

/**
 * Errors `endGracePeriod` can return.
 *
 * @example
 * ```ts
 * const onError = (error: EndGracePeriodError) => show(error.message);
 * ```
 */
export type EndGracePeriodError = Forbidden | InvalidInput | ChangeError;

/**
 * A planned rotation: a new claim goes out as on reset, while the current key
 * works on as the previous key until `graceMs` after the new one is claimed,
 * and at most `maxGraceMs` from now (never past its own expiry). With no live
 * key it is a reset. Rotating again while the new claim is pending keeps the
 * previous key and its deadline, and replaces only the claim.
 */
export function rotateApiKey(
  ctx: OperationContext,
  actor: unknown,
  accountId: unknown,
  options: unknown,
): ResultAsync<ClaimIssued, RotateApiKeyError> {
  return openClaim(
    ctx,
    'rotateApiKey',
    actor,
    accountId,
    options,
    () => rotationGrace(ctx, options),
    (current, opening, grace) => {
      const { now } = opening;
      const { key, previousKey } = current;
      if (key && (key.expiresAt === null || now.getTime() < key.expiresAt.getTime())) {
        const superseded: PreviousKey = {
          hash: key.hash,
          sealedSecret: key.sealedSecret,
          supersededAt: now,
          endsAt: new Date(
            Math.min(
              now.getTime() + grace.maxGraceMs,
              key.expiresAt?.getTime() ?? Number.POSITIVE_INFINITY,
            ),
          ),
          graceAfterClaimMs: grace.graceMs,
        };
        return okAsync({ reason: 'rotated', change: rotation(current, opening, superseded) });
      }
      if (key === null && previousKey !== null && now.getTime() < previousKey.endsAt.getTime()) {
        return okAsync({ reason: 'rotated', change: rotation(current, opening, undefined) });
      }
      return okAsync({ reason: 'reset', change: resetChange(current, opening) });
    },
  );
}

/** The change of a rotation; `previousKey` undefined keeps the one the account has. */
function rotation(
  record: AccountRecord,
  opening: { readonly claim: StoredClaim; readonly actorId: string; readonly now: Date },
  previousKey: PreviousKey | undefined,
) {
  const { claim, actorId, now } = opening;
  const until = previousKey?.endsAt ?? record.previousKey?.endsAt;
  return {
    accountId: record.id,
    expectedVersion: record.version,
    at: now,
    ...(previousKey ? { revokeKey: true as const, previousKey } : {}),
    claim: { kind: 'open' as const, claim },
    events: [
      {
        type: 'key.rotation_opened' as const,
        accountId: record.id,
        tenant: record.tenant,
        actorId,
        at: now,
        ...(until ? { until } : {}),
      },
    ],
  };
}

function rotationGrace(
  ctx: OperationContext,
  options: unknown,
): Result<{ graceMs: number; maxGraceMs: number }, ConfirmationRequired | InvalidInput> {
  const fields = isRecord(options) ? options : {};
  const { graceMs, maxGraceMs, limitMs } = ctx.config.lifecycle.rotation;
  const read = (
    field: 'graceMs' | 'maxGraceMs',
    fallback: number,
  ): Result<number, InvalidInput> => {
    const value = fields[field];
    if (value === undefined) return ok(fallback);
    return typeof value === 'number' && Number.isSafeInteger(value) && value > 0 && value <= limitMs
      ? ok(value)
      : err(
          errors.invalidInput(
            field,
            `${field} must be a positive whole number of milliseconds, at most ${limitMs}.`,
          ),
        );
  };
  return requireConfirmation(options, 'rotateApiKey').andThen(() =>
    read('graceMs', graceMs).andThen((grace) =>
      read('maxGraceMs', maxGraceMs).map((max) => ({ graceMs: grace, maxGraceMs: max })),
    ),
  );
}

/**
 * Stops the previous key now, before its grace period ends. An account
 * without one is left as it is.
 */
export function endGracePeriod(
  ctx: OperationContext,
  actor: unknown,
  accountId: unknown,
  options?: ExpectedVersion,
): ResultAsync<ApiAccount, EndGracePeriodError> {
  return authorizeOnAccount(ctx, actor, 'endGracePeriod', accountId).andThen(
    ({ admin, record: read }) =>
      expectedVersionOf(options)
        .asyncAndThen((expectedVersion) =>
          changeAccount(
            ctx,
            accountId,
            (record, now) =>
              okAsync(
                record.previousKey === null
                  ? ({ kind: 'unchanged' } as const)
                  : ({
                      kind: 'apply',
                      change: {
                        accountId: record.id,
                        expectedVersion: record.version,
                        at: now,
                        previousKey: null,
                        events: [
                          {
                            type: 'key.grace_ended',
                            accountId: record.id,
                            tenant: record.tenant,
                            actorId: admin.id,
                            at: now,
                          },
                        ],
                      },
                    } as const),
              ),
            { expectedVersion, read },
          ),
        )
        .andThen(accountView(ctx)),
  );
}
