import type {
  AccountEvent,
  AccountFilter,
  AccountPosition,
  AccountSort,
  AccountState,
} from '../../ports/account-store.js';
import { type ApiAccount, toApiAccount } from '../account.js';
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
import { validateTenant } from '../tenant.js';
import { normaliseEmailForComparison } from '../validation/email.js';
import { usernameKeyOf } from '../validation/username.js';
import {
  authorizeOnAccount,
  describeAccountId,
  isWellFormedAccountId,
  type OperationContext,
  readableTenants,
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
  /** How many accounts match the filters, on every page. */
  readonly total: number;
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
  /** Only this tenant's accounts; absent: every tenant the actor administers. */
  readonly tenant?: string;
  /** 1–200; default 50. */
  readonly limit?: number;
  /** From the previous page's `nextCursor` (for the same `sort`). */
  readonly cursor?: string;
  /** Only switched-on (`true`) or switched-off (`false`) accounts. */
  readonly active?: boolean;
  /** `claim_pending`: a claim that can still be completed; `key_issued`; `no_key`: neither. */
  readonly state?: AccountState;
  /** Accounts never used, or not used since this time. */
  readonly unusedSince?: Date;
  /** A prefix of the username or the email, case-insensitive (up to 256 characters). */
  readonly search?: string;
  /** Ascending, ties by id: `createdAt` (default), `username`, or `lastUsedAt` (never used first). */
  readonly sort?: AccountSort;
}

/**
 * Errors `listAccounts` can return.
 *
 * @example
 * ```ts
 * const onError = (error: ListAccountsError) => show(error.message);
 * ```
 */
export type ListAccountsError =
  | Forbidden
  | InvalidInput
  | StoreUnavailable
  | PortFailed
  | InternalError;

/**
 * Errors `getAccount` and `accountHistory` can return.
 *
 * @example
 * ```ts
 * const onError = (error: GetAccountError) => (error.type === 'AccountNotFound' ? notFound() : show(error.message));
 * ```
 */
export type GetAccountError =
  | Forbidden
  | AccountNotFound
  | StoreUnavailable
  | PortFailed
  | InternalError;

/**
 * The API accounts matching the filters, in the chosen order, a page at a
 * time (keyset pagination: any page costs what the first does), with the
 * number of matches.
 */
export function listAccounts(
  ctx: OperationContext,
  actor: unknown,
  query: unknown,
): ResultAsync<AccountPage, ListAccountsError> {
  return safeTry(async function* () {
    const vetted = yield* ctx.authorize.actor(actor, 'listAccounts');
    const { limit, after, sort, filter: asked, tenant } = yield* parseQuery(query);
    const admin = yield* ctx.authorize.action(vetted, 'listAccounts', tenant ?? '*');
    const scope = tenant === undefined ? readableTenants(admin) : [tenant];
    const filter: AccountFilter = scope ? { ...asked, tenants: scope } : asked;
    const now = yield* ctx.ports.now();
    // One extra row tells whether another page exists.
    const records = yield* ctx.ports.store.listAccounts({
      limit: limit + 1,
      after,
      sort,
      filter,
      now,
    });
    const total = yield* ctx.ports.store.countAccounts({ filter, now });
    const page = records.slice(0, limit);
    const last = page.at(-1);
    return ok({
      items: page.map((record) => toApiAccount(record, now, ctx.config.access)),
      nextCursor: records.length > limit && last ? encodeCursor(sort, last) : null,
      total,
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
  action: 'getAccount' | 'accountUsage' | 'quotaStatus' = 'getAccount',
): ResultAsync<ApiAccount, GetAccountError> {
  return safeTry(async function* () {
    const { record } = yield* authorizeOnAccount(ctx, actor, action, accountId);
    return ok(toApiAccount(record, yield* ctx.ports.now(), ctx.config.access));
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
  return safeTry(async function* () {
    const vetted = yield* ctx.authorize.actor(actor, 'accountHistory');
    if (!isWellFormedAccountId(accountId)) {
      return err(errors.accountNotFound(describeAccountId(accountId)));
    }
    const tenants = readableTenants(vetted);
    const items = yield* ctx.ports.store.listEvents(accountId, tenants);
    // A deleted account keeps its one anonymised `account.deleted` entry, in its tenant.
    const tenant =
      items[0]?.tenant ?? (yield* ctx.ports.store.findAccountById(accountId, tenants))?.tenant;
    if (tenant === undefined) return err(errors.accountNotFound(accountId));
    yield* ctx.authorize.action(vetted, 'accountHistory', tenant, accountId);
    return ok({ items });
  });
}

const SORTS: readonly AccountSort[] = ['createdAt', 'username', 'lastUsedAt'];
const STATES: readonly AccountState[] = ['claim_pending', 'key_issued', 'no_key'];
/** Longest search prefix: anything longer matches no username or email. */
const MAX_SEARCH = 256;

function parseQuery(query: unknown): Result<
  {
    limit: number;
    after: AccountPosition | null;
    sort: AccountSort;
    filter: AccountFilter;
    tenant: string | undefined;
  },
  InvalidInput
> {
  const fields = isRecord(query) ? query : {};
  const tenant = fields['tenant'] === undefined ? ok(undefined) : validateTenant(fields['tenant']);
  if (tenant.isErr()) return err(tenant.error);
  const invalid = (field: string, message: string) => err(errors.invalidInput(field, message));
  const limit = fields['limit'] ?? DEFAULT_PAGE_SIZE;
  if (
    typeof limit !== 'number' ||
    !Number.isSafeInteger(limit) ||
    limit < 1 ||
    limit > MAX_PAGE_SIZE
  ) {
    return invalid('limit', `limit must be a whole number from 1 to ${MAX_PAGE_SIZE}.`);
  }
  const sort = fields['sort'] ?? 'createdAt';
  if (!SORTS.includes(sort as AccountSort)) {
    return invalid('sort', `sort must be one of ${SORTS.join(', ')}.`);
  }
  const filter: {
    active?: boolean;
    state?: AccountState;
    unusedSince?: Date;
    search?: { usernameKey: string; email: string };
  } = {};
  const { active, state, unusedSince, search } = fields;
  if (active !== undefined) {
    if (typeof active !== 'boolean') return invalid('active', 'active must be true or false.');
    filter.active = active;
  }
  if (state !== undefined) {
    if (!STATES.includes(state as AccountState)) {
      return invalid('state', `state must be one of ${STATES.join(', ')}.`);
    }
    filter.state = state as AccountState;
  }
  if (unusedSince !== undefined) {
    if (!(unusedSince instanceof Date) || Number.isNaN(unusedSince.getTime())) {
      return invalid('unusedSince', 'unusedSince must be a valid Date.');
    }
    filter.unusedSince = new Date(unusedSince);
  }
  if (search !== undefined) {
    if (typeof search !== 'string' || search.length > MAX_SEARCH) {
      return invalid('search', `search must be text of up to ${MAX_SEARCH} characters.`);
    }
    const trimmed = search.trim();
    // Folded as stored: the username as its key, the email as compared.
    if (trimmed !== '') {
      filter.search = {
        usernameKey: usernameKeyOf(trimmed),
        email: normaliseEmailForComparison(trimmed),
      };
    }
  }
  const cursor = fields['cursor'];
  const page = { limit, sort: sort as AccountSort, filter, tenant: tenant.value };
  if (cursor === undefined || cursor === null) return ok({ ...page, after: null });
  const after = decodeCursor(cursor, page.sort);
  if (!after) {
    return invalid('cursor', 'cursor is not one returned by listAccounts for this sort.');
  }
  return ok({ ...page, after });
}

/** A cursor: the sort and the last account's position in it, opaque to the caller. */
function encodeCursor(sort: AccountSort, last: AccountPosition): string {
  const position = [
    sort,
    last.id,
    last.createdAt.getTime(),
    last.usernameKey,
    last.lastUsedAt?.getTime() ?? null,
  ];
  return Buffer.from(JSON.stringify(position)).toString('base64url');
}

function decodeCursor(cursor: unknown, sort: AccountSort): AccountPosition | null {
  if (typeof cursor !== 'string' || cursor.length > 2048) return null;
  try {
    const decoded: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (!Array.isArray(decoded) || decoded.length !== 5) return null;
    const [cursorSort, id, createdAt, usernameKey, lastUsedAt] = decoded as unknown[];
    const isTime = (value: unknown): value is number =>
      typeof value === 'number' && Number.isFinite(value) && Math.abs(value) <= 8.64e15;
    if (
      cursorSort !== sort ||
      !isWellFormedAccountId(id) ||
      !isTime(createdAt) ||
      typeof usernameKey !== 'string' ||
      !(lastUsedAt === null || isTime(lastUsedAt))
    ) {
      return null;
    }
    return {
      id,
      createdAt: new Date(createdAt),
      usernameKey,
      lastUsedAt: lastUsedAt === null ? null : new Date(lastUsedAt),
    };
  } catch {
    return null;
  }
}
