import type { Log } from './logger.js';

/** Methods whose refusals come one per request, at the rate partners send them. */
const VERIFYING = new Set(['verifyApiKey', 'verifySignedRequest']);

/**
 * Refused verifications, aggregated: the first refusal of each kind in an
 * interval is logged as it happens (at debug, as every refusal is), the rest
 * are counted and summed up in one line per method when the interval ends.
 * A flood of bad keys then writes a few lines a minute, not one per request.
 * The timer runs on real time, does not keep the process alive, and
 * `close()` writes what is left.
 */
export class RefusalDigest {
  readonly #log: Log;
  readonly #intervalMs: number;
  readonly #counts = new Map<string, Map<string, number>>();
  readonly #timer: ReturnType<typeof setInterval>;

  constructor(log: Log, intervalMs: number) {
    this.#log = log;
    this.#intervalMs = intervalMs;
    this.#timer = setInterval(() => this.flush(), intervalMs);
    this.#timer.unref?.();
  }

  /** Whether this method's refusals are aggregated here. */
  covers(method: string): boolean {
    return VERIFYING.has(method);
  }

  /** Counts a refusal; answers whether it is the first of its kind this interval (log it then). */
  note(method: string, type: string): boolean {
    const byType = this.#counts.get(method) ?? new Map<string, number>();
    this.#counts.set(method, byType);
    const seen = byType.get(type) ?? 0;
    byType.set(type, seen + 1);
    return seen === 0;
  }

  /** Writes one line per method for the refusals not logged one by one, and starts a new interval. */
  flush(): void {
    for (const [method, byType] of this.#counts) {
      const more = [...byType].filter(([, count]) => count > 1);
      const total = more.reduce((sum, [, count]) => sum + count - 1, 0);
      if (total > 0) {
        const kinds = more.map(([type, count]) => `${type} ${count}`).join(', ');
        this.#log(
          'debug',
          `api-accounts ${method} refused ${total} more time(s) in the last ${Math.round(this.#intervalMs / 1000)} s (${kinds})`,
          { method, refusals: Object.fromEntries(byType) },
        );
      }
    }
    this.#counts.clear();
  }

  /** Stops the timer and writes what is left. */
  close(): void {
    clearInterval(this.#timer);
    this.flush();
  }
}
