import type { AccountStore } from 'api-accounts';
import type { AccountPosition, AccountRecord } from 'api-accounts/ports';
import { expect } from 'vitest';
import { everyAccount, newAccount, positionOf } from '../../../src/testing/store-fixtures.js';

/** `count` accounts created at one instant, as an import or a migration leaves them. */
export function accountsCreatedAt(at: Date, count: number): AccountRecord[] {
  return Array.from({ length: count }, (_, i) => ({
    ...newAccount({ username: `Tied ${i}`, usernameKey: `tied ${i}`, email: `t${i}@x.example` }),
    createdAt: at,
    updatedAt: at,
  }));
}

/** Every account id, in the order `listAccounts` pages through them `limit` at a time. */
export async function pageThrough(store: AccountStore, limit: number): Promise<string[]> {
  const seen: string[] = [];
  let after: AccountPosition | null = null;
  for (;;) {
    const page = await store.listAccounts(everyAccount(limit, after));
    const last = page.at(-1);
    if (!last) return seen;
    seen.push(...page.map((account) => account.id));
    after = positionOf(last);
  }
}

/**
 * Stores 300 accounts created at `at`, pages through them 7 at a time, checks
 * each comes once and in id order, and answers the ids in that order.
 */
export async function pageThroughTiedAccounts(store: AccountStore, at: Date): Promise<string[]> {
  const tied = accountsCreatedAt(at, 300);
  for (const account of tied) await store.insertAccount(account, []);
  const seen = await pageThrough(store, 7);
  expect(seen).toEqual(tied.map((account) => account.id).sort());
  return seen;
}
