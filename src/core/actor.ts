import { errors, type Forbidden, type PortFailed } from './errors.js';
import { isRecord } from './is-record.js';
import { err, errAsync, ok, okAsync, type Result, ResultAsync } from './result.js';

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
 * const readOnly: readonly AdminAction[] = ['listAccounts', 'getAccount', 'accountHistory', 'accountUsage'];
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
  | 'deleteAccount';

/**
 * The host's authorization: may `actor` perform `action` (on `accountId`,
 * when the action names one)? Replaces the default check, which lets through
 * an actor holding {@link SETTINGS_ADMINISTRATOR}.
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
  accountId?: string,
) => boolean | Promise<boolean>;

/**
 * The check every administrative operation starts with: a well-formed actor
 * (its own `id` and `roles`), then `authorize` if the host gave one, else
 * the {@link SETTINGS_ADMINISTRATOR} role. Only `true` lets the call through;
 * an `authorize` that throws or rejects is `PortFailed`, and nothing happens.
 */
export function authorizer(
  authorize: Authorize | undefined,
): (
  actor: unknown,
  action: AdminAction,
  accountId?: unknown,
) => ResultAsync<Actor, Forbidden | PortFailed> {
  return (actor, action, accountId) => {
    const refused = (requiredRole: string | null) =>
      errors.forbidden(actorIdOf(actor), requiredRole, action);
    if (!authorize) {
      return isActor(actor) && actor.roles.includes(SETTINGS_ADMINISTRATOR)
        ? okAsync(actor)
        : errAsync(refused(SETTINGS_ADMINISTRATOR));
    }
    if (!isActor(actor)) return errAsync(refused(null));
    const decided = (async (): Promise<Result<Actor, Forbidden | PortFailed>> => {
      try {
        // Only an id the caller could mean is passed on; anything else is refused later as not found.
        const allowed = await (typeof accountId === 'string'
          ? authorize(actor, action, accountId)
          : authorize(actor, action));
        return allowed === true ? ok(actor) : err(refused(null));
      } catch (cause) {
        return err(errors.portFailed('authorize', cause));
      }
    })();
    return new ResultAsync(decided);
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
  return (
    typeof id === 'string' &&
    Array.isArray(roles) &&
    roles.every((role) => typeof role === 'string')
  );
}
