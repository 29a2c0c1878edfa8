import { type ConfirmationRequired, errors } from '../errors.js';
import { isRecord } from '../is-record.js';
import { err, ok, type Result } from '../result.js';

/**
 * The explicit `{ confirm: true }` that reset, rotation and deletion ask for;
 * anything else, `true`-ish values included, is `ConfirmationRequired`,
 * whose message names the action and how to confirm it.
 */
export function requireConfirmation(
  options: unknown,
  action: Parameters<typeof errors.confirmationRequired>[0],
): Result<void, ConfirmationRequired> {
  return isRecord(options) && options['confirm'] === true
    ? ok(undefined)
    : err(errors.confirmationRequired(action));
}
