/**
 * Several app instances on one database: each instance has its own pool, its
 * own store and its own manager, as separate processes would.
 */
import { randomBytes } from 'node:crypto';
import { type Actor, ApiAccountManager, inMemoryPorts, SETTINGS_ADMINISTRATOR } from 'api-accounts';
import { type PostgresAccountStore, postgresStore } from 'api-accounts/postgres';
import { latestClaim } from 'api-accounts/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { invalidationChannel } from '../../../src/adapters/postgres/postgres-invalidations.js';
import { tableNames } from '../../../src/adapters/sql/table-names.js';
import { type Backend, backendName, openBackend } from './backend.js';

const admin: Actor = { id: 'admin-1', roles: [SETTINGS_ADMINISTRATOR] };
const CLAIM_URL = 'https://box-office.example/claim?token=';

let backend: Backend;
beforeAll(async () => {
  backend = await openBackend();
});
afterAll(async () => {
  await backend.close();
});

interface Instance {
  readonly store: PostgresAccountStore;
  readonly manager: ApiAccountManager;
  readonly ports: ReturnType<typeof inMemoryPorts>;
}

/** Two instances on one fresh schema, sharing their inbox so either can read the claim messages. */
async function twoInstances(
  options: { verifyCache?: { ttlMs: number } } = {},
): Promise<[Instance, Instance, string]> {
  const schema = `aa_${randomBytes(6).toString('hex')}`;
  const ports = inMemoryPorts();
  const make = async (pool = backend.pool): Promise<Instance> => {
    const store = postgresStore(pool, { ...backend.options, schema });
    await store.migrate();
    const manager = new ApiAccountManager({
      ...ports,
      store,
      claimUrl: (t) => CLAIM_URL + t,
      ...options,
    });
    return { store, manager, ports };
  };
  const first = await make();
  const second = await make(backend.secondPool ? backend.secondPool() : backend.pool);
  return [first, second, schema];
}

async function accountWithKey(instance: Instance) {
  const created = (
    await instance.manager.createAccount(admin, {
      username: `Partner ${randomBytes(3).toString('hex')}`,
      email: `dev-${randomBytes(3).toString('hex')}@partner.example`,
      phone: '+447894123456',
    })
  )._unsafeUnwrap();
  const { apiKey } = (
    await instance.manager.claimApiKey(latestClaim(instance.ports))
  )._unsafeUnwrap();
  return { id: created.account.id, apiKey };
}

/** Milliseconds until `check` holds, polling every 10 ms, or Infinity after `limitMs`. */
async function timeUntil(check: () => Promise<boolean>, limitMs = 3000): Promise<number> {
  const started = performance.now();
  while (performance.now() - started < limitMs) {
    if (await check()) return performance.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return Number.POSITIVE_INFINITY;
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 100));

describe(`several instances on ${backendName}`, () => {
  it('announces a change from inside its own write: one that commits notifies, one that fails does not', async () => {
    const [a, b] = await twoInstances();
    const heard: string[] = [];
    const dated: (Date | undefined)[] = [];
    const stop = await b.store.invalidations?.subscribe({
      invalidate: (accountId, changedAt) => {
        heard.push(accountId);
        dated.push(changedAt);
      },
      interrupted: () => undefined,
      resumed: () => undefined,
    });
    const { id } = await accountWithKey(a);
    const record = await a.store.findAccountById(id);
    await settle(); // the create's and the claim's own notifications
    expect(heard).toContain(id);
    heard.length = 0;
    const stale = await a.store.applyAccountChange({
      accountId: id,
      expectedVersion: (record?.version ?? 0) - 1,
      at: new Date(),
      active: false,
      events: [
        {
          type: 'account.deactivated',
          accountId: id,
          tenant: 'default',
          actorId: 'admin-1',
          at: new Date(),
        },
      ],
    });
    expect(stale.outcome).toBe('version_conflict');
    await settle();
    expect(heard).toEqual([]);
    // The manager's own publish is a no-op on PostgreSQL: this notification comes from the UPDATE.
    expect((await a.manager.deactivateAccount(admin, id)).isOk()).toBe(true);
    const before = Date.now();
    const elapsed = await timeUntil(async () => heard.includes(id));
    expect(elapsed).toBeLessThan(1000);
    // Dated by the database's clock when the statement ran, for the invalidation lag metric.
    const at = dated[heard.indexOf(id)]?.getTime() ?? 0;
    expect(Math.abs(at - before)).toBeLessThan(5_000);
    await stop?.();
    for (const instance of [a, b]) await instance.store.close();
  });

  it('of 50 parallel creates with one email across 2 instances, exactly one succeeds', async () => {
    const [a, b] = await twoInstances();
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        (i % 2 === 0 ? a : b).manager.createAccount(admin, {
          username: `Racer ${i}`,
          email: 'race@partner.example',
          phone: '+447894123456',
        }),
      ),
    );
    expect(results.filter((r) => r.isOk())).toHaveLength(1);
    expect(results.filter((r) => r.isErr() && r.error.type === 'EmailTaken')).toHaveLength(49);
    expect((await a.manager.listAccounts(admin))._unsafeUnwrap().items).toHaveLength(1);
  });

  it('of 20 parallel right-code claims across 2 instances, exactly one gets a key', async () => {
    const [a, b] = await twoInstances();
    await a.manager.createAccount(admin, {
      username: 'Claimer',
      email: 'claimer@partner.example',
      phone: '+447894123456',
    });
    const claim = latestClaim(a.ports);
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).manager.claimApiKey(claim)),
    );
    const keys = results.flatMap((r) => (r.isOk() ? [r.value.apiKey] : []));
    expect(keys).toHaveLength(1);
    expect(results.filter((r) => r.isErr() && r.error.type === 'ClaimNotFound')).toHaveLength(19);
    expect((await b.manager.verifyApiKey(keys[0] ?? '')).isOk()).toBe(true);
  });

  it('of 20 parallel wrong codes across 2 instances, the counter stops at the limit', async () => {
    const [a, b] = await twoInstances();
    await a.manager.createAccount(admin, {
      username: 'Guessed',
      email: 'guessed@partner.example',
      phone: '+447894123456',
    });
    const claim = latestClaim(a.ports);
    const wrong = claim.code === '000000' ? '111111' : '000000';
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        (i % 2 ? a : b).manager.claimApiKey({ token: claim.token, code: wrong }),
      ),
    );
    expect(results.filter((r) => r.isErr() && r.error.type === 'CodeIncorrect')).toHaveLength(5);
    expect((await b.manager.claimApiKey(claim))._unsafeUnwrapErr().type).toBe('ClaimLocked');
  });

  it.each(['deactivate', 'reset'] as const)(
    'a %s on one instance stops the key on the other within 1 s, with a 60 s cache',
    async (action) => {
      const [a, b] = await twoInstances({ verifyCache: { ttlMs: 60_000 } });
      await settle(); // both are listening
      const { id, apiKey } = await accountWithKey(a);
      expect((await a.manager.verifyApiKey(apiKey)).isOk()).toBe(true);
      expect((await b.manager.verifyApiKey(apiKey)).isOk()).toBe(true);
      if (action === 'deactivate') await a.manager.deactivateAccount(admin, id);
      else await a.manager.resetApiKey(admin, id, { confirm: true });
      const elapsed = await timeUntil(async () => (await b.manager.verifyApiKey(apiKey)).isErr());
      expect(elapsed).toBeLessThan(1000);
      expect((await a.manager.verifyApiKey(apiKey)).isErr()).toBe(true);
      for (const instance of [a, b]) {
        await instance.manager.close();
        await instance.store.close();
      }
    },
  );

  it('caches for real: a change made behind its back is seen only once an invalidation arrives', async () => {
    const [a, b, schema] = await twoInstances({ verifyCache: { ttlMs: 60_000 } });
    await settle();
    const { id, apiKey } = await accountWithKey(a);
    // The create and the claim are announced on the bus too; let those arrive first.
    await settle();
    expect((await b.manager.verifyApiKey(apiKey)).isOk()).toBe(true);
    // Switch the account off in SQL, without telling anyone: b answers from its cache.
    await backend.pool.query(`UPDATE "${schema}"."api_accounts" SET active = false WHERE id = $1`, [
      id,
    ]);
    expect((await b.manager.verifyApiKey(apiKey)).isOk()).toBe(true);
    // A notification on the store's channel, as the store's own writes send inside their statements.
    const channel = invalidationChannel(tableNames({ schema }));
    await backend.pool.query('SELECT pg_notify($1, $2)', [channel, id]);
    const elapsed = await timeUntil(async () => (await b.manager.verifyApiKey(apiKey)).isErr());
    expect(elapsed).toBeLessThan(1000);
    for (const instance of [a, b]) {
      await instance.manager.close();
      await instance.store.close();
    }
  });
});
