/**
 * What per-account rate limits cost verification.
 *
 * - In memory: verifyApiKey with `rateLimit` and the default in-memory limiter
 *   against the same manager without a limit, cached and uncached
 *   (target ≥ 0.8 ×).
 * - Redis (REDIS_URL, default redis://127.0.0.1:6379): one request at a time,
 *   each timed, so latency shows. The floor is a bare EVALSHA round trip of a
 *   script that does nothing, measured in the same run; then the limiter's
 *   own call, and a cached verifyApiKey with the Redis limiter. Printed:
 *   requests/s, p50 and p99, and the added latency over the floor
 *   (target: verification at ≥ 0.7 × the floor's requests/s).
 *
 * Part of `npm run bench`, which runs against the built package (dist/).
 */
import { ApiAccountManager, inMemoryPorts } from 'api-accounts';
import { redisRateLimiter } from 'api-accounts/redis';
import { Redis } from 'ioredis';
import { CORE_ONLY, seedKeyedAccounts } from './accounts.js';
import { type Measurement, measureInRounds, printTable } from './harness.js';

const ACCOUNTS = 10_000;
const ports = inMemoryPorts();
const keys = await seedKeyedAccounts(ports, ACCOUNTS);

/** A budget no benchmark spends: every verification is accepted and still uses a unit. */
const rateLimit = { limit: 1_000_000, windowMs: 60_000 };
const manager = (options: { cached: boolean; limited: boolean; redis?: Redis }) =>
  new ApiAccountManager({
    ...ports,
    ...CORE_ONLY,
    claimUrl: (t) => t,
    ...(options.cached ? { verifyCache: { ttlMs: 600_000, maxEntries: 100_000 } } : {}),
    ...(options.limited ? { rateLimit } : {}),
    ...(options.redis
      ? { rateLimiter: redisRateLimiter({ client: options.redis, prefix: `bench:${Date.now()}:` }) }
      : {}),
  });
const key = (i: number) => keys[i % ACCOUNTS] ?? '';

const managers = {
  uncached: manager({ cached: false, limited: false }),
  uncachedLimited: manager({ cached: false, limited: true }),
  cached: manager({ cached: true, limited: false }),
  cachedLimited: manager({ cached: true, limited: true }),
};
await new Promise((resolve) => setTimeout(resolve, 10)); // the cache turns on once subscribed
for (const k of keys) {
  await managers.cached.verifyApiKey(k);
  await managers.cachedLimited.verifyApiKey(k);
}
const memory = (await measureInRounds([
  {
    name: 'verifyApiKey, no cache, no limit',
    operation: (i) => managers.uncached.verifyApiKey(key(i)),
  },
  {
    name: 'verifyApiKey, no cache, in-memory limit',
    operation: (i) => managers.uncachedLimited.verifyApiKey(key(i)),
  },
  {
    name: 'verifyApiKey, cache on, no limit',
    operation: (i) => managers.cached.verifyApiKey(key(i)),
  },
  {
    name: 'verifyApiKey, cache on, in-memory limit',
    operation: (i) => managers.cachedLimited.verifyApiKey(key(i)),
  },
])) as [Measurement, Measurement, Measurement, Measurement];
printTable(`Rate limits in memory, ${ACCOUNTS.toLocaleString('en-GB')} accounts`, [
  { measurement: memory[0] },
  { measurement: memory[1], base: memory[0], target: '≥ 0.8 ×' },
  { measurement: memory[2] },
  { measurement: memory[3], base: memory[2], target: '≥ 0.8 ×' },
]);

/** Times `count` calls one after another: requests/s, p50 and p99 in µs. */
async function timed(name: string, count: number, call: (i: number) => unknown) {
  for (let i = 0; i < count / 10; i++) await call(i); // warm-up
  const samples = new Float64Array(count);
  const started = performance.now();
  for (let i = 0; i < count; i++) {
    const t0 = performance.now();
    await call(i);
    samples[i] = (performance.now() - t0) * 1000;
  }
  const elapsed = performance.now() - started;
  samples.sort();
  const at = (q: number) => samples[Math.min(count - 1, Math.floor(q * count))] ?? 0;
  return { name, perSecond: (count / elapsed) * 1000, p50: at(0.5), p99: at(0.99) };
}

const redisUrl = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1, lazyConnect: true });
redis.on('error', () => undefined);
try {
  await redis.connect();
  await redis.ping();
} catch {
  console.log(`\nRedis at ${redisUrl} is not reachable: the Redis rate limiter was not measured.`);
  redis.disconnect();
  process.exit(0);
}
const NOOP = 'return 1';
const noopSha = String(await redis.script('LOAD', NOOP));
const withRedis = manager({ cached: true, limited: true, redis });
for (const k of keys) await withRedis.verifyApiKey(k);
const limiter = redisRateLimiter({ client: redis, prefix: `bench-raw:${Date.now()}:` });
const COUNT = Number(process.env['BENCH_REDIS_CALLS'] ?? 20_000);
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 3);
type Timed = Awaited<ReturnType<typeof timed>>;
const cases: [string, (i: number) => unknown][] = [
  ['floor: EVALSHA of a no-op script', () => redis.evalsha(noopSha, 0)],
  ['redisRateLimiter.consume', (i) => limiter.consume(`k${i % ACCOUNTS}`, rateLimit)],
  ['verifyApiKey, cache on, no limit', (i) => managers.cached.verifyApiKey(key(i))],
  ['verifyApiKey, cache on, Redis limit', (i) => withRedis.verifyApiKey(key(i))],
];
// Alternating rounds, each figure the median of its rounds: Redis on a shared machine drifts.
const runs = cases.map((): Timed[] => []);
for (let round = 0; round < ROUNDS; round++) {
  for (const [i, [name, call]] of cases.entries()) runs[i]?.push(await timed(name, COUNT, call));
}
const middle = (list: readonly Timed[], field: 'perSecond' | 'p50' | 'p99') =>
  [...list].map((run) => run[field]).sort((a, b) => a - b)[Math.floor(list.length / 2)] ?? 0;
const [floor, consume, bare, limited] = runs.map((list, i) => ({
  name: cases[i]?.[0] ?? '',
  perSecond: middle(list, 'perSecond'),
  p50: middle(list, 'p50'),
  p99: middle(list, 'p99'),
})) as [Timed, Timed, Timed, Timed];
console.log(
  `\nRate limits in Redis (${redisUrl}), one request at a time, ${COUNT.toLocaleString('en-GB')} each, median of ${ROUNDS} rounds`,
);
const table = [
  ['case', 'req/s', 'p50 µs', 'p99 µs', 'ratio to floor', 'target'],
  ...[floor, consume, bare, limited].map((row) => [
    row.name,
    Math.round(row.perSecond).toLocaleString('en-GB'),
    row.p50.toFixed(0),
    row.p99.toFixed(0),
    row === floor || row === bare ? '' : `${(row.perSecond / floor.perSecond).toFixed(2)} ×`,
    row === limited ? '≥ 0.7 ×' : '',
  ]),
];
const widths = (table[0] ?? []).map((_, i) => Math.max(...table.map((r) => (r[i] ?? '').length)));
for (const row of table) console.log(row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  '));
console.log(
  `added by the Redis limit over a verification without one: p50 ${(limited.p50 - bare.p50).toFixed(0)} µs, p99 ${(limited.p99 - bare.p99).toFixed(0)} µs (a bare EVALSHA: p50 ${floor.p50.toFixed(0)} µs, p99 ${floor.p99.toFixed(0)} µs)`,
);
await withRedis.close();
redis.disconnect();
process.exit(0);
