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
  /**
   * Registers a host user account's email (normalised like API account
   * emails), in one tenant's users, or every tenant's when none is named.
   */
  add(email: string, tenant?: string): void;
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
  const everywhere = new Set(emails.map(normaliseEmailForComparison));
  const inTenant = new Set<string>();
  return {
    add(email, tenant) {
      const normalised = normaliseEmailForComparison(email);
      if (tenant === undefined) everywhere.add(normalised);
      else inTenant.add(`${tenant}\n${normalised}`);
    },
    async isEmailTaken(normalisedEmail, tenant) {
      return everywhere.has(normalisedEmail) || inTenant.has(`${tenant}\n${normalisedEmail}`);
    },
  };
}
