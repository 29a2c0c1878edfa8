import type { InvalidationBus, InvalidationListener } from '../../ports/invalidation-bus.js';
import { invalidationMessage, readInvalidationMessage } from '../invalidation-message.js';

/**
 * The commands the bus needs from the connection that publishes: an ioredis
 * client as is (any client works: publishing needs no dedicated connection).
 *
 * @example
 * ```ts
 * const publisher: RedisPublisher = new Redis('redis://127.0.0.1:6379');
 * ```
 */
export interface RedisPublisher {
  /** `PUBLISH channel message`. */
  publish(channel: string, message: string): Promise<unknown>;
}

/**
 * A connection dedicated to subscribing, shaped like an ioredis client: it
 * emits `message`, `close` when the connection drops and `ready` when it is
 * back.
 *
 * @example
 * ```ts
 * const subscriber: RedisSubscriber = new Redis('redis://127.0.0.1:6379');
 * ```
 */
export interface RedisSubscriber {
  /** `SUBSCRIBE channel`. */
  subscribe(channel: string): Promise<unknown>;
  /** `UNSUBSCRIBE channel`. */
  unsubscribe(channel: string): Promise<unknown>;
  /** Messages published on subscribed channels. */
  on(event: 'message', listener: (channel: string, message: string) => void): unknown;
  /** `close`: the connection dropped; `ready`: it is back. */
  on(event: 'close' | 'ready', listener: () => void): unknown;
  /** Stops message deliveries to `listener`. */
  removeListener(event: 'message', listener: (channel: string, message: string) => void): unknown;
  /** Stops connection reports to `listener`. */
  removeListener(event: 'close' | 'ready', listener: () => void): unknown;
}

/**
 * Options of {@link redisInvalidations}.
 *
 * @example
 * ```ts
 * redisInvalidations({ publisher: redis, subscriber: redis.duplicate(), channel: 'box-office:api-accounts' });
 * ```
 */
export interface RedisInvalidationOptions {
  readonly publisher: RedisPublisher;
  /** A connection of its own: a subscribed Redis connection cannot run other commands. */
  readonly subscriber: RedisSubscriber;
  /** Default `api-accounts:invalidate`. Give each deployment sharing a Redis its own. */
  readonly channel?: string;
}

/**
 * An {@link InvalidationBus} over Redis pub/sub, for hosts whose instances
 * share a Redis rather than (or as well as) a PostgreSQL database. Subscribers
 * are told `interrupted` when the subscribing connection drops and `resumed`
 * once it is ready and subscribed again; `ioredis` reconnects by itself.
 * `ioredis` is an optional peer dependency; any client of the same shape works.
 *
 * @example
 * ```ts
 * import Redis from 'ioredis';
 * import { redisInvalidations } from 'api-accounts/redis';
 *
 * const redis = new Redis(process.env.REDIS_URL);
 * const invalidations = redisInvalidations({ publisher: redis, subscriber: redis.duplicate() });
 * const manager = new ApiAccountManager({ ...ports, store, claimUrl, invalidations, verifyCache: { ttlMs: 60_000 } });
 * ```
 */
export function redisInvalidations(options: RedisInvalidationOptions): InvalidationBus {
  const { publisher, subscriber } = options;
  const channel = options.channel ?? 'api-accounts:invalidate';
  const listeners = new Set<InvalidationListener>();
  let subscribed: Promise<unknown> | null = null;

  const onMessage = (from: string, message: string) => {
    const read = from === channel ? readInvalidationMessage(message) : null;
    if (!read) return;
    for (const listener of listeners) listener.invalidate(read.accountId, read.changedAt);
  };
  const onClose = () => {
    for (const listener of listeners) listener.interrupted();
  };
  const onReady = () => {
    // Subscribe again ourselves rather than rely on the client's auto-resubscribe, then resume.
    subscriber.subscribe(channel).then(
      () => {
        for (const listener of listeners) listener.resumed();
      },
      () => undefined,
    );
  };

  const start = async () => {
    if (!subscribed) {
      subscriber.on('message', onMessage);
      subscriber.on('close', onClose);
      subscriber.on('ready', onReady);
      subscribed = subscriber.subscribe(channel).catch((error: unknown) => {
        stop();
        throw error;
      });
    }
    await subscribed;
  };
  const stop = () => {
    subscribed = null;
    subscriber.removeListener('message', onMessage);
    subscriber.removeListener('close', onClose);
    subscriber.removeListener('ready', onReady);
  };

  return {
    async publish(accountId, changedAt) {
      await publisher.publish(channel, invalidationMessage(accountId, changedAt));
    },
    async subscribe(listener) {
      await start();
      listeners.add(listener);
      return async () => {
        listeners.delete(listener);
        if (listeners.size > 0) return;
        stop();
        await subscriber.unsubscribe(channel).catch(() => undefined);
      };
    },
  };
}
