import type { InvalidationBus } from 'api-accounts';
import type { AccountStore, InvalidationListener } from 'api-accounts/ports';
import { describe, expect, it, vi } from 'vitest';
import type { Log } from '../../src/core/logging/logger.js';
import { keepCacheFresh, keepCacheInSync } from '../../src/core/verification/keep-cache-fresh.js';
import { VerificationCache } from '../../src/core/verification/verdict-cache.js';

const found = {
  kind: 'account' as const,
  tenant: 'default',
  accountId: 'a',
  username: 'ACME',
  active: true,
  terms: { keyState: 'current' as const, endsAt: null, supersededAt: null },
  access: { scopes: [], ranges: null, rateLimit: null, rateLimitKey: '', quota: null },
};

/** A bus whose subscription the test settles by hand. */
function manualBus() {
  let listener: InvalidationListener | null = null;
  const unsubscribe = vi.fn(async () => undefined);
  const attempts: { resolve: () => void; reject: (e: Error) => void }[] = [];
  const bus: InvalidationBus = {
    publish: async () => undefined,
    subscribe: (l) =>
      new Promise((resolve, reject) => {
        listener = l;
        attempts.push({ resolve: () => resolve(unsubscribe), reject });
      }),
  };
  return { bus, attempts, unsubscribe, listener: () => listener as InvalidationListener };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('keepCacheInSync', () => {
  it('serves nothing until subscribed, and follows interruptions', async () => {
    const cache = new VerificationCache({ ttlMs: 60_000 });
    const log: Log = () => undefined;
    const { bus, attempts } = manualBus();
    const stop = keepCacheInSync(cache, bus, log);
    await settle();
    expect(cache.enabled).toBe(false);
    attempts[0]?.resolve();
    await settle();
    expect(cache.enabled).toBe(true);
    cache.remember('d', found, 0, cache.generation);
    expect(cache.lookup('d', 1)).toEqual(found);
    await stop();
    expect(cache.enabled).toBe(false);
    expect(cache.size).toBe(0);
  });

  it('empties and bypasses the cache while the bus is interrupted, and logs it', async () => {
    const cache = new VerificationCache({ ttlMs: 60_000 });
    const entries: string[] = [];
    const m = manualBus();
    const stop = keepCacheInSync(cache, m.bus, (level, message) =>
      entries.push(`${level} ${message}`),
    );
    await settle();
    m.attempts[0]?.resolve();
    await settle();
    cache.remember('d', found, 0, cache.generation);
    m.listener().interrupted();
    expect(cache.enabled).toBe(false);
    expect(cache.size).toBe(0);
    expect(entries).toEqual([
      'warn api-accounts: invalidations interrupted; verifying without the cache',
    ]);
    m.listener().resumed();
    expect(cache.enabled).toBe(true);
    m.listener().invalidate('a');
    await stop();
    expect(m.unsubscribe).toHaveBeenCalledTimes(1);
    m.listener().resumed();
    expect(cache.enabled).toBe(false); // stopped stays stopped
  });

  it('retries a failed subscription after a pause, logging each failure', async () => {
    vi.useFakeTimers();
    try {
      const cache = new VerificationCache({ ttlMs: 60_000 });
      const entries: string[] = [];
      const m = manualBus();
      const stop = keepCacheInSync(cache, m.bus, (level, message) =>
        entries.push(`${level} ${message}`),
      );
      await vi.advanceTimersByTimeAsync(0);
      m.attempts[0]?.reject(new Error('no connection'));
      await vi.advanceTimersByTimeAsync(0);
      expect(entries).toEqual([
        'warn api-accounts: could not subscribe to invalidations; retrying',
      ]);
      expect(m.attempts).toHaveLength(1);
      await vi.advanceTimersByTimeAsync(2_000);
      expect(m.attempts).toHaveLength(2);
      m.attempts[1]?.resolve();
      await vi.advanceTimersByTimeAsync(0);
      expect(cache.enabled).toBe(true);
      await stop();
    } finally {
      vi.useRealTimers();
    }
  });

  it('unsubscribes at once when stopped before the subscription came up, and never retries after stop', async () => {
    vi.useFakeTimers();
    try {
      const cache = new VerificationCache({ ttlMs: 60_000 });
      const m = manualBus();
      const stop = keepCacheInSync(cache, m.bus);
      await vi.advanceTimersByTimeAsync(0);
      await stop();
      m.attempts[0]?.resolve();
      await vi.advanceTimersByTimeAsync(0);
      expect(m.unsubscribe).toHaveBeenCalledTimes(1);
      expect(cache.enabled).toBe(false);

      const failing = manualBus();
      const stopFailing = keepCacheInSync(new VerificationCache({ ttlMs: 1 }), failing.bus);
      await vi.advanceTimersByTimeAsync(0);
      await stopFailing();
      failing.attempts[0]?.reject(new Error('down'));
      await vi.advanceTimersByTimeAsync(10_000);
      expect(failing.attempts).toHaveLength(1);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('keepCacheFresh', () => {
  /** A store with only a change feed, read through `this` as a class's method would be. */
  function feedStore() {
    const store = {
      reads: [] as (string | null)[],
      position: 0,
      async readChangesSince(
        this: { reads: (string | null)[]; position: number },
        from: string | null,
      ) {
        this.reads.push(from);
        this.position += 1;
        return { accountIds: ['a'], position: String(this.position), more: false };
      },
    };
    return store as typeof store & AccountStore;
  }

  it('refuses a cache over a store without a change feed, unless this is the only instance', async () => {
    const cache = new VerificationCache({ ttlMs: 60_000 });
    const store = {} as AccountStore;
    expect(() => keepCacheFresh(cache, store, undefined, false, null)).toThrow(
      /change feed \(readChangesSince\).*singleInstance: true/s,
    );
    const stop = keepCacheFresh(cache, store, undefined, true, null);
    await stop();
  });

  it('reads the feed through the store, and at once when the bus has news', async () => {
    const cache = new VerificationCache({ ttlMs: 60_000 });
    const store = feedStore();
    const m = manualBus();
    const dropped: Date[] = [];
    const stop = keepCacheFresh(cache, store, m.bus, false, null, (at) => dropped.push(at));
    await settle();
    m.attempts[0]?.resolve();
    await settle();
    const before = store.reads.length;
    const changedAt = new Date('2026-12-06T10:00:00Z');
    m.listener().invalidate('a', changedAt);
    m.listener().invalidate('b');
    await settle();
    expect(store.reads.length).toBeGreaterThan(before);
    expect(store.reads[0]).toBeNull();
    expect(dropped).toEqual([changedAt]);
    await stop();
    expect(m.unsubscribe).toHaveBeenCalledTimes(1);
    const after = store.reads.length;
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(store.reads).toHaveLength(after);
  });
});
