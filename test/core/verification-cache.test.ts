import { describe, expect, it } from 'vitest';
import { VerificationCache } from '../../src/core/verification/verdict-cache.js';

const found = (accountId: string) => ({
  kind: 'account' as const,
  tenant: 'default',
  accountId,
  username: 'ACME',
  active: true,
  terms: { keyState: 'current' as const, endsAt: null, supersededAt: null },
  access: { scopes: [], ranges: null, rateLimit: null, rateLimitKey: '', quota: null },
});

describe('VerificationCache', () => {
  it('answers within the TTL and forgets after it', () => {
    const cache = new VerificationCache({ ttlMs: 1000 });
    cache.remember('d1', found('a'), 0, cache.generation);
    expect(cache.lookup('d1', 999)).toEqual(found('a'));
    expect(cache.lookup('d1', 1000)).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('keeps unknown verdicts in their own space: a flood of them never evicts a known key', () => {
    const cache = new VerificationCache({ ttlMs: 60_000, maxEntries: 100, maxUnknownEntries: 50 });
    for (let i = 0; i < 100; i++) cache.remember(`real-${i}`, found(`a${i}`), 0, cache.generation);
    for (let i = 0; i < 200_000; i++) {
      cache.remember(`made-up-${i}`, { kind: 'unknown' }, 0, cache.generation);
    }
    for (let i = 0; i < 100; i++) expect(cache.lookup(`real-${i}`, 1)).toEqual(found(`a${i}`));
    expect(cache.size).toBe(150);
    expect(cache.lookup('made-up-199999', 1)).toEqual({ kind: 'unknown' });
    expect(cache.lookup('made-up-0', 1)).toBeUndefined();
  });

  it('bounds unknown verdicts by default to the smaller of maxEntries and 10,000', () => {
    const cache = new VerificationCache({ ttlMs: 60_000 });
    for (let i = 0; i < 20_000; i++) {
      cache.remember(`made-up-${i}`, { kind: 'unknown' }, 0, cache.generation);
    }
    expect(cache.size).toBe(10_000);
    const small = new VerificationCache({ ttlMs: 60_000, maxEntries: 10 });
    for (let i = 0; i < 20; i++) small.remember(`u${i}`, { kind: 'unknown' }, 0, small.generation);
    expect(small.size).toBe(10);
  });

  it('moves a digest between spaces when its verdict changes kind', () => {
    const cache = new VerificationCache({ ttlMs: 60_000 });
    cache.remember('d', { kind: 'unknown' }, 0, cache.generation);
    cache.remember('d', found('a'), 0, cache.generation);
    expect(cache.size).toBe(1);
    expect(cache.lookup('d', 1)).toEqual(found('a'));
    cache.remember('d', { kind: 'unknown' }, 0, cache.generation);
    expect(cache.size).toBe(1);
    cache.invalidateAccount('a');
    expect(cache.lookup('d', 1)).toEqual({ kind: 'unknown' });
  });

  it('remembers unknown keys only briefly', () => {
    const cache = new VerificationCache({ ttlMs: 60_000 });
    cache.remember('nope', { kind: 'unknown' }, 0, cache.generation);
    expect(cache.lookup('nope', 4_999)).toEqual({ kind: 'unknown' });
    expect(cache.lookup('nope', 5_000)).toBeUndefined();
    const custom = new VerificationCache({ ttlMs: 60_000, negativeTtlMs: 100 });
    custom.remember('nope', { kind: 'unknown' }, 0, custom.generation);
    expect(custom.lookup('nope', 100)).toBeUndefined();
  });

  it('drops unknown verdicts marked dropOnAnyChange on any invalidation, and only those', () => {
    const cache = new VerificationCache({ ttlMs: 60_000, maxEntries: 3 });
    const maybeLater = { kind: 'unknown' as const, dropOnAnyChange: true };
    cache.remember('signer:early', maybeLater, 0, cache.generation);
    cache.remember('digest', { kind: 'unknown' }, 0, cache.generation);
    cache.remember('d1', found('a'), 0, cache.generation);
    cache.invalidateAccount('unrelated');
    expect(cache.lookup('signer:early', 1)).toBeUndefined();
    expect(cache.lookup('digest', 1)).toEqual({ kind: 'unknown' });
    expect(cache.lookup('d1', 1)).toEqual(found('a'));

    // Evicted or expired marked entries leave nothing behind for a later invalidation to drop.
    cache.remember('signer:evicted', maybeLater, 1, cache.generation);
    cache.remember('u2', { kind: 'unknown' }, 1, cache.generation);
    cache.remember('u3', { kind: 'unknown' }, 1, cache.generation);
    cache.remember('u4', { kind: 'unknown' }, 1, cache.generation);
    expect(cache.lookup('signer:evicted', 2)).toBeUndefined();
    cache.remember('signer:again', maybeLater, 2, cache.generation);
    expect(cache.lookup('signer:again', 3)).toEqual(maybeLater);
    cache.clear();
    cache.remember('signer:after-clear', maybeLater, 3, cache.generation);
    cache.invalidateAccount('other');
    expect(cache.size).toBe(0);
  });

  it('evicts the least recently used beyond maxEntries', () => {
    const cache = new VerificationCache({ ttlMs: 1000, maxEntries: 2 });
    cache.remember('d1', found('a'), 0, cache.generation);
    cache.remember('d2', found('b'), 0, cache.generation);
    cache.lookup('d1', 1); // d1 is now the most recent
    cache.remember('d3', found('c'), 0, cache.generation);
    expect(cache.size).toBe(2);
    expect(cache.lookup('d2', 1)).toBeUndefined();
    expect(cache.lookup('d1', 1)).toBeDefined();
    expect(cache.lookup('d3', 1)).toBeDefined();
  });

  it('stays bounded under a flood of unknown keys', () => {
    const cache = new VerificationCache({ ttlMs: 1000, maxEntries: 1000 });
    for (let i = 0; i < 100_000; i++)
      cache.remember(`unknown-${i}`, { kind: 'unknown' }, 0, cache.generation);
    expect(cache.size).toBe(1000);
  });

  it('drops every digest of an invalidated account, and only those', () => {
    const cache = new VerificationCache({ ttlMs: 1000 });
    cache.remember('d1', found('a'), 0, cache.generation);
    cache.remember('d2', found('a'), 0, cache.generation);
    cache.remember('d3', found('b'), 0, cache.generation);
    cache.invalidateAccount('a');
    expect(cache.lookup('d1', 1)).toBeUndefined();
    expect(cache.lookup('d2', 1)).toBeUndefined();
    expect(cache.lookup('d3', 1)).toBeDefined();
  });

  it('does not cache a verdict read before an invalidation', () => {
    const cache = new VerificationCache({ ttlMs: 1000 });
    const generation = cache.generation;
    cache.invalidateAccount('a'); // arrives while the lookup is in flight
    cache.remember('d1', found('a'), 0, generation);
    expect(cache.lookup('d1', 1)).toBeUndefined();
  });

  it('serves and stores nothing while disabled', () => {
    const cache = new VerificationCache({ ttlMs: 1000 });
    cache.remember('d1', found('a'), 0, cache.generation);
    cache.enabled = false;
    expect(cache.lookup('d1', 1)).toBeUndefined();
    cache.remember('d2', found('a'), 0, cache.generation);
    cache.enabled = true;
    expect(cache.lookup('d2', 1)).toBeUndefined();
  });
});

describe('VerificationCache bookkeeping', () => {
  it('keeps unknown verdicts only for the shorter negative TTL', () => {
    const cache = new VerificationCache({ ttlMs: 60_000, negativeTtlMs: 1_000 });
    cache.remember('known', found('a'), 0, cache.generation);
    cache.remember('unknown', { kind: 'unknown' }, 0, cache.generation);
    expect(cache.lookup('unknown', 999)).toEqual({ kind: 'unknown' });
    expect(cache.lookup('unknown', 1_000)).toBeUndefined();
    expect(cache.lookup('known', 59_999)).toEqual(found('a'));
  });

  it('raises the generation on every invalidation, so a verdict read before it is not kept', () => {
    const cache = new VerificationCache({ ttlMs: 60_000 });
    const before = cache.generation;
    cache.invalidateAccount('a');
    expect(cache.generation).toBeGreaterThan(before);
    const middle = cache.generation;
    cache.clear();
    expect(cache.generation).toBeGreaterThan(middle);
    cache.remember('d1', found('a'), 0, before);
    expect(cache.lookup('d1', 1)).toBeUndefined();
  });

  it('does not let a digest that moved to another account be dropped with the old one', () => {
    const cache = new VerificationCache({ ttlMs: 60_000 });
    cache.remember('d1', found('a'), 0, cache.generation);
    cache.remember('d1', found('b'), 1, cache.generation);
    cache.invalidateAccount('a');
    expect(cache.lookup('d1', 2)).toEqual(found('b'));
    cache.invalidateAccount('b');
    expect(cache.lookup('d1', 3)).toBeUndefined();
  });

  it('forgets an evicted digest for its account, so a later owner keeps its entry', () => {
    const cache = new VerificationCache({ ttlMs: 60_000, maxEntries: 1 });
    cache.remember('d1', found('a'), 0, cache.generation);
    cache.remember('d2', found('c'), 0, cache.generation); // evicts d1
    expect(cache.size).toBe(1);
    cache.remember('d1', found('b'), 0, cache.generation); // evicts d2
    cache.invalidateAccount('a');
    expect(cache.lookup('d1', 1)).toEqual(found('b'));
  });

  it('forgets an expired account entry for its account too', () => {
    const cache = new VerificationCache({ ttlMs: 10 });
    cache.remember('d1', found('a'), 0, cache.generation);
    expect(cache.lookup('d1', 10)).toBeUndefined(); // expired and forgotten
    cache.remember('d1', found('b'), 10, cache.generation);
    cache.invalidateAccount('a');
    expect(cache.lookup('d1', 11)).toEqual(found('b'));
  });
});

describe('VerificationCache LRU under churn', () => {
  it('keeps an entry that is hit regularly, however many others pass through', () => {
    const cache = new VerificationCache({ ttlMs: 60_000, maxEntries: 100 });
    cache.remember('hot', found('a'), 0, cache.generation);
    for (let i = 0; i < 10_000; i++) {
      cache.remember(`cold-${i}`, found(`cold-${i}`), 0, cache.generation);
      if (i % 40 === 0) expect(cache.lookup('hot', 1), `evicted after ${i}`).toEqual(found('a'));
    }
    expect(cache.size).toBe(100);
  });
});
