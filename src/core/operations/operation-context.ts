import type { AccountRecord } from '../../ports/account-store.js';
import { type Actor, type AdminAction, type Authorizer, tenantScope } from '../actor.js';
import type { ChangeFeed } from '../change-feed.js';
import { encodeBase62Fixed } from '../crypto/base62.js';
import {
  type AccountNotFound,
  errors,
  type Forbidden,
  type PortFailed,
  type StoreUnavailable,
} from '../errors.js';
import type { ResolvedConfig } from '../options.js';
import type { PortCalls } from '../port-calls.js';
import { err, ok, type Result, type ResultAsync, safeTry } from '../result.js';
import type { VerificationContext } from '../verification/context.js';

/**
 * What every operation runs with: verification's context with every port
 * and the whole configuration, where stored events are published, and the
 * authorization check.
 */
export interface OperationContext extends VerificationContext {
  readonly ports: PortCalls;
  readonly config: ResolvedConfig;
  /** Announces stored events (cache, invalidation bus, host listener); never fails, never waits. */
  readonly publish: ChangeFeed['publish'];
  /** Forgets an account in every cache after a write whose outcome is unknown. */
  readonly invalidate: ChangeFeed['invalidate'];
  /** Lets an administrative call through, or refuses it (the host's `authorize`, or the role and tenants). */
  readonly authorize: Authorizer;
}

/** Bytes of randomness in an account id. */
const ACCOUNT_ID_BYTES = 16;
/** An account id: `acct_` and 22 base62 characters. */
const ACCOUNT_ID_PATTERN = /^acct_[0-9A-Za-z]{22}$/;

/**
 * A fresh, unguessable account id.
 */
export function newAccountId(ctx: OperationContext): Result<string, PortFailed> {
  return ctx.ports
    .randomBytes(ACCOUNT_ID_BYTES)
    .map((bytes) => `acct_${encodeBase62Fixed(bytes, 22) ?? ''}`);
}

/**
 * Whether `id` can be an account id at all; anything else is `AccountNotFound`
 * without a storage round trip.
 */
export function isWellFormedAccountId(id: unknown): id is string {
  return typeof id === 'string' && ACCOUNT_ID_PATTERN.test(id);
}

/**
 * An account id as an error may echo it: the start of a string, or the type of
 * anything else (whose `toString` could throw or lie).
 */
export function describeAccountId(id: unknown): string {
  return typeof id === 'string' ? id.slice(0, 64) : `[${id === null ? 'null' : typeof id}]`;
}

/** The tenants an administrator's reads are confined to; `undefined`: all. */
export function readableTenants(admin: Actor): readonly string[] | undefined {
  const scope = tenantScope(admin);
  return scope === '*' ? undefined : scope;
}

/**
 * The check an action on one account starts with: the caller is vetted, the
 * account read within the caller's tenants (one of another tenant is
 * `AccountNotFound`, by the same lookup as a missing one), then the action is
 * authorized in the account's tenant.
 */
export function authorizeOnAccount(
  ctx: OperationContext,
  actor: unknown,
  action: AdminAction,
  accountId: unknown,
): ResultAsync<
  { readonly admin: Actor; readonly record: AccountRecord },
  Forbidden | PortFailed | AccountNotFound | StoreUnavailable
> {
  return safeTry(async function* () {
    const vetted = yield* ctx.authorize.actor(actor, action);
    if (!isWellFormedAccountId(accountId)) {
      return err(errors.accountNotFound(describeAccountId(accountId)));
    }
    const record = yield* ctx.ports.store.findAccountById(accountId, readableTenants(vetted));
    if (!record) return err(errors.accountNotFound(accountId));
    const admin = yield* ctx.authorize.action(vetted, action, record.tenant, accountId);
    return ok({ admin, record });
  });
}
