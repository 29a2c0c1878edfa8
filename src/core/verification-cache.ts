import type { VerdictAccess } from './access/admission.js';
import type { KeyTerms } from './lifecycle/key-standing.js';

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
      readonly terms: KeyTerms;
      readonly access: VerdictAccess;
    }
  | {
      readonly kind: 'signer';
      readonly accountId: string;
      readonly username: string;
      readonly active: boolean;
      /** The current key's unsealed signing secret, or why there is none. */
      readonly secret: Uint8Array | 'no_key' | 'signing_unavailable';
      /** The current key's expiry in ms; `null`: never. */
      readonly expiresAt: number | null;
      /** A rotation's previous key with its unsealed secret, while the account has one that can sign. */
      readonly previous: {
        readonly secret: Uint8Array;
        readonly endsAt: number;
        readonly supersededAt: number;
      } | null;
      readonly access: VerdictAccess;
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
  /** Most found keys kept; the least recently used go first. Default 100,000. */
  readonly maxEntries?: number;
  /**
   * Most unknown keys remembered, in a space of their own so that a flood of
   * made-up keys never pushes out a real one. Default the smaller of
   * `maxEntries` and 10,000.
   */
  readonly maxUnknownEntries?: number;
  /** How long an unknown key is remembered as unknown. Default the smaller of `ttlMs` and 5 s. */
  readonly negativeTtlMs?: number;
  /**
   * Say so when this process is the only one writing the store, and the store
   * has no change feed (`readChangesSince`). Without the feed nothing would
   * bring another process's revocation to this cache before `ttlMs`, so the
   * manager refuses a cache over such a store unless told this.
   */
  readonly singleInstance?: boolean;
}

interface Entry {
  readonly verdict: CachedVerdict;
  readonly expiresAt: number;
  /** When it was last (re)inserted, counted in insertions: its place in the LRU order. */
  seq: number;
}

/**
 * One bounded, approximately least-recently-used space of entries with expiry.
 * A hit moves its entry to the young end only once it has drifted into the
 * older half: an entry inserted since is far from eviction, and skipping the
 * move saves work on every hit.
 */
class LruSpace {
  readonly entries = new Map<string, Entry>();
  #seq = 0;

  constructor(
    readonly maxEntries: number,
    /** Told of every entry that leaves, by expiry, eviction or replacement. */
    private readonly onForget: (key: string, entry: Entry) => void,
  ) {}

  get(key: string, now: number): Entry | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= now) {
      this.forget(key, entry);
      return undefined;
    }
    if (this.#seq - entry.seq >= this.maxEntries >>> 1) {
      this.entries.delete(key);
      entry.seq = ++this.#seq;
      this.entries.set(key, entry);
    }
    return entry;
  }

  set(key: string, verdict: CachedVerdict, expiresAt: number): void {
    const previous = this.entries.get(key);
    if (previous) this.forget(key, previous);
    this.entries.set(key, { verdict, expiresAt, seq: ++this.#seq });
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.entries().next().value;
      if (!oldest) break;
      this.forget(oldest[0], oldest[1]);
    }
  }

  forget(key: string, entry: Entry): void {
    this.entries.delete(key);
    this.onForget(key, entry);
  }
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
  readonly #known: LruSpace;
  readonly #unknown: LruSpace;
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

  /**
   * @example
   * ```ts
   * new VerificationCache({ ttlMs: 60_000, maxEntries: 10_000 }, false); // starts disabled
   * ```
   */
  constructor(options: VerifyCacheOptions, enabled = true) {
    this.#ttlMs = options.ttlMs;
    this.#negativeTtlMs = options.negativeTtlMs ?? Math.min(options.ttlMs, 5_000);
    const maxEntries = options.maxEntries ?? 100_000;
    this.#known = new LruSpace(maxEntries, (digest, entry) => {
      if (entry.verdict.kind === 'unknown') return;
      const digests = this.#digestsByAccount.get(entry.verdict.accountId);
      digests?.delete(digest);
      if (digests?.size === 0) this.#digestsByAccount.delete(entry.verdict.accountId);
    });
    this.#unknown = new LruSpace(
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
   *
   * @example
   * ```ts
   * cache.trustUntil(performance.now() + 1_500);
   * ```
   */
  trustUntil(deadline: number): void {
    this.#trustedUntil = deadline;
  }

  /** Entries held now, known and unknown. */
  get size(): number {
    return this.#known.entries.size + this.#unknown.entries.size;
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
    if (!this.enabled || performance.now() > this.#trustedUntil) return undefined;
    return (this.#known.get(digest, now) ?? this.#unknown.get(digest, now))?.verdict;
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
    if (verdict.kind === 'unknown') {
      const known = this.#known.entries.get(digest);
      if (known) this.#known.forget(digest, known);
      this.#unknown.set(digest, verdict, now + this.#negativeTtlMs);
      if (verdict.dropOnAnyChange === true) this.#droppedOnAnyChange.add(digest);
      return;
    }
    const unknown = this.#unknown.entries.get(digest);
    if (unknown) this.#unknown.forget(digest, unknown);
    this.#known.set(digest, verdict, now + this.#ttlMs);
    const digests = this.#digestsByAccount.get(verdict.accountId) ?? new Set<string>();
    digests.add(digest);
    this.#digestsByAccount.set(verdict.accountId, digests);
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
    for (const digest of this.#droppedOnAnyChange) this.#unknown.entries.delete(digest);
    this.#droppedOnAnyChange.clear();
    const digests = this.#digestsByAccount.get(accountId);
    if (!digests) return;
    this.#digestsByAccount.delete(accountId);
    for (const digest of digests) this.#known.entries.delete(digest);
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
    this.#known.entries.clear();
    this.#unknown.entries.clear();
    this.#digestsByAccount.clear();
    this.#droppedOnAnyChange.clear();
  }
}
