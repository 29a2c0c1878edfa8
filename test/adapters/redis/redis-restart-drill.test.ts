/**
 * Drill: the Redis behind the rate limiter dies mid-run and comes back. A
 * private redis-server on its own port (the shared one at REDIS_URL must not
 * be killed under the other suites), so this runs where REDIS_URL says Redis
 * is installed (CI), and is reported as skipped elsewhere, as the other
 * Redis suites are.
 */

import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { redisRateLimiter } from 'api-accounts/redis';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';

const installed = Boolean(process.env['REDIS_URL']);

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function startRedis(port: number): Promise<ChildProcess> {
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  await new Promise<void>((resolve, reject) => {
    child.once('error', reject);
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('Ready to accept connections')) resolve();
    });
  });
  return child;
}

describe.skipIf(!installed)('redisRateLimiter through a Redis restart (drill)', () => {
  const children: ChildProcess[] = [];
  const clients: Redis[] = [];
  afterAll(() => {
    for (const client of clients) client.disconnect();
    for (const child of children) child.kill('SIGKILL');
  });

  it('answers within its timeout while Redis is gone, reports one outage, and is exact again after', async () => {
    const port = await freePort();
    children.push(await startRedis(port));
    const client = new Redis({ port, host: '127.0.0.1', maxRetriesPerRequest: 0 });
    client.on('error', () => undefined);
    clients.push(client);
    const events: string[] = [];
    const limiter = redisRateLimiter({
      client,
      timeoutMs: 100,
      probeIntervalMs: 50,
      onError: 'deny',
      onOutage: (event) => events.push(event.state),
    });
    const policy = { limit: 10, windowMs: 60_000 };
    const burst = async (key: string) =>
      (await Promise.all(Array.from({ length: 40 }, () => limiter.consume(key, policy)))).filter(
        (d) => d.allowed,
      ).length;

    expect(await burst('before')).toBe(10);

    (children.pop() as ChildProcess).kill('SIGKILL');
    const slowest = { ms: 0 };
    const during: boolean[] = [];
    for (let i = 0; i < 20; i++) {
      const started = performance.now();
      during.push((await limiter.consume('during', policy)).allowed);
      slowest.ms = Math.max(slowest.ms, performance.now() - started);
    }
    // Refused while down (onError: 'deny'), none slower than the timeout and some slack.
    expect(during.every((allowed) => !allowed)).toBe(true);
    expect(slowest.ms).toBeLessThan(400);

    children.push(await startRedis(port));
    // Back once the client has reconnected and a probe has gone through.
    const deadline = Date.now() + 10_000;
    while (!events.includes('up') && Date.now() < deadline) {
      await limiter.consume('probe', policy);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(events).toEqual(['down', 'up']);
    // A restart without persistence gives every budget back; counting is exact again.
    expect(await burst('after')).toBe(10);
  }, 30_000);
});
