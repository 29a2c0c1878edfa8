import type { AccountEvent, AccountPosition } from '../../ports/account-store.js';
import { type ApiAccount, toApiAccount } from '../account.js';
import { requireAdministrator } from '../actor.js';
import {
  type AccountNotFound,
  errors,
  type Forbidden,
  type InternalError,
  type InvalidInput,
  type StoreUnavailable,
} from '../errors.js';
import { isRecord } from '../is-record.js';
import { err, ok, type Result, type ResultAsync, safeTry } from '../result.js';
import {
  describeAccountId,
  isWellFormedAccountId,
  type OperationContext,
} from './operation-context.js';

/** Page size when none is asked for. */
export const DEFAULT_PAGE_SIZE = 50;
/** Largest page `listAccounts` returns. */
export const MAX_PAGE_SIZE = 200;

/**
 * A page of accounts; pass `nextCursor` back to get the next one (`null` on the last page).
 *
 * @example
 * ```ts
 * let cursor: string | null = null;
 * do {
 *   const page = (await manager.listAccounts(admin, { limit: 100, ...(cursor ? { cursor } : {}) }))._unsafeUnwrap();
 *   cursor = page.nextCursor;
 * } while (cursor);
 * ```
 */
export interface AccountPage {
  readonly items: readonly ApiAccount[];
  readonly nextCursor: string | null;
}

/**
 * Which page `listAccounts` returns.
 *
 * @example
 * ```ts
 * const query: ListAccountsQuery = { limit: 20 };
 * ```
 */
export interface ListAccountsQuery {
  /** 1–200; default 50. */
  readonly limit?: number;
  /** From the previous page's `nextCursor`. */
  readonly cursor?: string;
}

/**
 * Errors `listAccounts` can return.
 *
 * @example
 * ```ts
 * const onError = (error: ListAccountsError) => show(error.message);
 * ```
 */
export type ListAccountsError = Forbidden | InvalidInput | StoreUnavailable | InternalError;

/**
 * Errors `getAccount` and `accountHistory` can return.
 *
 * @example
 * ```ts
 * const onError = (error: GetAccountError) => (error.type === 'AccountNotFound' ? notFound() : show(error.message));
 * ```
 */
export type GetAccountError = Forbidden | AccountNotFound | StoreUnavailable | InternalError;

/**
 * Every API account, oldest first, with its state.
 */
export function listAccounts(
  ctx: OperationContext,
  actor: unknown,
  query: unknown,
): ResultAsync<AccountPage, ListAccountsError> {
  return safeTry(async function* () {
    yield* requireAdministrator(actor);
    const { limit, after } = yield* parseQuery(query);
    // One extra row tells whether another page exists without a count query.
    const records = yield* ctx.ports.store.listAccounts({ limit: limit + 1, after });
    const page = records.slice(0, limit);
    const last = page.at(-1);
    return ok({
      items: page.map(toApiAccount),
      nextCursor: records.length > limit && last ? encodeCursor(last) : null,
    });
  });
}

/**
 * One account by id.
 */
export function getAccount(
  ctx: OperationContext,
  actor: unknown,
  accountId: unknown,
): ResultAsync<ApiAccount, GetAccountError> {
  return safeTry(async function* () {
    yield* requireAdministrator(actor);
    if (!isWellFormedAccountId(accountId)) {
      return err(errors.accountNotFound(describeAccountId(accountId)));
    }
    const record = yield* ctx.ports.store.findAccountById(accountId);
    return record ? ok(toApiAccount(record)) : err(errors.accountNotFound(accountId));
  });
}

/**
 * The account's events, oldest first.
 */
export function accountHistory(
  ctx: OperationContext,
  actor: unknown,
  accountId: unknown,
): ResultAsync<{ readonly items: readonly AccountEvent[] }, GetAccountError> {
  return getAccount(ctx, actor, accountId).andThen((account) =>
    ctx.ports.store.listEvents(account.id).map((items) => ({ items })),
  );
}

function parseQuery(
  query: unknown,
): Result<{ limit: number; after: AccountPosition | null }, InvalidInput> {
  const fields = isRecord(query) ? query : {};
  const limit = fields['limit'] ?? DEFAULT_PAGE_SIZE;
  if (typeof limit !== 'number' || !Number.isSafeInteger(limit) || limit < 1) {
    return err(
      errors.invalidInput('limit', `limit must be a whole number from 1 to ${MAX_PAGE_SIZE}.`),
    );
  }
  const cursor = fields['cursor'];
  if (cursor === undefined || cursor === null) {
    return ok({ limit: Math.min(limit, MAX_PAGE_SIZE), after: null });
  }
  const after = decodeCursor(cursor);
  if (!after)
    return err(errors.invalidInput('cursor', 'cursor is not one returned by listAccounts.'));
  return ok({ limit: Math.min(limit, MAX_PAGE_SIZE), after });
}

function encodeCursor(position: AccountPosition): string {
  return Buffer.from(JSON.stringify([position.createdAt.getTime(), position.id])).toString(
    'base64url',
  );
}

function decodeCursor(cursor: unknown): AccountPosition | null {
  if (typeof cursor !== 'string' || cursor.length > 200) return null;
  try {
    const decoded: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (!Array.isArray(decoded) || decoded.length !== 2) return null;
    const [time, id] = decoded;
    if (typeof time !== 'number' || !Number.isFinite(time) || !isWellFormedAccountId(id))
      return null;
    return { createdAt: new Date(time), id };
  } catch {
    return null;
  }
}
