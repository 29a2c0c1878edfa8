import { inMemoryPorts, signRequest } from 'api-accounts';
import { accountInput, accountWithKey, freshSealer, world } from '../helpers.js';

/** A manager with a sealer, one account with a key, and a way to sign requests dated by its clock. */
export async function protectedWorld() {
  const ports = inMemoryPorts();
  ports.clock.set(new Date(Math.floor(Date.now() / 1000) * 1000));
  const w = world({ sealer: freshSealer() }, ports);
  const account = await accountWithKey(w, accountInput({ username: 'ACME Tickets' }));
  const sign = async (method: string, url: string, body?: string) =>
    (
      await signRequest({
        method,
        url,
        username: account.username,
        apiKey: account.apiKey,
        date: ports.clock.now(),
        ...(body === undefined ? {} : { body }),
      })
    )._unsafeUnwrap();
  return { ...w, account, sign };
}
