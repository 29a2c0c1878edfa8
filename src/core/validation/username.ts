import { errors, type InvalidUsername } from '../errors.js';
import { err, ok, type Result } from '../result.js';
import { hasControlCharacter, hasInvisibleCharacter, hasLoneSurrogate } from './characters.js';
import { describeNonString, echoInput } from './echo-input.js';

/** The longest username, in Unicode code points. */
export const USERNAME_MAX_LENGTH = 64;

/**
 * A username that passed the account rules: the display form and the key it is
 * unique by.
 *
 * @example
 * ```ts
 * const { username, usernameKey } = validateUsername('  ACME Tickets ')._unsafeUnwrap();
 * // username 'ACME Tickets', usernameKey 'acme tickets'
 * ```
 */
export interface ValidUsername {
  /** Trimmed and NFC-normalised: what is shown and what signs requests. */
  readonly username: string;
  /** NFKC and case-folded: what uniqueness is checked on (`ＡＣＭＥ` and `acme` are one name). */
  readonly usernameKey: string;
}

/**
 * Checks a username: trimmed, 1–64 characters, no `:` (it separates the username
 * from the signature in `SpektrixAPI3` headers), no control characters, and no
 * invisible ones (zero-width and format characters, soft hyphens, spaces other
 * than U+0020), which would let `AC\u200BME` pass for `ACME`. Uniqueness is by
 * the returned `usernameKey` (NFKC and case-folded), so compatibility forms such as full-width letters
 * collide with their plain forms.
 *
 * @example
 * ```ts
 * validateUsername('ACME:1').isErr(); // true, reason 'contains_colon'
 * ```
 */
export function validateUsername(input: unknown): Result<ValidUsername, InvalidUsername> {
  if (typeof input !== 'string') {
    return err(
      errors.invalidUsername(
        describeNonString(input),
        'not_a_string',
        'The username must be text.',
      ),
    );
  }
  const echo = echoInput(input);
  if (hasLoneSurrogate(input)) {
    return err(
      errors.invalidUsername(echo, 'invalid_unicode', 'The username contains invalid characters.'),
    );
  }
  const username = input.trim().normalize('NFC');
  if (username.length === 0) {
    return err(
      errors.invalidUsername(echo, 'empty', 'Enter a username, such as the company name.'),
    );
  }
  if (countCodePoints(username) > USERNAME_MAX_LENGTH) {
    return err(
      errors.invalidUsername(
        echo,
        'too_long',
        `The username can be at most ${USERNAME_MAX_LENGTH} characters long.`,
      ),
    );
  }
  if (username.includes(':')) {
    return err(
      errors.invalidUsername(echo, 'contains_colon', 'The username cannot contain a colon (:).'),
    );
  }
  if (hasControlCharacter(username)) {
    return err(
      errors.invalidUsername(
        echo,
        'control_character',
        'The username cannot contain control or text-direction characters.',
      ),
    );
  }
  if (hasInvisibleCharacter(username)) {
    return err(
      errors.invalidUsername(
        echo,
        'invisible_character',
        'The username cannot contain invisible characters (zero-width, soft hyphens, or spaces other than a plain space).',
      ),
    );
  }
  return ok({ username, usernameKey: usernameKeyOf(username) });
}

/**
 * The identity of a valid username, as used for uniqueness and for looking up
 * the signer of a `SpektrixAPI3` request: Unicode NFKC, then case-folded (upper
 * then lower case, so `ß` and `SS` meet), then NFKC again. Compatibility forms
 * (full-width `ＡＣＭＥ`, ligatures, superscripts) fold into their plain forms.
 */
export function usernameKeyOf(username: string): string {
  // Printable ASCII folds to its lower case; signed-request verification runs this on every request.
  if (/^[\x20-\x7e]*$/.test(username)) return username.toLowerCase();
  return username.normalize('NFKC').toUpperCase().toLowerCase().normalize('NFKC');
}

function countCodePoints(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}
