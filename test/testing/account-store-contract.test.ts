/**
 * The store contract must be able to fail: each of these broken stores breaks
 * one guarantee, and the suite must catch every one of them.
 */

import type { AccountStore } from 'api-accounts';
import type { AccountRecord, KeyHolder } from 'api-accounts/ports';
import { accountStoreContract, inMemoryAccountStore } from 'api-accounts/testing';
import { describe, expect, it } from 'vitest';

type Mutant = (inner: AccountStore) => AccountStore;

const mutants: Record<string, Mutant> = {
  'ignores the expected version': (inner) => ({
    ...inner,
    async applyAccountChange(change) {
      const current = await inner.findAccountById(change.accountId);
      return inner.applyAccountChange({
        ...change,
        expectedVersion: current?.version ?? change.expectedVersion,
      });
    },
  }),
  'hands out shared records': (inner) => {
    const cache = new Map<string, AccountRecord | null>();
    return {
      ...inner,
      async findAccountById(id) {
        if (!cache.has(id)) cache.set(id, await inner.findAccountById(id));
        return cache.get(id) ?? null;
      },
    };
  },
  'lets the attempt counter overshoot': (inner) => ({
    ...inner,
    async recordFailedClaimAttempt(id, hash, event) {
      const outcome = await inner.recordFailedClaimAttempt(id, hash, event);
      return outcome.outcome === 'locked'
        ? { outcome: 'counted', attempts: 6, maxAttempts: 5 }
        : outcome;
    },
  }),
  'lets a claim be completed twice': (inner) => ({
    ...inner,
    async completeClaim(id, hash, key, at, event) {
      const outcome = await inner.completeClaim(id, hash, key, at, event);
      const account = await inner.findAccountById(id);
      return outcome.outcome === 'gone' && account ? { outcome: 'completed', account } : outcome;
    },
  }),
  'completes an expired claim': (inner) => ({
    ...inner,
    async completeClaim(id, hash, key, _at, event) {
      return inner.completeClaim(id, hash, key, new Date(0), event);
    },
  }),
  'keeps revoked keys findable': (inner) => {
    const seen = new Map<string, KeyHolder>();
    return {
      ...inner,
      async findKeyHolder(hash) {
        const found = (await inner.findKeyHolder(hash)) ?? seen.get(hash) ?? null;
        if (found) seen.set(hash, found);
        return found;
      },
    };
  },
  'answers records with their dates as strings, as a JSON column would': (inner) => ({
    ...inner,
    async findAccountById(id) {
      const record = await inner.findAccountById(id);
      return record && ({ ...record, createdAt: record.createdAt.toISOString() } as never);
    },
  }),
  'answers an event without its actor': (inner) => ({
    ...inner,
    async listEvents(id) {
      return (await inner.listEvents(id)).map(({ actorId: _, ...event }) => event as never);
    },
  }),
  'returns events newest first': (inner) => ({
    ...inner,
    async listEvents(id) {
      return (await inner.listEvents(id)).reverse();
    },
  }),
  'repeats a row across pages': (inner) => ({
    ...inner,
    async listAccounts(page) {
      return inner.listAccounts({ ...page, after: null });
    },
  }),
  'writes events of a refused insert': (inner) => ({
    ...inner,
    async insertAccount(account, events) {
      const outcome = await inner.insertAccount(account, events);
      if (outcome.outcome !== 'inserted')
        await inner.insertAccount(
          { ...account, usernameKey: `${account.usernameKey}-x`, email: `x-${account.email}` },
          events,
        );
      return outcome;
    },
  }),
};

async function failingCases(mutant: Mutant): Promise<string[]> {
  const suite = accountStoreContract(() => mutant(inMemoryAccountStore()));
  const failed: string[] = [];
  for (const check of suite.cases) {
    try {
      await check.run();
    } catch {
      failed.push(check.name);
    }
  }
  return failed;
}

describe('accountStoreContract catches broken stores', () => {
  it.each(Object.entries(mutants))('a store that %s fails it', async (_name, mutant) => {
    expect(await failingCases(mutant)).not.toEqual([]);
  });

  it('a correct store passes every case', async () => {
    expect(await failingCases((store) => store)).toEqual([]);
  });
});
