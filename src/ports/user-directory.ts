/**
 * The host system's own user accounts, asked so that an API account never shares
 * an email address with a person's login.
 *
 * Guarantees an adapter must give:
 * - `isEmailTaken` receives the address already normalised (trimmed, Unicode NFC,
 *   lower-cased) and compares it with the host's addresses normalised the same way.
 * - It rejects or throws when it cannot answer; it never guesses `false`.
 *
 * @example
 * ```ts
 * const directory: UserDirectory = {
 *   async isEmailTaken(email) {
 *     return (await db.users.count({ where: { emailNormalised: email } })) > 0;
 *   },
 * };
 * ```
 */
export interface UserDirectory {
  /** Whether one of the host's user accounts has this (normalised) email. */
  isEmailTaken(normalisedEmail: string): Promise<boolean>;
}
