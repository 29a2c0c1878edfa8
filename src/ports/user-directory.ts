/**
 * The host system's own user accounts, asked so that an API account never shares
 * an email address with a person's login.
 *
 * Guarantees an adapter must give:
 * - `isEmailTaken` receives the address already normalised (trimmed, Unicode NFC,
 *   lower-cased) and compares it with the host's addresses normalised the same way.
 * - It rejects or throws when it cannot answer; it never guesses `false`.
 * - `tenant` is the tenant (venue) of the API account: a host whose users
 *   belong to venues checks that venue's users; others ignore it.
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
  /** Whether one of the host's user accounts (of `tenant`, where users belong to one) has this (normalised) email. */
  isEmailTaken(normalisedEmail: string, tenant: string): Promise<boolean>;
}
