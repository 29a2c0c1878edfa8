/**
 * `npm run soak`: two manager instances (separate pools, as two app servers)
 * on one PostgreSQL, many accounts, verifiers at full speed on both, and a
 * stream of resets, deactivations and reactivations on the first. Counts wrong
 * answers: a revoked key accepted, or a valid key refused, by a verification
 * that started more than the propagation window after the change was
 * acknowledged. Stops by itself; loopback only.
 *
 * Notifications between the instances are dropped at random (SOAK_DROP, the
 * share dropped, default 0.5): the change feed must bring every revocation
 * within the bound anyway.
 *
 * SOAK_SECONDS (default 60, at most 100), SOAK_ACCOUNTS (default 10000),
 * SOAK_DROP (default 0.5), DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test).
 */
import { randomBytes } from 'node:crypto';
import { ApiAccountManager, type InvalidationBus, SETTINGS_ADMINISTRATOR } from 'api-accounts';
import { postgresStore } from 'api-accounts/postgres';
import {
  inMemoryEmailSender,
  inMemorySmsSender,
  inMemoryUserDirectory,
} from 'api-accounts/testing';
import pg from 'pg';
import { cryptoKeyGenerator } from '../src/core/system/crypto-key-generator.js';
import { systemClock } from '../src/core/system/system-clock.js';
import { keyedAccount } from './accounts.js';

const seconds = Math.min(Number(process.env['SOAK_SECONDS'] ?? 60), 100);
const accountCount = Number(process.env['SOAK_ACCOUNTS'] ?? 10_000);
const databaseUrl = process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const host = new URL(databaseUrl).hostname;
if (host !== '127.0.0.1' && host !== 'localhost' && host !== '::1') {
  throw new Error(`soak: DATABASE_URL must point at this machine, not ${host}`);
}
const dropShare = Math.min(Math.max(Number(process.env['SOAK_DROP'] ?? 0.5), 0), 1);
/** The bound the SDK promises: a revoked key is refused everywhere within 2 s, notifications or not. */
const PROPAGATION_MS = 2_000;
const VERIFIERS_PER_INSTANCE = 16;
const admin = { id: 'soak-admin', roles: [SETTINGS_ADMINISTRATOR] };
const schema = `soak_${randomBytes(4).toString('hex')}`;

/** What the soak knows of each account: its key, and when its state last changed. */
interface Tracked {
  readonly id: string;
  readonly key: string;
  active: boolean;
  revoked: boolean;
  /** A change is in flight: verifications overlapping it are not judged. */
  changing: boolean;
  /** performance.now() when the last change was acknowledged. */
  settledAt: number;
}

async function main() {
  const pools = [0, 1].map(() => new pg.Pool({ connectionString: databaseUrl, max: 8 }));
  const stores = pools.map((pool) => postgresStore(pool, { schema }));
  await stores[0]?.migrate();
  let dropped = 0;
  const managers = stores.map(
    (store) =>
      new ApiAccountManager({
        store,
        ...(store.invalidations
          ? { invalidations: lossy(store.invalidations, () => (dropped += 1)) }
          : {}),
        clock: systemClock(),
        keys: cryptoKeyGenerator(),
        directory: inMemoryUserDirectory(),
        sms: inMemorySmsSender(),
        email: inMemoryEmailSender(),
        claimUrl: (token) => `https://bo.example/claim?token=${token}`,
        verifyCache: { ttlMs: 60_000, maxEntries: 100_000 },
      }),
  );
  const [first, second] = managers as [ApiAccountManager, ApiAccountManager];

  process.stdout.write(`soak: seeding ${accountCount} accounts with keys in schema ${schema}…\n`);
  const tracked = await seed(stores[0] as ReturnType<typeof postgresStore>, accountCount);
  // Give both instances' LISTEN connections time to come up.
  await new Promise((resolve) => setTimeout(resolve, 500));

  const latencies: number[] = [];
  const counts = {
    verifications: 0,
    revokedAccepted: 0,
    validRefused: 0,
    unjudged: 0,
    storeErrors: 0,
    changes: 0,
  };
  const deadline = performance.now() + seconds * 1000;
  const pick = () => tracked[Math.floor(Math.random() * tracked.length)] as Tracked;

  const verifier = async (manager: ApiAccountManager) => {
    let sinceYield = 0;
    while (performance.now() < deadline) {
      // A server reads each request from a socket, so it yields to I/O between
      // requests; a loop that never did would starve the LISTEN connection
      // (and every timer) of the event loop, which no real deployment does.
      if (++sinceYield === 20) {
        sinceYield = 0;
        await new Promise((resolve) => setImmediate(resolve));
      }
      const account = pick();
      const startedAt = performance.now();
      const judged = !account.changing && startedAt - account.settledAt > PROPAGATION_MS;
      const shouldWork = account.active && !account.revoked;
      const result = await manager.verifyApiKey(account.key);
      latencies.push(performance.now() - startedAt);
      counts.verifications += 1;
      if (result.isErr() && result.error.type === 'StoreUnavailable') counts.storeErrors += 1;
      if (!judged || account.changing) {
        counts.unjudged += 1;
        continue;
      }
      if (result.isOk() && !shouldWork) counts.revokedAccepted += 1;
      if (result.isErr() && shouldWork) counts.validRefused += 1;
    }
  };

  const mutator = async () => {
    while (performance.now() < deadline) {
      const account = pick();
      if (account.revoked || account.changing) continue;
      account.changing = true;
      const roll = Math.random();
      let ok: boolean;
      if (roll < 0.1) {
        ok = (await first.resetApiKey(admin, account.id, { confirm: true })).isOk();
        if (ok) account.revoked = true;
      } else if (account.active) {
        ok = (await first.deactivateAccount(admin, account.id)).isOk();
        if (ok) account.active = false;
      } else {
        ok = (await first.reactivateAccount(admin, account.id)).isOk();
        if (ok) account.active = true;
      }
      account.settledAt = performance.now();
      account.changing = false;
      if (ok) counts.changes += 1;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };

  process.stdout.write(
    `soak: ${seconds} s, ${VERIFIERS_PER_INSTANCE} verifiers on each of 2 instances, changes on instance 1\n`,
  );
  const started = performance.now();
  await Promise.all([
    ...Array.from({ length: VERIFIERS_PER_INSTANCE }, () => verifier(first)),
    ...Array.from({ length: VERIFIERS_PER_INSTANCE }, () => verifier(second)),
    mutator(),
    mutator(),
  ]);
  const elapsed = (performance.now() - started) / 1000;

  latencies.sort((a, b) => a - b);
  const at = (q: number) =>
    (latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0).toFixed(3);
  const wrong = counts.revokedAccepted + counts.validRefused;
  process.stdout.write(
    [
      `verifications: ${counts.verifications} in ${elapsed.toFixed(1)} s = ${Math.round(counts.verifications / elapsed)}/s`,
      `latency ms: p50 ${at(0.5)}, p99 ${at(0.99)}, max ${at(1)}`,
      `changes acknowledged: ${counts.changes} (resets, deactivations, reactivations)`,
      `judged: ${counts.verifications - counts.unjudged}; not judged (within ${PROPAGATION_MS} ms of a change): ${counts.unjudged}`,
      `wrong answers: ${wrong} (revoked key accepted: ${counts.revokedAccepted}, valid key refused: ${counts.validRefused})`,
      `store errors: ${counts.storeErrors}`,
      `notifications dropped: ${dropped} (${Math.round(dropShare * 100)} % at random)`,
    ]
      .map((line) => `${line}\n`)
      .join(''),
  );

  await Promise.all(managers.map((m) => m.close()));
  await Promise.all(stores.map((s) => s.close()));
  await pools[0]?.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await Promise.all(pools.map((p) => p.end()));
  if (wrong > 0 || counts.storeErrors > 0) process.exitCode = 1;
}

/** The store's bus, with each notification to a listener dropped at random. */
function lossy(bus: InvalidationBus, onDrop: () => void): InvalidationBus {
  return {
    publish: (accountId) => bus.publish(accountId),
    subscribe: (listener) =>
      bus.subscribe({
        ...listener,
        invalidate(accountId) {
          if (Math.random() < dropShare) onDrop();
          else listener.invalidate(accountId);
        },
      }),
  };
}

/** Accounts with a known key, written straight to the store (claiming 10k keys by SMS would take minutes). */
async function seed(store: ReturnType<typeof postgresStore>, count: number): Promise<Tracked[]> {
  const now = new Date();
  const tracked: Tracked[] = [];
  const batch = 32;
  for (let start = 0; start < count; start += batch) {
    const inserts: Promise<unknown>[] = [];
    for (let n = start; n < Math.min(count, start + batch); n++) {
      const key = randomBytes(32).toString('base64');
      const id = `acct_${randomBytes(16).toString('hex').slice(0, 22)}`;
      const record = keyedAccount({ id, name: `Soak Partner ${n}`, apiKey: key, now });
      inserts.push(
        store.insertAccount(record, [
          { type: 'account.created', accountId: id, tenant: 'default', actorId: admin.id, at: now },
        ]),
      );
      tracked.push({ id, key, active: true, revoked: false, changing: false, settledAt: 0 });
    }
    await Promise.all(inserts);
  }
  return tracked;
}

main().catch((error: unknown) => {
  console.error('soak failed:', error);
  process.exitCode = 1;
});
