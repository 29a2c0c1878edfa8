/**
 * The database going away: mid-statement, the pool closed, the listening
 * connection cut. Each time the manager answers StoreUnavailable (or keeps
 * verifying correctly), and once the database is back nothing was half written.
 */
import { randomBytes } from 'node:crypto';
import { type Actor, ApiAccountManager, inMemoryPorts, SETTINGS_ADMINISTRATOR } from 'api-accounts';
import { postgresStore } from 'api-accounts/postgres';
import { latestClaim } from 'api-accounts/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Backend, backendName, databaseUrl, openBackend } from './backend.js';

const admin: Actor = { id: 'admin-1', roles: [SETTINGS_ADMINISTRATOR] };

let backend: Backend;
beforeAll(async () => {
  backend = await openBackend();
});
afterAll(async () => {
  await backend.close();
});

async function until(check: () => Promise<boolean>, limitMs = 5000): Promise<void> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > limitMs) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe(`database failures on ${backendName}`, () => {
  it('a closed client makes every call StoreUnavailable; a new one finds everything intact', async () => {
    const schema = `aa_${randomBytes(6).toString('hex')}`;
    const ports = inMemoryPorts();
    const doomed = backend.secondPool ? backend.secondPool() : null;
    const pool = doomed ?? backend.pool;
    const store = postgresStore(pool, { ...backend.options, schema });
    await store.migrate();
    const manager = new ApiAccountManager({
      ...ports,
      store,
      claimUrl: (t) => `https://bo.example/claim?token=${t}`,
    });
    const created = (
      await manager.createAccount(admin, {
        username: 'Survivor',
        email: 's@partner.example',
        phone: '+447894123456',
      })
    )._unsafeUnwrap();
    const claim = latestClaim(ports);

    if (doomed) await doomed.end();
    else await store.close(); // PGlite: the store's own client goes away
    for (const result of await Promise.all([
      manager.claimApiKey(claim),
      manager.getAccount(admin, created.account.id),
      manager.deactivateAccount(admin, created.account.id),
      manager.verifyApiKey(Buffer.alloc(32).toString('base64')),
    ])) {
      expect(result._unsafeUnwrapErr()).toMatchObject({ type: 'StoreUnavailable', port: 'store' });
    }

    const revived = postgresStore(backend.pool, { ...backend.options, schema });
    const again = new ApiAccountManager({
      ...ports,
      store: revived,
      claimUrl: (t) => `https://bo.example/claim?token=${t}`,
    });
    expect((await again.getAccount(admin, created.account.id))._unsafeUnwrap()).toMatchObject({
      active: true,
      claimPending: true,
    });
    expect((await again.claimApiKey(claim)).isOk()).toBe(true);
  });
});

describe.skipIf(!databaseUrl)(
  'backends terminated on the PostgreSQL server (needs DATABASE_URL; CI sets it)',
  () => {
    it('a statement killed mid-flight answers StoreUnavailable and writes nothing', async () => {
      const schema = `aa_${randomBytes(6).toString('hex')}`;
      const appName = `aa_victim_${randomBytes(4).toString('hex')}`;
      const victim = new pg.Pool({ connectionString: databaseUrl, application_name: appName });
      victim.on('error', () => undefined);
      const ports = inMemoryPorts();
      const store = postgresStore(victim, { schema });
      await store.migrate();
      const manager = new ApiAccountManager({
        ...ports,
        store,
        claimUrl: (t) => `https://bo.example/claim?token=${t}`,
      });
      const created = (
        await manager.createAccount(admin, {
          username: 'Blocked',
          email: 'b@partner.example',
          phone: '+447894123456',
        })
      )._unsafeUnwrap();
      const claim = latestClaim(ports);

      const blocker = new pg.Client({ connectionString: databaseUrl });
      await blocker.connect();
      await blocker.query('BEGIN');
      await blocker.query(`SELECT * FROM "${schema}"."api_accounts" WHERE id = $1 FOR UPDATE`, [
        created.account.id,
      ]);
      const pending = manager.claimApiKey(claim); // its UPDATE now waits for the row lock
      // pg_stat_activity is a snapshot per transaction, so another connection watches for the wait.
      const observer = new pg.Client({ connectionString: databaseUrl });
      await observer.connect();
      await until(
        async () =>
          (
            await observer.query(
              `SELECT 1 FROM pg_stat_activity WHERE application_name = $1 AND wait_event_type = 'Lock'`,
              [appName],
            )
          ).rows.length > 0,
      );
      await observer.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1 AND wait_event_type = 'Lock'`,
        [appName],
      );
      expect((await pending)._unsafeUnwrapErr()).toMatchObject({ type: 'StoreUnavailable' });
      await blocker.query('ROLLBACK');
      await blocker.end();
      await observer.end();

      const account = (await manager.getAccount(admin, created.account.id))._unsafeUnwrap();
      expect(account).toMatchObject({ claimPending: true, keyIssuedAt: null, version: 1 });
      const history = (await manager.accountHistory(admin, created.account.id))
        ._unsafeUnwrap()
        .items.map((e) => e.type);
      expect(history).toEqual(['account.created']);
      expect((await manager.claimApiKey(claim)).isOk()).toBe(true);
      await victim.query(`DROP SCHEMA "${schema}" CASCADE`);
      await victim.end();
    });

    it('a cut listening connection pauses the cache, reconnects, and revocation still reaches it', async () => {
      const schema = `aa_${randomBytes(6).toString('hex')}`;
      const appName = `aa_listener_${randomBytes(4).toString('hex')}`;
      const pools = [
        new pg.Pool({ connectionString: databaseUrl }),
        new pg.Pool({ connectionString: databaseUrl, application_name: appName }),
      ];
      for (const pool of pools) pool.on('error', () => undefined);
      const ports = inMemoryPorts();
      const [a, b] = await Promise.all(
        pools.map(async (pool) => {
          const store = postgresStore(pool, { schema });
          await store.migrate();
          const manager = new ApiAccountManager({
            ...ports,
            store,
            claimUrl: (t) => `https://bo.example/claim?token=${t}`,
            verifyCache: { ttlMs: 60_000 },
          });
          return { store, manager };
        }),
      );
      if (!a || !b) throw new Error('two instances expected');
      const isListening = async () =>
        (
          await pools[0]?.query(
            `SELECT 1 FROM pg_stat_activity WHERE application_name = $1 AND query LIKE 'LISTEN%'`,
            [appName],
          )
        )?.rows.length === 1;
      await until(isListening);

      const created = (
        await a.manager.createAccount(admin, {
          username: 'Cut',
          email: 'cut@partner.example',
          phone: '+447894123456',
        })
      )._unsafeUnwrap();
      const { apiKey } = (await a.manager.claimApiKey(latestClaim(ports)))._unsafeUnwrap();
      expect((await b.manager.verifyApiKey(apiKey)).isOk()).toBe(true);

      await pools[0]?.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1 AND query LIKE 'LISTEN%'`,
        [appName],
      );
      // Revoke at once, while b may still be reconnecting: b must not answer from a stale cache.
      await a.manager.deactivateAccount(admin, created.account.id);
      await until(async () => (await b.manager.verifyApiKey(apiKey)).isErr(), 1000);

      await until(isListening); // reconnected
      await a.manager.reactivateAccount(admin, created.account.id);
      await until(async () => (await b.manager.verifyApiKey(apiKey)).isOk(), 1000);
      await a.manager.resetApiKey(admin, created.account.id, { confirm: true });
      await until(async () => (await b.manager.verifyApiKey(apiKey)).isErr(), 1000);

      for (const { manager, store } of [a, b]) {
        await manager.close();
        await store.close();
      }
      await pools[0]?.query(`DROP SCHEMA "${schema}" CASCADE`);
      await Promise.all(pools.map((pool) => pool.end()));
    });
  },
);
