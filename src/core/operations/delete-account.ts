import type { AccountEvent } from '../../ports/account-store.js';
import {
  type AccountNotFound,
  type ConfirmationRequired,
  type Conflict,
  errors,
  type Forbidden,
  type InternalError,
  type InvalidInput,
  type PortFailed,
  type StoreUnavailable,
  unknownOutcome,
} from '../errors.js';
import { err, ok, type ResultAsync, safeTry } from '../result.js';
import { expectedVersionOf } from './change-account.js';
import { authorizeOnAccount, type OperationContext } from './operation-context.js';
import { requireConfirmation } from './require-confirmation.js';

/**
 * What `deleteAccount` answers: which account went, and when.
 *
 * @example
 * ```ts
 * const { accountId, deletedAt } = (await manager.deleteAccount(admin, id, { confirm: true }))._unsafeUnwrap();
 * ```
 */
export interface AccountDeleted {
  readonly accountId: string;
  readonly deletedAt: Date;
}

/**
 * Errors `deleteAccount` can return.
 *
 * @example
 * ```ts
 * const onError = (error: DeleteAccountError) => show(error.message);
 * ```
 */
export type DeleteAccountError =
  | Forbidden
  | ConfirmationRequired
  | InvalidInput
  | AccountNotFound
  | Conflict
  | StoreUnavailable
  | PortFailed
  | InternalError;

/** Reads a deletion may race with another writer before giving up with `Conflict`. */
const MAX_ATTEMPTS = 3;

/**
 * After explicit confirmation, deletes the account: its key and any previous
 * key stop at once (on every instance, as after a reset), its claim, usage
 * and history go, and the history keeps one anonymised `account.deleted`
 * entry (who deleted it and when; never a name, an address or a number).
 */
export function deleteAccount(
  ctx: OperationContext,
  actor: unknown,
  accountId: unknown,
  options: unknown,
): ResultAsync<AccountDeleted, DeleteAccountError> {
  return safeTry(async function* () {
    const { admin, record: found } = yield* authorizeOnAccount(
      ctx,
      actor,
      'deleteAccount',
      accountId,
    );
    yield* requireConfirmation(options, 'deleteAccount');
    const expectedVersion = yield* expectedVersionOf(options);
    const id = found.id;
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      // The first attempt decides on the account the authorization just read.
      const record = attempt === 1 ? found : yield* ctx.ports.store.findAccountById(id);
      if (!record) return err(errors.accountNotFound(id));
      if (expectedVersion !== undefined && record.version !== expectedVersion) break;
      const now = yield* ctx.ports.now();
      const event: AccountEvent = {
        type: 'account.deleted',
        accountId: id,
        tenant: record.tenant,
        actorId: admin.id,
        at: now,
      };
      const done = yield* ctx.ports.store
        .deleteAccount(id, expectedVersion ?? record.version, event)
        .mapErr((error) => {
          // The store may have deleted it before failing: forget any cached verdict.
          ctx.invalidate(id);
          return error;
        });
      if (done.outcome === 'deleted') {
        ctx.publish([event]);
        return ok({ accountId: id, deletedAt: new Date(now) });
      }
      if (done.outcome === 'not_found') return err(errors.accountNotFound(id));
      if (done.outcome !== 'version_conflict') {
        ctx.invalidate(id);
        return err(unknownOutcome(done));
      }
      // The caller named a version: another one is a conflict, not a reason to read again.
      if (expectedVersion !== undefined) break;
    }
    return err(errors.conflict(id));
  });
}
