/**
 * The revocation bound, drilled: a key switched off or reset on one instance
 * is refused on every other instance within 2 s of the change being
 * acknowledged, even when every notification between them is lost. Two
 * managers per store, each with a 60 s verification cache and a bus that
 * drops everything; the only way news travels is the store's change feed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type AccountStore,
  type Actor,
  ApiAccountManager,
  type InvalidationBus,
  inMemoryPorts,
  SETTINGS_ADMINISTRATOR,
} from 'api-accounts';
import { postgresStore } from 'api-accounts/postgres';
import { sqliteStore } from 'api-accounts/sqlite';
import { latestClaim } from 'api-accounts/testing';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { backendName, openBackend } from '../adapters/postgres/backend.js';

const admin: Actor = { id: 'admin-1', roles: [SETTINGS_ADMINISTRATOR] };
const BOUND_MS = 2_000;

/** A bus that loses every notification, in both directions. */
const deafBus: InvalidationBus = {
  publish: async () => undefined,
  subscribe: async () => async () => undefined,
};

const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

/** Counts key lookups, so the test can tell the cache is really answering. */
function counting(store: AccountStore) {
  let lookups = 0;
  const counted = Object.assign(Object.create(store) as AccountStore, {
    findKeyHolder: (hash: string) => {
      lookups += 1;
      return store.findKeyHolder(hash);
    },
  });
  return { store: counted, lookups: () => lookups };
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function drill(stores: readonly [AccountStore, AccountStore]) {
  const ports = inMemoryPorts();
  const options = {
    ...ports,
    claimUrl: (t: string) => `https://bo.example/claim?token=${t}`,
    verifyCache: { ttlMs: 60_000 },
    invalidations: deafBus,
  };
  const writer = new ApiAccountManager({ ...options, store: stores[0] });
  const reader = counting(stores[1]);
  const verifier = new ApiAccountManager({ ...options, store: reader.store });
  cleanups.push(async () => {
    await writer.close();
    await verifier.close();
  });

  const keyOf = async (n: number) => {
    const input = {
      username: `Drill ${n} ${Math.random()}`,
      email: `drill${n}.${Math.random()}@partner.example`,
      phone: '+447894123456',
    };
    const created = (await writer.createAccount(admin, input))._unsafeUnwrap();
    const { apiKey } = (await writer.claimApiKey(latestClaim(ports)))._unsafeUnwrap();
    return { id: created.account.id, apiKey };
  };
  const switchedOff = await keyOf(1);
  const reset = await keyOf(2);
  await pause(700); // the verifier's first catch-ups
  for (const { apiKey } of [switchedOff, reset]) {
    expect((await verifier.verifyApiKey(apiKey)).isOk()).toBe(true);
  }
  const cachedFrom = reader.lookups();
  for (let i = 0; i < 20; i++) await verifier.verifyApiKey(switchedOff.apiKey);
  expect(reader.lookups(), 'the verifier answers from its cache').toBe(cachedFrom);

  const refusedWithin = async (change: () => Promise<unknown>, apiKey: string) => {
    await change();
    const acknowledged = performance.now();
    while ((await verifier.verifyApiKey(apiKey)).isOk()) {
      expect(performance.now() - acknowledged).toBeLessThan(BOUND_MS);
      await pause(20);
    }
    return performance.now() - acknowledged;
  };
  const afterDeactivate = await refusedWithin(
    async () => writer.deactivateAccount(admin, switchedOff.id),
    switchedOff.apiKey,
  );
  const afterReset = await refusedWithin(
    async () => writer.resetApiKey(admin, reset.id, { confirm: true }),
    reset.apiKey,
  );
  process.stderr.write(
    `revocation with every notification lost: switched off ${Math.round(afterDeactivate)} ms, reset ${Math.round(afterReset)} ms\n`,
  );
  // And the key stays refused.
  await pause(600);
  expect((await verifier.verifyApiKey(switchedOff.apiKey)).isErr()).toBe(true);
  expect((await verifier.verifyApiKey(reset.apiKey)).isErr()).toBe(true);
}

describe(`revocation within ${BOUND_MS} ms with every notification lost`, () => {
  it('on the in-memory store (two managers, one store)', async () => {
    const store = inMemoryPorts().store;
    await drill([store, store]);
  });

  it('on SQLite (two connections to one file, as two processes have)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aa-drill-'));
    const file = join(dir, 'accounts.db');
    const [a, b] = [new Database(file), new Database(file)];
    cleanups.push(() => {
      a.close();
      b.close();
      rmSync(dir, { recursive: true, force: true });
    });
    for (const db of [a, b]) db.pragma('journal_mode = WAL');
    const first = sqliteStore(a);
    await first.migrate();
    await drill([first, sqliteStore(b)]);
  });

  it(`on PostgreSQL (${backendName}; two pools where there is a server)`, async () => {
    const backend = await openBackend();
    cleanups.push(() => backend.close());
    const first = postgresStore(backend.pool, backend.options);
    await first.migrate();
    const second = postgresStore(
      backend.secondPool ? backend.secondPool() : backend.pool,
      backend.options,
    );
    cleanups.push(async () => {
      await first.close();
      await second.close();
    });
    await drill([first, second]);
  });
});

describe('a verification cache without a change feed', () => {
  it('is refused unless the host says this is the only process writing the store', () => {
    const { readChangesSince: _, ...withoutFeed } = inMemoryPorts().store;
    const base = { ...inMemoryPorts(), store: withoutFeed, claimUrl: (t: string) => t };
    expect(() => new ApiAccountManager({ ...base, verifyCache: { ttlMs: 60_000 } })).toThrow(
      /singleInstance/,
    );
    const single = new ApiAccountManager({
      ...base,
      verifyCache: { ttlMs: 60_000, singleInstance: true },
    });
    cleanups.push(async () => {
      await single.close();
    });
  });
});
