/**
 * An invalidation as the Redis and PostgreSQL buses send it: the account id,
 * then, after a space, when the change was made in ms since the epoch. Ids
 * hold no space, and a message of an earlier release (the id alone) reads
 * as a change of unknown time.
 */
export function invalidationMessage(accountId: string, changedAt?: Date): string {
  const at = changedAt?.getTime();
  return at === undefined || !Number.isFinite(at) ? accountId : `${accountId} ${at}`;
}

/** {@link invalidationMessage} read back; `null` for an empty message. */
export function readInvalidationMessage(
  message: string,
): { readonly accountId: string; readonly changedAt: Date | undefined } | null {
  const [accountId = '', at] = message.split(' ', 2);
  if (accountId === '') return null;
  const ms = at === undefined ? Number.NaN : Number(at);
  return { accountId, changedAt: Number.isFinite(ms) ? new Date(ms) : undefined };
}
