import { errors, type Forbidden, type PortFailed } from './errors.js';
import { isRecord } from './is-record.js';
import { err, errAsync, ok, okAsync, type Result, ResultAsync } from './result.js';
import { DEFAULT_TENANT, isTenant } from './tenant.js';

/**
 * The role an actor must hold to manage API accounts.
 *
 * @example
 * ```ts
 * const admin: Actor = { id: 'user-42', roles: [SETTINGS_ADMINISTRATOR] };
 * ```
 */
export const SETTINGS_ADMINISTRATOR = 'Settings Administrator';

/**
 * Who is calling an administrative method: the host's signed-in user, passed
 * explicitly on every call.
 *
 * @example
 * ```ts
 * const actor: Actor = { id: session.userId, roles: session.roles };
 * ```
 */
export interface Actor {
  readonly id: string;
  readonly roles: readonly string[];
  /**
   * The tenants (venues) it administers, or `'*'` for all of them. Absent:
   * only `'default'`. An account of any other tenant is
   * `AccountNotFound` to it, as if it did not exist.
   */
  readonly tenants?: readonly string[] | '*';
}

/**
 * The administrative methods, as `authorize` is asked about them, and
 * `updateAccess`: granting scopes, allowed addresses or a rate limit. A call
 * is asked for everything it does: an `updateAccount` that switches the
 * account off or on is also asked `deactivateAccount` or `reactivateAccount`,
 * and one that changes access (or a `createAccount` that sets it) is also
 * asked `updateAccess`; it proceeds only when every answer is yes.
 *
 * @example
 * ```ts
 * const readOnly: readonly AdminAction[] = ['listAccounts', 'getAccount', 'accountHistory', 'accountUsage', 'quotaStatus'];
 * ```
 */
export type AdminAction =
  | 'listAccounts'
  | 'getAccount'
  | 'createAccount'
  | 'updateAccount'
  | 'updateAccess'
  | 'deactivateAccount'
  | 'reactivateAccount'
  | 'resetApiKey'
  | 'rotateApiKey'
  | 'endGracePeriod'
  | 'resendClaim'
  | 'accountHistory'
  | 'accountUsage'
  | 'quotaStatus'
  | 'deleteAccount';

/**
 * The host's authorization: may `actor` perform `action` in `tenant` (on
 * `accountId`, when the action names one)? Replaces the default check, which
 * lets through an actor holding {@link SETTINGS_ADMINISTRATOR} in a tenant
 * among its `tenants`. It is asked only about accounts of the actor's
 * `tenants` (any other is `AccountNotFound` before it is asked); a listing
 * across all of them asks with the tenant `'*'`.
 *
 * @example
 * ```ts
 * const authorize: Authorize = (actor, action) =>
 *   actor.roles.includes('Auditor') ? action === 'listAccounts' || action === 'accountHistory' : actor.roles.includes(SETTINGS_ADMINISTRATOR);
 * ```
 */
export type Authorize = (
  actor: Actor,
  action: AdminAction,
  accountId: string | undefined,
  tenant: string,
) => boolean | Promise<boolean>;

/**
 * The tenants an actor administers: its `tenants`, or only the default one.
 * `'*'`: every tenant.
 */
export function tenantScope(actor: Actor): readonly string[] | '*' {
  // Own property only, as for `id` and `roles`.
  return (Object.hasOwn(actor, 'tenants') ? actor.tenants : undefined) ?? [DEFAULT_TENANT];
}

/** Whether `tenant` is in the actor's scope (`'*'`: a listing across it, always). */
function administers(actor: Actor, tenant: string): boolean {
  const scope = tenantScope(actor);
  return scope === '*' || tenant === '*' || scope.includes(tenant);
}

/**
 * The checks administrative operations run: `actor` vets the caller before
 * anything is read (a well-formed actor; without a host `authorize`, the
 * {@link SETTINGS_ADMINISTRATOR} role), and `action` asks about one action in
 * one tenant: refused outside the actor's tenants, else answered by the
 * host's `authorize` if it gave one (the role otherwise). Only `true` lets the call through; an `authorize` that
 * throws or rejects is `PortFailed`, and nothing happens.
 */
export interface Authorizer {
  actor(actor: unknown, action: AdminAction): Result<Actor, Forbidden>;
  action(
    actor: unknown,
    action: AdminAction,
    tenant: string,
    accountId?: string,
  ): ResultAsync<Actor, Forbidden | PortFailed>;
}

/** The {@link Authorizer} for the host's `authorize`, or the default rules without one. */
export function authorizer(authorize: Authorize | undefined): Authorizer {
  const vet = (actor: unknown, action: AdminAction): Result<Actor, Forbidden> => {
    if (!isActor(actor)) {
      return err(
        errors.forbidden(actorIdOf(actor), authorize ? null : SETTINGS_ADMINISTRATOR, action),
      );
    }
    if (!authorize && !actor.roles.includes(SETTINGS_ADMINISTRATOR)) {
      return err(errors.forbidden(actor.id, SETTINGS_ADMINISTRATOR, action));
    }
    return ok(actor);
  };
  return {
    actor: vet,
    action(actor, action, tenant, accountId) {
      const vetted = vet(actor, action);
      if (vetted.isErr()) return errAsync(vetted.error);
      const admin = vetted.value;
      // The actor's tenants bind a host's `authorize` too: it is never asked about another venue.
      if (!administers(admin, tenant)) {
        return errAsync(
          errors.forbidden(admin.id, authorize ? null : SETTINGS_ADMINISTRATOR, action),
        );
      }
      if (!authorize) return okAsync(admin);
      const decided = (async (): Promise<Result<Actor, Forbidden | PortFailed>> => {
        try {
          const allowed = await authorize(admin, action, accountId, tenant);
          return allowed === true ? ok(admin) : err(errors.forbidden(admin.id, null, action));
        } catch (cause) {
          return err(errors.portFailed('authorize', cause));
        }
      })();
      return new ResultAsync(decided);
    },
  };
}

function actorIdOf(actor: unknown): string {
  return isRecord(actor) && Object.hasOwn(actor, 'id') && typeof actor['id'] === 'string'
    ? actor['id']
    : '';
}

/**
 * Own properties only: an actor whose `id` or `roles` comes from its prototype
 * (say, an object built from a shared template, or a polluted
 * `Object.prototype`) is not the actor the host meant to pass.
 */
function isActor(value: unknown): value is Actor {
  if (!isRecord(value) || !Object.hasOwn(value, 'id') || !Object.hasOwn(value, 'roles')) {
    return false;
  }
  const { id, roles } = value;
  const tenants = Object.hasOwn(value, 'tenants') ? value['tenants'] : undefined;
  return (
    typeof id === 'string' &&
    Array.isArray(roles) &&
    roles.every((role) => typeof role === 'string') &&
    // A malformed list of tenants administers nothing rather than something unintended.
    (tenants === undefined ||
      tenants === '*' ||
      (Array.isArray(tenants) && tenants.every(isTenant)))
  );
}
