import { Lru } from '../lru.js';
import type { VerifyCacheOptions } from '../options.js';
import type { CachedVerdict } from './verdict.js';

interface Entry {
  readonly verdict: CachedVerdict;
  readonly expiresAt: number;
}

/** The live entry for `key` in `space`; an expired one is forgotten. */
function live(space: Lru<Entry>, key: string, now: number): Entry | undefined {
  const entry = space.get(key);
  if (entry && entry.expiresAt <= now) {
    space.delete(key);
    return undefined;
  }
  return entry;
}

/**
 * A bounded LRU of verification verdicts by key digest, with TTLs, dropped per
 * account on invalidation. It is consulted only while `enabled`: with an
 * invalidation bus that lost its connection, nothing cached can be trusted.
 *
 * Unknown verdicts live in a space of their own, bounded separately
 * (`maxUnknownEntries`): a flood of made-up keys fills that space and never
 * evicts a verdict for a real key.
 *
 * Every invalidation bumps a generation; a verdict read from the store before
 * an invalidation is not cached after it (`remember` takes the generation seen
 * when the lookup started), so a slow lookup cannot resurrect a revoked key.
 */
export class VerificationCache {
  readonly #known: Lru<Entry>;
  readonly #unknown: Lru<Entry>;
  readonly #digestsByAccount = new Map<string, Set<string>>();
  /** Unknown verdicts that any invalidation ends (see `dropOnAnyChange`). */
  readonly #droppedOnAnyChange = new Set<string>();
  readonly #ttlMs: number;
  readonly #negativeTtlMs: number;
  #generation = 0;
  /** `performance.now()` past which lookups miss: the cache is only as fresh as its last catch-up. */
  #trustedUntil = Number.POSITIVE_INFINITY;
  /** Whether lookups may be answered from the cache. */
  enabled: boolean;

  constructor(options: VerifyCacheOptions, enabled = true) {
    this.#ttlMs = options.ttlMs;
    this.#negativeTtlMs = options.negativeTtlMs ?? Math.min(options.ttlMs, 5_000);
    const maxEntries = options.maxEntries ?? 100_000;
    this.#known = new Lru<Entry>(maxEntries, (digest, entry) => {
      if (entry.verdict.kind === 'unknown') return;
      const digests = this.#digestsByAccount.get(entry.verdict.accountId);
      digests?.delete(digest);
      if (digests?.size === 0) this.#digestsByAccount.delete(entry.verdict.accountId);
    });
    this.#unknown = new Lru<Entry>(
      options.maxUnknownEntries ?? Math.min(maxEntries, 10_000),
      (digest) => this.#droppedOnAnyChange.delete(digest),
    );
    this.enabled = enabled;
  }

  /** Bumped by every invalidation; pass the value read before a lookup to {@link VerificationCache.remember}. */
  get generation(): number {
    return this.#generation;
  }

  /**
   * Lets lookups answer until `deadline` (a `performance.now()` reading), and
   * miss after it; unbounded by default. The change feed's catch-up moves it
   * on after each read.
   */
  trustUntil(deadline: number): void {
    this.#trustedUntil = deadline;
  }

  /** Entries held now, known and unknown. */
  get size(): number {
    return this.#known.size + this.#unknown.size;
  }

  /**
   * The live verdict for `digest`, or `undefined`.
   */
  lookup(digest: string, now: number): CachedVerdict | undefined {
    if (!this.enabled || performance.now() > this.#trustedUntil) return undefined;
    return (live(this.#known, digest, now) ?? live(this.#unknown, digest, now))?.verdict;
  }

  /**
   * Caches a verdict read from the store, unless an invalidation happened since
   * `generationAtLookup`.
   */
  remember(digest: string, verdict: CachedVerdict, now: number, generationAtLookup: number): void {
    if (!this.enabled || generationAtLookup !== this.#generation) return;
    if (verdict.kind === 'unknown') {
      this.#known.delete(digest);
      this.#unknown.set(digest, { verdict, expiresAt: now + this.#negativeTtlMs });
      if (verdict.dropOnAnyChange === true) this.#droppedOnAnyChange.add(digest);
      return;
    }
    this.#unknown.delete(digest);
    this.#known.set(digest, { verdict, expiresAt: now + this.#ttlMs });
    const digests = this.#digestsByAccount.get(verdict.accountId) ?? new Set<string>();
    digests.add(digest);
    this.#digestsByAccount.set(verdict.accountId, digests);
  }

  /**
   * Drops everything cached for one account, and every unknown verdict marked
   * `dropOnAnyChange`.
   */
  invalidateAccount(accountId: string): void {
    this.#generation += 1;
    const dropped = [...this.#droppedOnAnyChange];
    this.#droppedOnAnyChange.clear();
    for (const digest of dropped) this.#unknown.delete(digest);
    const digests = this.#digestsByAccount.get(accountId);
    if (!digests) return;
    this.#digestsByAccount.delete(accountId);
    for (const digest of digests) this.#known.delete(digest);
  }

  /**
   * Drops everything.
   */
  clear(): void {
    this.#generation += 1;
    this.#known.clear();
    this.#unknown.clear();
    this.#digestsByAccount.clear();
    this.#droppedOnAnyChange.clear();
  }
}
