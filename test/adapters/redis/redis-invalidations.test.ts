/**
 * Against the real Redis at REDIS_URL (CI: redis://127.0.0.1:6379). There is
 * no embedded Redis, so without REDIS_URL this suite is reported as skipped.
 */
import { randomBytes } from 'node:crypto';
import { type Actor, ApiAccountManager, inMemoryPorts, SETTINGS_ADMINISTRATOR } from 'api-accounts';
import { type RedisSubscriber, redisInvalidations } from 'api-accounts/redis';
import { latestClaim } from 'api-accounts/testing';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';

const redisUrl = process.env['REDIS_URL'];
const admin: Actor = { id: 'admin-1', roles: [SETTINGS_ADMINISTRATOR] };
const clients: Redis[] = [];
afterAll(() => {
  for (const client of clients) client.disconnect();
});

function connect(): Redis {
  const client = new Redis(redisUrl ?? '', { lazyConnect: false, maxRetriesPerRequest: 2 });
  client.on('error', () => undefined);
  clients.push(client);
  return client;
}

async function until(check: () => Promise<boolean>, limitMs: number): Promise<number> {
  const started = performance.now();
  while (!(await check())) {
    if (performance.now() - started > limitMs) throw new Error(`not within ${limitMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return performance.now() - started;
}

describe.skipIf(!redisUrl)(
  `redisInvalidations on ${redisUrl ?? '(needs REDIS_URL; CI sets it)'}`,
  () => {
    async function twoInstances(channel: string) {
      const ports = inMemoryPorts(); // one shared store, as one shared database would be
      const make = () => {
        const subscriber: RedisSubscriber = connect();
        return new ApiAccountManager({
          ...ports,
          claimUrl: (t) => `https://bo.example/claim?token=${t}`,
          verifyCache: { ttlMs: 60_000 },
          invalidations: redisInvalidations({ publisher: connect(), subscriber, channel }),
        });
      };
      const [a, b] = [make(), make()];
      await new Promise((resolve) => setTimeout(resolve, 200));
      const created = (
        await a.createAccount(admin, {
          username: 'Redis Partner',
          email: 'r@partner.example',
          phone: '+447894123456',
        })
      )._unsafeUnwrap();
      const { apiKey } = (await a.claimApiKey(latestClaim(ports)))._unsafeUnwrap();
      return { a, b, id: created.account.id, apiKey };
    }

    it('a deactivation on one instance reaches the other within 1 s', async () => {
      const { a, b, id, apiKey } = await twoInstances(`test:${randomBytes(4).toString('hex')}`);
      expect((await b.verifyApiKey(apiKey)).isOk()).toBe(true);
      await a.deactivateAccount(admin, id);
      expect(await until(async () => (await b.verifyApiKey(apiKey)).isErr(), 1000)).toBeLessThan(
        1000,
      );
      await a.reactivateAccount(admin, id);
      await until(async () => (await b.verifyApiKey(apiKey)).isOk(), 1000);
      await a.resetApiKey(admin, id, { confirm: true });
      await until(async () => (await b.verifyApiKey(apiKey)).isErr(), 1000);
      await a.close();
      await b.close();
    });

    it('carries when the change was made, and reads a message of an earlier release', async () => {
      const channel = `test:${randomBytes(4).toString('hex')}`;
      const publisher = connect();
      const bus = redisInvalidations({ publisher, subscriber: connect(), channel });
      const heard: [string, Date | undefined][] = [];
      const stop = await bus.subscribe({
        invalidate: (accountId, changedAt) => heard.push([accountId, changedAt]),
        interrupted: () => undefined,
        resumed: () => undefined,
      });
      const at = new Date('2026-12-06T12:00:00.123Z');
      await bus.publish('acct_dated', at);
      await publisher.publish(channel, 'acct_plain');
      await until(async () => heard.length === 2, 1000);
      expect(heard).toEqual([
        ['acct_dated', at],
        ['acct_plain', undefined],
      ]);
      await stop();
    });

    it('keeps revocation working across a dropped subscriber connection', async () => {
      const channel = `test:${randomBytes(4).toString('hex')}`;
      const { a, b, id, apiKey } = await twoInstances(channel);
      expect((await b.verifyApiKey(apiKey)).isOk()).toBe(true);
      await connect().call('CLIENT', 'KILL', 'TYPE', 'pubsub');
      await a.deactivateAccount(admin, id);
      await until(async () => (await b.verifyApiKey(apiKey)).isErr(), 1000);
      const checker = connect();
      await until(
        async () => ((await checker.pubsub('NUMSUB', channel)) as [string, number])[1] === 2,
        5000,
      );
      await a.reactivateAccount(admin, id);
      await until(async () => (await b.verifyApiKey(apiKey)).isOk(), 1000);
      await a.deactivateAccount(admin, id);
      await until(async () => (await b.verifyApiKey(apiKey)).isErr(), 1000);
      await a.close();
      await b.close();
    });
  },
);
