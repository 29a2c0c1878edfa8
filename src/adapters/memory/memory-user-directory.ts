import { normaliseEmailForComparison } from '../../core/validation/email.js';
import type { UserDirectory } from '../../ports/user-directory.js';

/**
 * A {@link UserDirectory} holding the host's user emails in memory.
 *
 * @example
 * ```ts
 * const directory = inMemoryUserDirectory();
 * directory.add('Box.Office@Example.com'); // a person's login; API accounts cannot use it
 * ```
 */
export interface InMemoryUserDirectory extends UserDirectory {
  /** Registers a host user account's email (normalised like API account emails). */
  add(email: string): void;
}

/**
 * Creates an {@link InMemoryUserDirectory}, optionally with some emails already in it.
 *
 * @example
 * ```ts
 * const directory = inMemoryUserDirectory(['admin@box-office.example']);
 * ```
 */
export function inMemoryUserDirectory(emails: readonly string[] = []): InMemoryUserDirectory {
  const taken = new Set(emails.map(normaliseEmailForComparison));
  return {
    add(email) {
      taken.add(normaliseEmailForComparison(email));
    },
    async isEmailTaken(normalisedEmail) {
      return taken.has(normalisedEmail);
    },
  };
}
