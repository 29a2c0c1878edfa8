import type { ChangePage } from 'api-accounts/ports';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Log } from '../../src/core/logging/logger.js';
import {
  CATCH_UP_INTERVAL_MS,
  catchUpFromFeed,
  REVOCATION_BOUND_MS,
} from '../../src/core/verification/feed-catch-up.js';
import { VerificationCache } from '../../src/core/verification/verdict-cache.js';

const verdictFor = (accountId: string) => ({
  kind: 'account' as const,
  tenant: 'default',
  accountId,
  username: accountId,
  active: true,
  terms: { keyState: 'current' as const, endsAt: null, supersededAt: null },
  access: { scopes: [], ranges: null, rateLimit: null, rateLimitKey: '', quota: null },
});

/** A change feed the test answers page by page; every read waits for its answer. */
function manualFeed() {
  const reads: { position: string | null; answer: (page: unknown) => void; fail: () => void }[] =
    [];
  const readChangesSince = (position: string | null) =>
    new Promise<ChangePage>((resolve, reject) => {
      reads.push({
        position,
        answer: (page) => resolve(page as ChangePage),
        fail: () => reject(new Error('the database is down')),
      });
    });
  /** Answers whatever read is still waiting, so that `stop()` can finish. */
  const stop = async (sync: { stop: () => Promise<void> }) => {
    const stopping = sync.stop();
    for (const read of reads) read.answer({ accountIds: [], position: 'end', more: false });
    await stopping;
  };
  return { reads, readChangesSince, stop };
}

/** Lets every pending promise settle. */
const settle = async () => {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
};

/** A cache holding a verdict for each account, trusted for the test's lifetime once caught up. */
function cacheHolding(...accountIds: string[]) {
  const cache = new VerificationCache({ ttlMs: 600_000 });
  for (const id of accountIds) cache.remember(`digest-${id}`, verdictFor(id), 0, cache.generation);
  return cache;
}

const page = (accountIds: string[], position: string, more = false): ChangePage => ({
  accountIds,
  position,
  more,
});

afterEach(() => {
  vi.useRealTimers();
});

describe('catchUpFromFeed', () => {
  it('trusts nothing until the first read finds the end of the feed, which drops nothing', async () => {
    const cache = cacheHolding('a');
    const feed = manualFeed();
    const sync = catchUpFromFeed(cache, feed.readChangesSince, null);
    expect(cache.lookup('digest-a', 1)).toBeUndefined();
    expect(feed.reads).toHaveLength(1);
    expect(feed.reads[0]?.position).toBeNull();
    // Changes before the first read happened before this cache held anything.
    feed.reads[0]?.answer(page(['a'], '7'));
    await settle();
    expect(cache.lookup('digest-a', 1)?.kind).toBe('account');
    await feed.stop(sync);
  });

  it('drops every account a later page names, reading on from where the last page ended', async () => {
    const cache = cacheHolding('a', 'b', 'c');
    const feed = manualFeed();
    const sync = catchUpFromFeed(cache, feed.readChangesSince, null);
    feed.reads[0]?.answer(page([], '7'));
    await settle();
    sync.now();
    expect(feed.reads[1]?.position).toBe('7');
    feed.reads[1]?.answer(page(['a', 'b'], '9'));
    await settle();
    expect(cache.lookup('digest-a', 1)).toBeUndefined();
    expect(cache.lookup('digest-b', 1)).toBeUndefined();
    expect(cache.lookup('digest-c', 1)?.kind).toBe('account');
    sync.now();
    expect(feed.reads[2]?.position).toBe('9');
    await feed.stop(sync);
  });

  it('reads again at once while a page says there is more, and trusts the cache only after the last', async () => {
    const cache = cacheHolding('a', 'b');
    const feed = manualFeed();
    const sync = catchUpFromFeed(cache, feed.readChangesSince, null);
    feed.reads[0]?.answer(page([], '1'));
    await settle();
    const trust = vi.spyOn(cache, 'trustUntil');
    sync.now();
    feed.reads[1]?.answer(page(['a'], '2', true));
    await settle();
    expect(feed.reads[2]?.position).toBe('2');
    expect(trust).not.toHaveBeenCalled();
    feed.reads[2]?.answer(page(['b'], '3'));
    await settle();
    expect(cache.lookup('digest-a', 1)).toBeUndefined();
    expect(cache.lookup('digest-b', 1)).toBeUndefined();
    expect(trust).toHaveBeenCalledTimes(1);
    await feed.stop(sync);
  });

  it('lets the cache answer until the revocation bound after the catch-up began, and no longer', async () => {
    const cache = cacheHolding('a');
    const feed = manualFeed();
    const trust = vi.spyOn(cache, 'trustUntil');
    const before = performance.now();
    const sync = catchUpFromFeed(cache, feed.readChangesSince, null);
    expect(trust).toHaveBeenLastCalledWith(Number.NEGATIVE_INFINITY);
    feed.reads[0]?.answer(page([], '1'));
    await settle();
    const deadline = trust.mock.lastCall?.[0] as number;
    expect(deadline).toBeGreaterThanOrEqual(before + REVOCATION_BOUND_MS);
    expect(deadline).toBeLessThanOrEqual(performance.now() + REVOCATION_BOUND_MS);
    await feed.stop(sync);
  });

  it('runs one read at a time: calls during a read ask for one more read after it', async () => {
    const cache = cacheHolding();
    const feed = manualFeed();
    const sync = catchUpFromFeed(cache, feed.readChangesSince, null);
    sync.now();
    sync.now();
    expect(feed.reads).toHaveLength(1);
    feed.reads[0]?.answer(page([], '1'));
    await settle();
    expect(feed.reads).toHaveLength(2);
    feed.reads[1]?.answer(page([], '2'));
    await settle();
    expect(feed.reads).toHaveLength(2);
    await feed.stop(sync);
  });

  it('reads on a timer, and stops reading when stopped', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const reads: (string | null)[] = [];
    const sync = catchUpFromFeed(
      cacheHolding(),
      async (position) => {
        reads.push(position);
        return page([], String(reads.length));
      },
      null,
    );
    await settle();
    expect(reads).toEqual([null]);
    vi.advanceTimersByTime(CATCH_UP_INTERVAL_MS - 1);
    await settle();
    expect(reads).toHaveLength(1);
    vi.advanceTimersByTime(1);
    await settle();
    expect(reads).toEqual([null, '1']);
    await sync.stop();
    vi.advanceTimersByTime(CATCH_UP_INTERVAL_MS * 3);
    sync.now();
    await settle();
    expect(reads).toHaveLength(2);
  });

  it('waits for the read under way when stopped', async () => {
    const feed = manualFeed();
    const sync = catchUpFromFeed(cacheHolding(), feed.readChangesSince, null);
    let stopped = false;
    const stopping = sync.stop().then(() => {
      stopped = true;
    });
    await settle();
    expect(stopped).toBe(false);
    feed.reads[0]?.answer(page([], '1'));
    await stopping;
    expect(stopped).toBe(true);
  });

  it('bypasses the cache while the feed fails, logs the failure once and the recovery once', async () => {
    const cache = cacheHolding('a');
    const feed = manualFeed();
    const entries: [string, string][] = [];
    const log: Log = (level, message) => entries.push([level, message]);
    const sync = catchUpFromFeed(cache, feed.readChangesSince, log);
    feed.reads[0]?.answer(page([], '1'));
    await settle();
    expect(cache.lookup('digest-a', 1)?.kind).toBe('account');
    const trust = vi.spyOn(cache, 'trustUntil');
    sync.now();
    feed.reads[1]?.fail();
    await settle();
    sync.now();
    feed.reads[2]?.fail();
    await settle();
    // A failed read moves no deadline, and the position stays where the last good page left it.
    expect(trust).not.toHaveBeenCalled();
    expect(feed.reads[2]?.position).toBe('1');
    expect(entries).toEqual([
      ['warn', 'api-accounts: could not read the change feed; verifying without the cache'],
    ]);
    sync.now();
    feed.reads[3]?.answer(page(['a'], '2'));
    await settle();
    sync.now();
    feed.reads[4]?.answer(page([], '3'));
    await settle();
    expect(entries).toEqual([
      ['warn', 'api-accounts: could not read the change feed; verifying without the cache'],
      ['info', 'api-accounts: the change feed answers again; caching resumed'],
    ]);
    expect(trust).toHaveBeenCalledTimes(2);
    expect(cache.lookup('digest-a', 1)).toBeUndefined();
    await feed.stop(sync);
  });

  it.each([
    ['no page at all', null],
    ['account ids that are not a list', { accountIds: 'a', position: '2', more: false }],
    ['an account id that is not a string', { accountIds: ['a', 3], position: '2', more: false }],
    ['a position that is not a string', { accountIds: [], position: 2, more: false }],
    ['no word on whether there is more', { accountIds: [], position: '2' }],
  ])('treats %s as a failed read', async (_, answer) => {
    const cache = cacheHolding('a');
    const feed = manualFeed();
    const entries: string[] = [];
    const sync = catchUpFromFeed(cache, feed.readChangesSince, (level) => entries.push(level));
    feed.reads[0]?.answer(page([], '1'));
    await settle();
    const trust = vi.spyOn(cache, 'trustUntil');
    sync.now();
    feed.reads[1]?.answer(answer);
    await settle();
    expect(entries).toEqual(['warn']);
    expect(trust).not.toHaveBeenCalled();
    sync.now();
    expect(feed.reads[2]?.position).toBe('1');
    await feed.stop(sync);
  });
});
