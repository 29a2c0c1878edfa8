import { errors, type Forbidden } from './errors.js';
import { isRecord } from './is-record.js';
import { err, ok, type Result } from './result.js';

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
 * Lets the call through only for an actor holding {@link SETTINGS_ADMINISTRATOR}.
 * Anything that is not a well-formed actor is refused the same way.
 */
export function requireAdministrator(actor: unknown): Result<Actor, Forbidden> {
  if (isActor(actor) && actor.roles.includes(SETTINGS_ADMINISTRATOR)) {
    return ok(actor);
  }
  const actorId =
    isRecord(actor) && Object.hasOwn(actor, 'id') && typeof actor['id'] === 'string'
      ? actor['id']
      : '';
  return err(errors.forbidden(actorId, SETTINGS_ADMINISTRATOR));
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
