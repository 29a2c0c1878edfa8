import type { Actor } from '../core/actor.js';
import type { ApiAccountError } from '../core/errors.js';
import type { ApiAccountManager } from '../core/manager.js';
import { listQueryFromText } from '../core/operations/list-query-text.js';
import { MAX_PAGE_SIZE } from '../core/operations/read-accounts.js';
import type { ResultAsync } from '../core/result.js';

/** What a route's operation is given: the caller, the path's account id, the query and the body. */
export interface RouteCall {
  readonly manager: ApiAccountManager;
  readonly actor: Actor;
  readonly id: string;
  readonly query: URLSearchParams;
  readonly body: Readonly<Record<string, unknown>>;
  /** The tenant the API serves (`adminApi`'s `tenant` option), where new accounts go; else none. */
  readonly tenant: string | undefined;
  /** The version `If-Match` names; `null` when none was sent (or `*`). */
  readonly expectedVersion: number | null;
}

/**
 * One route of the admin API: how it is called, what it answers (for the
 * OpenAPI document) and what it does. The document and the handler are both
 * made from this table, so they cannot disagree.
 */
export interface Route {
  readonly method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** Under `basePath`, with `{id}` for the account id. */
  readonly path: string;
  readonly operationId: string;
  readonly summary: string;
  /** Query parameters and their schemas. */
  readonly query?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  /** The request body's schema name; absent: no body. */
  readonly body?: string;
  /** Whether the body may be left out (an action without options). */
  readonly bodyOptional?: boolean;
  readonly success: { readonly status: 200 | 201; readonly schema: string };
  /** Error statuses this route can answer besides 401, 403, 413, 415 and 5xx. */
  readonly errors: readonly number[];
  /** Whether `If-Match` applies: the change is made only to that version, in the same store write. */
  readonly conditional?: boolean;
  readonly run: (call: RouteCall) => ResultAsync<unknown, ApiAccountError>;
}

/** A date of the query, under its name; nothing when absent (the manager's default applies). */
const date = (name: 'from' | 'to', value: string | null) =>
  value === null ? {} : { [name]: new Date(value) };
/** The version `If-Match` names, as the manager's methods take it. */
const ifVersion = ({ expectedVersion }: RouteCall) =>
  expectedVersion === null ? {} : { expectedVersion };
const confirmation = (call: RouteCall) =>
  ({ ...call.body, ...ifVersion(call) }) as { confirm: true; expectedVersion?: number };

/** Every route under `basePath`. */
export const ROUTES: readonly Route[] = [
  {
    method: 'GET',
    path: '/accounts',
    operationId: 'listAccounts',
    summary: 'A page of API accounts, filtered and sorted, with the total and a link to the next',
    query: {
      tenant: { type: 'string', pattern: '^[A-Za-z0-9._-]{1,64}$' },
      limit: { type: 'integer', minimum: 1, maximum: MAX_PAGE_SIZE },
      cursor: { type: 'string' },
      active: { type: 'boolean' },
      state: { enum: ['claim_pending', 'key_issued', 'no_key'] },
      unusedSince: { type: 'string', format: 'date-time' },
      search: { type: 'string' },
      sort: { enum: ['username', 'createdAt', 'lastUsedAt'] },
    },
    success: { status: 200, schema: 'AccountPage' },
    errors: [422],
    run: ({ manager, actor, query, tenant }) =>
      manager.listAccounts(actor, {
        // The tenant the API serves: an actor that may not administer it is refused, not shown nothing.
        ...(tenant === undefined ? {} : { tenant }),
        ...listQueryFromText((name) => query.get(name) ?? undefined),
      }),
  },
  {
    method: 'POST',
    path: '/accounts',
    operationId: 'createAccount',
    summary: 'Create an API account; the claim goes out by SMS and email',
    body: 'AccountInput',
    success: { status: 201, schema: 'ClaimIssued' },
    errors: [409, 422],
    run: ({ manager, actor, body, tenant }) =>
      manager.createAccount(actor, (tenant === undefined ? body : { tenant, ...body }) as never),
  },
  {
    method: 'GET',
    path: '/accounts/{id}',
    operationId: 'getAccount',
    summary: 'One API account; its ETag is its version',
    success: { status: 200, schema: 'ApiAccount' },
    errors: [404],
    run: ({ manager, actor, id }) => manager.getAccount(actor, id),
  },
  {
    method: 'PATCH',
    path: '/accounts/{id}',
    operationId: 'updateAccount',
    summary:
      'Edit username, email, phone, the active flag and access; If-Match makes it conditional',
    body: 'AccountPatch',
    success: { status: 200, schema: 'ApiAccount' },
    errors: [404, 409, 412, 422],
    conditional: true,
    run: (call) =>
      call.manager.updateAccount(call.actor, call.id, { ...call.body, ...ifVersion(call) }),
  },
  {
    method: 'GET',
    path: '/accounts/{id}/history',
    operationId: 'accountHistory',
    summary: 'Every event of the account, oldest first',
    success: { status: 200, schema: 'History' },
    errors: [404],
    run: ({ manager, actor, id }) => manager.accountHistory(actor, id),
  },
  {
    method: 'GET',
    path: '/accounts/{id}/usage',
    operationId: 'accountUsage',
    summary: 'Accepted and refused verifications per UTC day; by default the last 30 days',
    query: {
      from: { type: 'string', format: 'date-time' },
      to: { type: 'string', format: 'date-time' },
    },
    success: { status: 200, schema: 'Usage' },
    errors: [404, 422],
    run: ({ manager, actor, id, query }) =>
      manager.accountUsage(actor, id, {
        ...date('from', query.get('from')),
        ...date('to', query.get('to')),
      }),
  },
  {
    method: 'GET',
    path: '/accounts/{id}/quota',
    operationId: 'quotaStatus',
    summary:
      "The account's quota and how much of this UTC day or month it has used; null without one",
    success: { status: 200, schema: 'QuotaStatus' },
    errors: [404],
    run: ({ manager, actor, id }) => manager.quotaStatus(actor, id),
  },
  ...(
    [
      ['reset', 'resetApiKey', 'Reset the key: it stops at once, and a new claim goes out'],
      [
        'rotate',
        'rotateApiKey',
        'Rotate the key: a new claim goes out, the key works on for a grace period',
      ],
    ] as const
  ).map(
    ([action, operationId, summary]): Route => ({
      method: 'POST',
      path: `/accounts/{id}/${action}`,
      operationId,
      summary,
      body: 'Confirmation',
      success: { status: 200, schema: 'ClaimIssued' },
      errors: [400, 404, 412, 422],
      conditional: true,
      run: (call) =>
        action === 'reset'
          ? call.manager.resetApiKey(call.actor, call.id, confirmation(call))
          : call.manager.rotateApiKey(call.actor, call.id, confirmation(call)),
    }),
  ),
  ...(
    [
      ['deactivate', 'deactivateAccount', 'Switch access off: the key stops, nothing is deleted'],
      ['reactivate', 'reactivateAccount', 'Switch access on again: the same key works'],
      ['end-grace', 'endGracePeriod', 'Stop the previous key of a rotation now'],
    ] as const
  ).map(
    ([action, operationId, summary]): Route => ({
      method: 'POST',
      path: `/accounts/{id}/${action}`,
      operationId,
      summary,
      success: { status: 200, schema: 'ApiAccount' },
      errors: [404, 412],
      conditional: true,
      run: (call) =>
        action === 'deactivate'
          ? call.manager.deactivateAccount(call.actor, call.id, ifVersion(call))
          : action === 'reactivate'
            ? call.manager.reactivateAccount(call.actor, call.id, ifVersion(call))
            : call.manager.endGracePeriod(call.actor, call.id, ifVersion(call)),
    }),
  ),
  {
    method: 'POST',
    path: '/accounts/{id}/resend-claim',
    operationId: 'resendClaim',
    summary: 'Send a fresh claim in place of the pending one',
    success: { status: 200, schema: 'ClaimIssued' },
    errors: [404, 409, 412],
    conditional: true,
    run: (call) => call.manager.resendClaim(call.actor, call.id, ifVersion(call)),
  },
  {
    method: 'DELETE',
    path: '/accounts/{id}',
    operationId: 'deleteAccount',
    summary: 'Delete the account: its keys stop at once; the history keeps an anonymised entry',
    query: { confirm: { type: 'boolean', const: true } },
    success: { status: 200, schema: 'AccountDeleted' },
    errors: [400, 404, 412],
    conditional: true,
    run: (call) =>
      call.manager.deleteAccount(call.actor, call.id, {
        confirm: (call.query.get('confirm') === 'true') as true,
        ...ifVersion(call),
      }),
  },
];
