/**
 * Counts attempts per key in fixed windows, in memory. Bounded: once it holds
 * `maxKeys` keys it forgets the oldest, so a flood of distinct keys costs
 * memory no larger than that.
 *
 * @example
 * ```ts
 * const limiter = new FixedWindowLimiter({ max: 10, windowMs: 15 * 60_000 }, Date.now);
 * if (!limiter.allow('ip:203.0.113.9')) return tooMany(limiter.retryAfterSeconds('ip:203.0.113.9'));
 * ```
 */
export class FixedWindowLimiter {
  readonly #windows = new Map<string, { count: number; resetAt: number }>();
  readonly #max: number;
  readonly #windowMs: number;
  readonly #maxKeys: number;
  readonly #now: () => number;

  constructor(limit: RateLimit, now: () => number, maxKeys = 50_000) {
    this.#max = limit.max;
    this.#windowMs = limit.windowMs;
    this.#maxKeys = maxKeys;
    this.#now = now;
  }

  /** Counts one attempt for `key`; false once the window's limit is used up. */
  allow(key: string): boolean {
    const now = this.#now();
    let window = this.#windows.get(key);
    if (window === undefined || window.resetAt <= now) {
      this.#windows.delete(key);
      if (this.#windows.size >= this.#maxKeys) {
        const oldest = this.#windows.keys().next().value;
        if (oldest !== undefined) this.#windows.delete(oldest);
      }
      window = { count: 0, resetAt: now + this.#windowMs };
      this.#windows.set(key, window);
    }
    window.count += 1;
    return window.count <= this.#max;
  }

  /** Seconds until `key`'s window ends (at least 1). */
  retryAfterSeconds(key: string): number {
    const window = this.#windows.get(key);
    return Math.max(1, Math.ceil(((window?.resetAt ?? 0) - this.#now()) / 1000));
  }
}

/**
 * At most `max` attempts per `windowMs`.
 *
 * @example
 * ```ts
 * const perToken: RateLimit = { max: 10, windowMs: 15 * 60_000 };
 * ```
 */
export interface RateLimit {
  readonly max: number;
  readonly windowMs: number;
}
