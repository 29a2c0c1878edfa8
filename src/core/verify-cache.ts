/**
 * What verification found for one key digest (or signer username), as cached.
 *
 * - `account` — the key belongs to this account (which may be switched off).
 * - `signer` — the username (of a signed request) names this account.
 * - `unknown` — no account has this key (cached briefly). With
 *   `dropOnAnyChange`, it is also dropped by every invalidation, whichever
 *   account it names: a username can come to exist, or get its first key,
 *   through a change to an account no verdict knew about.
 */
export type CachedVerdict =
  | {
      readonly kind: 'account';
      readonly accountId: string;
      readonly username: string;
      readonly active: boolean;
    }
  | {
      readonly kind: 'signer';
      readonly accountId: string;
      readonly username: string;
      readonly active: boolean;
      /** The unsealed signing secret, or why there is none. */
      readonly secret: Uint8Array | 'no_key' | 'signing_unavailable';
    }
  | { readonly kind: 'unknown'; readonly dropOnAnyChange?: boolean };

/**
 * How verification results are cached.
 *
 * @example
 * ```ts
 * const options: VerifyCacheOptions = { ttlMs: 60_000, maxEntries: 100_000 };
 * ```
 */
export interface VerifyCacheOptions {
  /** How long a found key is trusted without asking the store. */
  readonly ttlMs: number;
  /** Most digests kept; the least recently used go first. Default 100,000. */
  readonly maxEntries?: number;
  /** How long an unknown key is remembered as unknown. Default the smaller of `ttlMs` and 5 s. */
  readonly negativeTtlMs?: number;
}

interface Entry {
  readonly verdict: CachedVerdict;
  readonly expiresAt: number;
  /** When it was last (re)inserted, counted in insertions: its place in the LRU order. */
  seq: number;
}

/**
 * A bounded LRU of verification verdicts by key digest, with TTLs, dropped per
 * account on invalidation. It is consulted only while `enabled`: with an
 * invalidation bus that lost its connection, nothing cached can be trusted.
 *
 * Every invalidation bumps a generation; a verdict read from the store before
 * an invalidation is not cached after it (`remember` takes the generation seen
 * when the lookup started), so a slow lookup cannot resurrect a revoked key.
 *
 * @example
 * ```ts
 * const cache = new VerificationCache({ ttlMs: 60_000 });
 * const generation = cache.generation;
 * // … look the key up …
 * cache.remember(digest, { kind: 'unknown' }, Date.now(), generation);
 * ```
 */
export class VerificationCache {
  readonly #entries = new Map<string, Entry>();
  readonly #digestsByAccount = new Map<string, Set<string>>();
  /** Unknown verdicts that any invalidation ends (see `dropOnAnyChange`). */
  readonly #droppedOnAnyChange = new Set<string>();
  readonly #ttlMs: number;
  readonly #negativeTtlMs: number;
  readonly #maxEntries: number;
  #generation = 0;
  #seq = 0;
  /** Whether lookups may be answered from the cache. */
  enabled: boolean;

  /**
   * @example
   * ```ts
   * new VerificationCache({ ttlMs: 60_000, maxEntries: 10_000 }, false); // starts disabled
   * ```
   */
  constructor(options: VerifyCacheOptions, enabled = true) {
    this.#ttlMs = options.ttlMs;
    this.#negativeTtlMs = options.negativeTtlMs ?? Math.min(options.ttlMs, 5_000);
    this.#maxEntries = options.maxEntries ?? 100_000;
    this.enabled = enabled;
  }

  /** Bumped by every invalidation; pass the value read before a lookup to {@link VerificationCache.remember}. */
  get generation(): number {
    return this.#generation;
  }

  /** Entries held now. */
  get size(): number {
    return this.#entries.size;
  }

  /**
   * The live verdict for `digest`, or `undefined`.
   *
   * @example
   * ```ts
   * cache.lookup(digest, clock.now().getTime());
   * ```
   */
  lookup(digest: string, now: number): CachedVerdict | undefined {
    if (!this.enabled) return undefined;
    const entry = this.#entries.get(digest);
    if (!entry) return undefined;
    if (entry.expiresAt <= now) {
      this.#forget(digest, entry);
      return undefined;
    }
    // Mark it recently used by moving it to the end (Map keeps insertion order),
    // but only once it has drifted into the older half: an entry inserted since
    // is far from eviction, and skipping the move saves work on every hit.
    if (this.#seq - entry.seq >= this.#maxEntries >>> 1) {
      this.#entries.delete(digest);
      entry.seq = ++this.#seq;
      this.#entries.set(digest, entry);
    }
    return entry.verdict;
  }

  /**
   * Caches a verdict read from the store, unless an invalidation happened since
   * `generationAtLookup`.
   *
   * @example
   * ```ts
   * cache.remember(digest, { kind: 'account', accountId, username, active: true }, now, generation);
   * ```
   */
  remember(digest: string, verdict: CachedVerdict, now: number, generationAtLookup: number): void {
    if (!this.enabled || generationAtLookup !== this.#generation) return;
    const previous = this.#entries.get(digest);
    if (previous) this.#forget(digest, previous);
    const ttl = verdict.kind === 'unknown' ? this.#negativeTtlMs : this.#ttlMs;
    this.#entries.set(digest, { verdict, expiresAt: now + ttl, seq: ++this.#seq });
    if (verdict.kind !== 'unknown') {
      const digests = this.#digestsByAccount.get(verdict.accountId) ?? new Set<string>();
      digests.add(digest);
      this.#digestsByAccount.set(verdict.accountId, digests);
    } else if (verdict.dropOnAnyChange === true) {
      this.#droppedOnAnyChange.add(digest);
    }
    while (this.#entries.size > this.#maxEntries) {
      const oldest = this.#entries.entries().next().value;
      if (!oldest) break;
      this.#forget(oldest[0], oldest[1]);
    }
  }

  /**
   * Drops everything cached for one account, and every unknown verdict marked
   * `dropOnAnyChange`.
   *
   * @example
   * ```ts
   * cache.invalidateAccount('acct_…');
   * ```
   */
  invalidateAccount(accountId: string): void {
    this.#generation += 1;
    for (const digest of this.#droppedOnAnyChange) this.#entries.delete(digest);
    this.#droppedOnAnyChange.clear();
    const digests = this.#digestsByAccount.get(accountId);
    if (!digests) return;
    this.#digestsByAccount.delete(accountId);
    for (const digest of digests) this.#entries.delete(digest);
  }

  /**
   * Drops everything.
   *
   * @example
   * ```ts
   * cache.clear();
   * ```
   */
  clear(): void {
    this.#generation += 1;
    this.#entries.clear();
    this.#digestsByAccount.clear();
    this.#droppedOnAnyChange.clear();
  }

  #forget(digest: string, entry: Entry): void {
    this.#entries.delete(digest);
    if (entry.verdict.kind === 'unknown') {
      this.#droppedOnAnyChange.delete(digest);
      return;
    }
    const digests = this.#digestsByAccount.get(entry.verdict.accountId);
    digests?.delete(digest);
    if (digests?.size === 0) this.#digestsByAccount.delete(entry.verdict.accountId);
  }
}
