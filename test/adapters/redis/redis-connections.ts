import { Redis } from 'ioredis';
import { afterAll } from 'vitest';

/** The real Redis the suites run against (CI: redis://127.0.0.1:6379); unset, they are reported as skipped. */
export const redisUrl = process.env['REDIS_URL'];

/**
 * Connections to {@link redisUrl} for one test file, each closed after its
 * tests; connection errors are the tests' to see, not unhandled events.
 */
export function redisConnections(maxRetriesPerRequest = 1): () => Redis {
  const clients: Redis[] = [];
  afterAll(() => {
    for (const client of clients) client.disconnect();
  });
  return () => {
    const client = new Redis(redisUrl ?? '', { maxRetriesPerRequest });
    client.on('error', () => undefined);
    clients.push(client);
    return client;
  };
}
