import { createHash } from 'node:crypto';
import type { InvalidationBus, InvalidationListener } from '../../ports/invalidation-bus.js';
import { readInvalidationMessage } from '../invalidation-message.js';
import type { TableNames } from '../sql/table-names.js';
import type { PgPool, PgPoolClient } from './postgres-client.js';

/**
 * Listens on a channel for clients that cannot hand out a dedicated
 * connection (PGlite: `(channel, onPayload) => db.listen(channel, onPayload)`).
 * Resolves once listening, with a function that stops.
 *
 * @example
 * ```ts
 * const listen: ListenFunction = async (channel, onPayload) => {
 *   const unlisten = await db.listen(channel, onPayload);
 *   return async () => unlisten();
 * };
 * ```
 */
export type ListenFunction = (
  channel: string,
  onPayload: (payload: string) => void,
) => Promise<() => Promise<void>>;

/** First wait before listening again after the connection was lost; doubles up to the maximum. */
const FIRST_RETRY_MS = 100;
const MAX_RETRY_MS = 5_000;

/**
 * The notification channel of one set of tables: short (PostgreSQL caps
 * channel names at 63 bytes) and distinct per schema and prefix.
 */
export function invalidationChannel(names: TableNames): string {
  return `api_accounts_${createHash('sha256').update(names.accounts).digest('hex').slice(0, 16)}`;
}

/**
 * An {@link InvalidationBus} over PostgreSQL `LISTEN/NOTIFY`: the store's
 * writes send `pg_notify` inside their own statements (so `publish` has
 * nothing to do), and one dedicated connection per store listens for every
 * subscriber. When that connection fails, subscribers are told at once
 * (`interrupted`) and it reconnects with backoff (`resumed`).
 *
 * With a `listen` function, that is used instead (PGlite, postgres.js). Returns
 * `null` when the client can neither `connect()` nor `listen`.
 */
export function postgresInvalidations(
  pool: PgPool,
  channel: string,
  listen?: ListenFunction,
): { readonly bus: InvalidationBus; close(): Promise<void> } | null {
  const listeners = new Set<InvalidationListener>();
  const deliver = (payload: string | undefined) => {
    const read = payload ? readInvalidationMessage(payload) : null;
    if (read) for (const listener of listeners) listener.invalidate(read.accountId, read.changedAt);
  };
  let closed = false;

  // A host-supplied `listen` wins: a client's connect() may serve queries but not notifications (postgres.js).
  const connection = listen
    ? listenedChannel(listen, channel, deliver)
    : pool.connect
      ? listeningConnection(pool as Required<PgPool>, channel, deliver, {
          lost: () => {
            for (const listener of listeners) listener.interrupted();
          },
          restored: () => {
            for (const listener of listeners) listener.resumed();
          },
        })
      : null;
  if (!connection) return null;

  return {
    bus: {
      // The store's writes NOTIFY in their own statements, so a change is announced
      // exactly when it commits; there is nothing left to send here.
      async publish() {},
      async subscribe(listener) {
        if (closed) throw new Error('the PostgreSQL account store is closed');
        await connection.start();
        listeners.add(listener);
        return async () => {
          listeners.delete(listener);
          if (listeners.size === 0) await connection.stop();
        };
      },
    },
    async close() {
      closed = true;
      listeners.clear();
      await connection.stop();
    },
  };
}

interface Listening {
  /** Listens if not yet listening; resolves once it does. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

function listeningConnection(
  pool: Required<PgPool>,
  channel: string,
  deliver: (payload: string | undefined) => void,
  on: { lost(): void; restored(): void },
): Listening {
  /** The listening connection, and how to let go of it exactly once. */
  let current: { readonly client: PgPoolClient; retire(error?: Error | boolean): void } | null =
    null;
  let starting: Promise<void> | null = null;
  let wanted = false;
  let retry: ReturnType<typeof setTimeout> | null = null;
  let retryMs = FIRST_RETRY_MS;

  const connect = async (): Promise<void> => {
    const client = await pool.connect();
    let retired = false;
    const onNotification = (message: { channel: string; payload?: string | undefined }) => {
      if (message.channel === channel) deliver(message.payload);
    };
    const onError = (error: Error) => lose(error);
    const onEnd = () => lose(true);
    const retire = (error?: Error | boolean) => {
      if (retired) return;
      retired = true;
      client.removeListener?.('notification', onNotification);
      client.removeListener?.('error', onError);
      client.removeListener?.('end', onEnd);
      client.release(error);
      if (current?.client === client) current = null;
    };
    const lose = (error: Error | boolean) => {
      if (retired) return;
      retire(error);
      if (!wanted) return;
      on.lost();
      scheduleReconnect();
    };
    client.on('notification', onNotification);
    client.on('error', onError);
    client.on('end', onEnd);
    try {
      await client.query(`LISTEN "${channel}"`);
    } catch (error) {
      retire(error instanceof Error ? error : true);
      throw error;
    }
    current = { client, retire };
    retryMs = FIRST_RETRY_MS;
  };

  const scheduleReconnect = () => {
    if (retry || !wanted) return;
    retry = setTimeout(() => {
      retry = null;
      connect().then(
        () => (wanted ? on.restored() : undefined),
        () => {
          retryMs = Math.min(retryMs * 2, MAX_RETRY_MS);
          scheduleReconnect();
        },
      );
    }, retryMs);
    retry.unref?.();
  };

  return {
    async start() {
      wanted = true;
      if (current) return;
      starting ??= connect().finally(() => {
        starting = null;
      });
      await starting;
    },
    async stop() {
      wanted = false;
      if (retry) clearTimeout(retry);
      retry = null;
      const listening = current;
      current = null;
      if (!listening) return;
      await listening.client.query(`UNLISTEN "${channel}"`).catch(() => undefined);
      listening.retire();
    },
  };
}

function listenedChannel(
  listen: ListenFunction,
  channel: string,
  deliver: (payload: string | undefined) => void,
): Listening {
  let stopListening: (() => Promise<void>) | null = null;
  let starting: Promise<void> | null = null;
  return {
    async start() {
      if (stopListening) return;
      starting ??= listen(channel, deliver)
        .then((stop) => {
          stopListening = stop;
        })
        .finally(() => {
          starting = null;
        });
      await starting;
    },
    async stop() {
      const stop = stopListening;
      stopListening = null;
      await stop?.();
    },
  };
}
