import type {
  AccessChanges,
  AccountAccess,
  AccountChange,
  AccountEvent,
  AccountRecord,
} from '../../ports/account-store.js';
import type { QuotaPolicy } from '../../ports/quota-counter.js';
import type { RateLimitPolicy } from '../../ports/rate-limiter.js';
import {
  accessFieldChecks,
  effectiveScopes,
  type ResolvedAccess,
} from '../access/access-policy.js';
import type { ApiAccount } from '../account.js';
import type { Actor, AdminAction } from '../actor.js';
import { errors, type Forbidden, type InvalidInput, type PortFailed } from '../errors.js';
import { isRecord } from '../is-record.js';
import { err, ok, okAsync, Result, ResultAsync } from '../result.js';
import { validateEmail } from '../validation/email.js';
import { validateMobilePhone } from '../validation/phone.js';
import { validateUsername } from '../validation/username.js';
import {
  accountView,
  type ChangeDecision,
  type ChangeError,
  changeAccount,
  type ExpectedVersion,
  expectedVersionOf,
} from './change-account.js';
import { authorizeOnAccount, type OperationContext } from './operation-context.js';
import {
  ensureEmailFreeInDirectory,
  oneOrAllInvalid,
  type ProfileError,
} from './validate-profile.js';

/**
 * What `updateAccount` may change. Absent fields stay as they are.
 *
 * @example
 * ```ts
 * const patch: AccountPatch = { phone: '+447911123456', expectedVersion: account.version };
 * ```
 */
export interface AccountPatch {
  readonly username?: string;
  readonly email?: string;
  readonly phone?: string;
  /** The "This API is active" box. */
  readonly active?: boolean;
  /** Declared scopes it may use (replaces the list). */
  readonly scopes?: readonly string[];
  /** IPv4/IPv6 addresses and CIDR ranges its requests may come from (replaces the list); `[]`: anywhere. */
  readonly allowedIps?: readonly string[];
  /** Its own rate limit; `null`: back to the manager's default. */
  readonly rateLimit?: RateLimitPolicy | null;
  /** Its own quota; `null`: back to the manager's default. */
  readonly quota?: QuotaPolicy | null;
  /**
   * The version the administrator's form was loaded at. When given, the edit
   * fails with `Conflict` if the account changed since; when left out, the edit
   * applies to the latest version.
   */
  readonly expectedVersion?: number;
}

/**
 * Errors `updateAccount`, `deactivateAccount` and `reactivateAccount` can return.
 *
 * @example
 * ```ts
 * const onError = (error: UpdateAccountError) => show(error.message);
 * ```
 */
export type UpdateAccountError = Forbidden | ProfileError | InvalidInput | ChangeError;

/** A patch after validation: `undefined` for every field left as it is. */
interface ValidPatch {
  readonly username?: { readonly username: string; readonly usernameKey: string } | undefined;
  readonly email?: string | undefined;
  readonly phone?: string | undefined;
  readonly active?: boolean | undefined;
  readonly scopes?: readonly string[] | undefined;
  readonly allowedIps?: readonly string[] | undefined;
  readonly rateLimit?: RateLimitPolicy | null | undefined;
  readonly quota?: QuotaPolicy | null | undefined;
  readonly expectedVersion?: number | undefined;
}

/**
 * Edits username, email, phone, the active flag and access (scopes, allowed
 * addresses, rate limit, quota) under the rules of creation. A new email or phone cancels a pending claim (it went to the old
 * address or number); the key, if issued, is kept.
 */
export function updateAccount(
  ctx: OperationContext,
  actor: unknown,
  accountId: unknown,
  patch: unknown,
): ResultAsync<ApiAccount, UpdateAccountError> {
  return authorizeOnAccount(ctx, actor, 'updateAccount', accountId)
    .andThen(({ admin, record: read }) =>
      validatePatch(ctx, patch).map((valid) => ({ admin, valid, read })),
    )
    .andThen(({ admin, valid, read }) =>
      changeAccount(
        ctx,
        accountId,
        (record, now) => {
          const decision = decideUpdate(record, valid, admin, now, ctx.config.access);
          if (decision.kind === 'unchanged') return okAsync(decision);
          const { change } = decision;
          const newEmail = change.profile?.email;
          return authorizeEffects(ctx, admin, record, change)
            .andThen(() =>
              newEmail === undefined || newEmail === record.email
                ? okAsync(undefined)
                : ensureEmailFreeInDirectory(ctx, newEmail, record.tenant),
            )
            .map(() => decision);
        },
        { expectedVersion: valid.expectedVersion, read },
      ),
    )
    .andThen(accountView(ctx));
}

/**
 * Switches access off or on. Switching off stops the key at once without
 * deleting anything; switching on makes the same key work again. Asking for the
 * state the account is already in changes nothing.
 */
export function setAccountActive(
  ctx: OperationContext,
  actor: unknown,
  accountId: unknown,
  active: boolean,
  options?: ExpectedVersion,
): ResultAsync<ApiAccount, UpdateAccountError> {
  return authorizeOnAccount(
    ctx,
    actor,
    active ? 'reactivateAccount' : 'deactivateAccount',
    accountId,
  )
    .andThen(({ admin, record: read }) =>
      expectedVersionOf(options).map((expectedVersion) => ({ admin, expectedVersion, read })),
    )
    .andThen(({ admin, expectedVersion, read }) =>
      changeAccount(
        ctx,
        accountId,
        (record, now) => okAsync(decideUpdate(record, { active }, admin, now, ctx.config.access)),
        { expectedVersion, read },
      ),
    )
    .andThen(accountView(ctx));
}

/**
 * Asks `authorize` for what the change does besides editing the profile:
 * switching the account off or on, and changing its access. The first
 * refusal refuses the whole call, before anything is written.
 */
function authorizeEffects(
  ctx: OperationContext,
  admin: Actor,
  record: AccountRecord,
  change: AccountChange,
): ResultAsync<void, Forbidden | PortFailed> {
  const actions: AdminAction[] = [];
  if (change.active !== undefined) {
    actions.push(change.active ? 'reactivateAccount' : 'deactivateAccount');
  }
  if (change.access !== undefined) actions.push('updateAccess');
  return ResultAsync.combine(
    actions.map((action) => ctx.authorize.action(admin, action, record.tenant, record.id)),
  ).map(() => undefined);
}

function decideUpdate(
  record: AccountRecord,
  patch: ValidPatch,
  admin: Actor,
  now: Date,
  vocabulary: ResolvedAccess,
): ChangeDecision {
  const next = {
    username: patch.username?.username ?? record.username,
    usernameKey: patch.username?.usernameKey ?? record.usernameKey,
    email: patch.email ?? record.email,
    phone: patch.phone ?? record.phone,
  };
  const fields = (['username', 'email', 'phone'] as const).filter((f) => next[f] !== record[f]);
  const activeChanged = patch.active !== undefined && patch.active !== record.active;
  const access = accessChanges(record.access, patch, vocabulary);
  if (fields.length === 0 && !activeChanged && access === null) return { kind: 'unchanged' };

  const event = (type: AccountEvent['type']): AccountEvent => ({
    type,
    accountId: record.id,
    tenant: record.tenant,
    actorId: admin.id,
    at: now,
  });
  const events: AccountEvent[] = [];
  if (fields.length > 0) events.push({ ...event('account.updated'), fields });
  const contactChanged = fields.includes('email') || fields.includes('phone');
  const cancelClaim = contactChanged && record.claim !== null;
  if (cancelClaim) events.push(event('claim.cancelled'));
  if (activeChanged)
    events.push(event(patch.active ? 'account.reactivated' : 'account.deactivated'));
  if (access?.changes.scopes) {
    events.push({ ...event('account.scopes_changed'), changes: { scopes: access.changes.scopes } });
  }
  if (access && (access.changes.allowedIps || access.changes.rateLimit || access.changes.quota)) {
    const { scopes: _scopes, ...changes } = access.changes;
    events.push({ ...event('account.access_changed'), changes });
  }

  const change: AccountChange = {
    accountId: record.id,
    expectedVersion: record.version,
    at: now,
    ...(fields.length > 0 ? { profile: next } : {}),
    ...(activeChanged && patch.active !== undefined ? { active: patch.active } : {}),
    ...(cancelClaim ? { claim: { kind: 'cancel' } as const } : {}),
    ...(access ? { access: access.next } : {}),
    events,
  };
  return { kind: 'apply', change };
}

/**
 * The account's access after the patch, and what changed, before and after;
 * `null` when nothing did. Scopes never set count as every declared scope,
 * so granting exactly those changes nothing.
 */
function accessChanges(
  current: AccountAccess,
  patch: ValidPatch,
  vocabulary: ResolvedAccess,
): { readonly next: AccountAccess; readonly changes: AccessChanges } | null {
  const sameList = (a: readonly string[], b: readonly string[]) =>
    a.length === b.length && a.every((item, i) => item === b[i]);
  const scopesBefore = effectiveScopes(current.scopes, vocabulary);
  const changes: {
    scopes?: NonNullable<AccessChanges['scopes']>;
    allowedIps?: NonNullable<AccessChanges['allowedIps']>;
    rateLimit?: NonNullable<AccessChanges['rateLimit']>;
    quota?: NonNullable<AccessChanges['quota']>;
  } = {};
  if (patch.scopes && !sameList(patch.scopes, scopesBefore)) {
    changes.scopes = { before: [...scopesBefore], after: [...patch.scopes] };
  }
  if (patch.allowedIps && !sameList(patch.allowedIps, current.allowedIps)) {
    changes.allowedIps = { before: [...current.allowedIps], after: [...patch.allowedIps] };
  }
  if (patch.rateLimit !== undefined && !samePolicy(current.rateLimit, patch.rateLimit)) {
    changes.rateLimit = { before: current.rateLimit, after: patch.rateLimit };
  }
  if (patch.quota !== undefined && !samePolicy(current.quota, patch.quota)) {
    changes.quota = { before: current.quota, after: patch.quota };
  }
  if (!changes.scopes && !changes.allowedIps && !changes.rateLimit && !changes.quota) return null;
  return {
    next: {
      scopes: changes.scopes ? changes.scopes.after : current.scopes,
      allowedIps: changes.allowedIps ? changes.allowedIps.after : current.allowedIps,
      rateLimit: changes.rateLimit ? changes.rateLimit.after : current.rateLimit,
      quota: changes.quota ? changes.quota.after : current.quota,
    },
    changes,
  };
}

/** Whether two policies (a rate limit's or a quota's, `null`: none) are the same. */
function samePolicy<P extends object>(before: P | null, after: P | null): boolean {
  if (before === null || after === null) return before === after;
  return (Object.keys(after) as (keyof P)[]).every((field) => before[field] === after[field]);
}

function validatePatch(
  ctx: OperationContext,
  patch: unknown,
): Result<ValidPatch, ProfileError | InvalidInput> {
  if (!isRecord(patch)) {
    return err(
      errors.invalidInput('patch', 'The changes must be an object such as { active: false }.'),
    );
  }
  const { username, email, phone, active } = patch;
  const [scopesChecked, allowedIpsChecked, rateLimitChecked, quotaChecked] = accessFieldChecks(
    patch,
    ctx.config.access,
  );
  return Result.combineWithAllErrors([
    username === undefined ? ok(undefined) : validateUsername(username),
    email === undefined ? ok(undefined) : validateEmail(email),
    phone === undefined ? ok(undefined) : validateMobilePhone(phone, ctx.config.phone),
    active === undefined || typeof active === 'boolean'
      ? ok(active)
      : err(errors.invalidInput('active', 'active must be true or false.')),
    expectedVersionOf(patch),
    scopesChecked,
    allowedIpsChecked,
    rateLimitChecked,
    quotaChecked,
  ])
    .mapErr((failed) => oneOrAllInvalid<ProfileError>(failed))
    .map(
      ([
        validUsername,
        validEmail,
        validPhone,
        validActive,
        expectedVersion,
        scopes,
        allowedIps,
        rateLimit,
        quota,
      ]) => ({
        username: validUsername,
        email: validEmail,
        phone: validPhone,
        active: validActive,
        expectedVersion,
        scopes,
        allowedIps,
        rateLimit,
        quota,
      }),
    );
}
