/**
 * A bounded map that forgets (nearly) the least recently used entry first.
 * A hit moves its entry to the young end only once it has drifted into the
 * older half: an entry used since is far from eviction, and skipping the
 * move saves a delete and an insert on most hits. The verdict cache and the
 * in-memory rate limiter both keep their entries in one.
 */
export class Lru<Value> {
  readonly #entries = new Map<string, { value: Value; seq: number }>();
  #seq = 0;

  constructor(
    readonly maxEntries: number,
    /** Told of every entry that leaves: evicted, replaced or deleted. */
    private readonly onForget: (key: string, value: Value) => void = () => undefined,
  ) {}

  /** How many entries it holds. */
  get size(): number {
    return this.#entries.size;
  }

  /** The value for `key`, counted as a use. */
  get(key: string): Value | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    if (this.#seq - entry.seq >= this.maxEntries >>> 1) {
      this.#entries.delete(key);
      entry.seq = ++this.#seq;
      this.#entries.set(key, entry);
    }
    return entry.value;
  }

  /** Holds `value` under `key` (the one there before is forgotten), then evicts past the bound. */
  set(key: string, value: Value): void {
    this.delete(key);
    this.#entries.set(key, { value, seq: ++this.#seq });
    while (this.#entries.size > this.maxEntries) {
      const oldest = this.#entries.keys().next().value;
      if (oldest === undefined) break;
      this.delete(oldest);
    }
  }

  /** Forgets `key`; whether it was held. */
  delete(key: string): boolean {
    const entry = this.#entries.get(key);
    if (!entry) return false;
    this.#entries.delete(key);
    this.onForget(key, entry.value);
    return true;
  }

  /** Forgets everything, without telling `onForget`. */
  clear(): void {
    this.#entries.clear();
  }
}
