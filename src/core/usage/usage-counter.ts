import type { UsageCount, UsageDay } from '../../ports/account-store.js';
import type { Log } from '../logging/logger.js';

/**
 * How verification usage is counted.
 *
 * @example
 * ```ts
 * const usage: UsageOptions = { flushIntervalMs: 30_000, maxAccounts: 50_000 };
 * ```
 */
export interface UsageOptions {
  /** How often counts are written to the store, at most once per account each time. Default 60 s. */
  readonly flushIntervalMs?: number;
  /** Most accounts counted between flushes; past it, a flush starts at once and new accounts wait for it. Default 100,000. */
  readonly maxAccounts?: number;
}

/** Default interval between usage flushes: 60 seconds. */
export const DEFAULT_USAGE_FLUSH_MS = 60_000;
const DEFAULT_MAX_ACCOUNTS = 100_000;
const DAY_MS = 86_400_000;

/** A time's UTC day, `YYYY-MM-DD`: the unit usage is counted and read in. */
export function utcDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

interface Pending {
  readonly days: Map<string, { accepted: number; refused: number }>;
  lastUsedAt: number | null;
}

/**
 * Counts verifications in memory, per account and UTC day, and writes them to
 * the store in one batch per interval: no store write on the verification
 * path. A crash loses at most the counts of one interval. The flush timer runs
 * on real time and does not keep the process alive; `close()` stops it and
 * writes what is left.
 */
export class UsageCounter {
  #pending = new Map<string, Pending>();
  readonly #write: (counts: readonly UsageCount[]) => Promise<unknown>;
  readonly #maxAccounts: number;
  readonly #log: Log | null;
  readonly #timer: ReturnType<typeof setInterval>;
  #flushing: Promise<void> | null = null;
  #dropped = 0;
  /** The UTC day of the last count, kept so that most counts need no date arithmetic. */
  #day = { key: '', start: 0, end: 0 };

  constructor(
    write: (counts: readonly UsageCount[]) => Promise<unknown>,
    options: UsageOptions,
    log: Log | null,
  ) {
    this.#write = write;
    this.#maxAccounts = options.maxAccounts ?? DEFAULT_MAX_ACCOUNTS;
    this.#log = log;
    this.#timer = setInterval(
      () => void this.flush(),
      options.flushIntervalMs ?? DEFAULT_USAGE_FLUSH_MS,
    );
    this.#timer.unref?.();
  }

  /** Counts one verification of a known key of `accountId` at `atMs` (domain time). */
  count(accountId: string, atMs: number, accepted: boolean): void {
    if (!Number.isFinite(atMs)) return;
    let pending = this.#pending.get(accountId);
    if (!pending) {
      if (this.#pending.size >= this.#maxAccounts) {
        this.#dropped += 1;
        void this.flush();
        return;
      }
      pending = { days: new Map(), lastUsedAt: null };
      this.#pending.set(accountId, pending);
    }
    const day = this.#dayOf(atMs);
    const total = pending.days.get(day);
    if (total) {
      if (accepted) total.accepted += 1;
      else total.refused += 1;
    } else {
      pending.days.set(day, { accepted: accepted ? 1 : 0, refused: accepted ? 0 : 1 });
    }
    if (accepted && (pending.lastUsedAt === null || atMs > pending.lastUsedAt)) {
      pending.lastUsedAt = atMs;
    }
  }

  /** Days counted for one account and not yet written, so reads can include them. */
  pendingFor(accountId: string): UsageDay[] {
    const pending = this.#pending.get(accountId);
    return pending ? [...pending.days].map(([day, total]) => ({ day, ...total })) : [];
  }

  /**
   * Writes the counts so far in one batch. Flushes never overlap: a call
   * during one waits for it and then writes what came in meanwhile. Counts a
   * failed write could not store are kept for the next flush (bounded as
   * ever) and the failure is logged; this never rejects.
   */
  async flush(): Promise<void> {
    while (this.#flushing) await this.#flushing;
    if (this.#pending.size === 0) return;
    const batch = this.#pending;
    this.#pending = new Map();
    this.#flushing = this.#writeBatch(batch).finally(() => {
      this.#flushing = null;
    });
    await this.#flushing;
  }

  /** Stops the timer and writes what is left. */
  async close(): Promise<void> {
    clearInterval(this.#timer);
    await this.flush();
  }

  async #writeBatch(batch: Map<string, Pending>): Promise<void> {
    const counts: UsageCount[] = [];
    for (const [accountId, pending] of batch) {
      for (const [day, total] of pending.days) {
        counts.push({
          accountId,
          day,
          ...total,
          lastUsedAt: pending.lastUsedAt === null ? null : new Date(pending.lastUsedAt),
        });
      }
    }
    try {
      await this.#write(counts);
    } catch (cause) {
      this.#log?.(
        'warn',
        'api-accounts could not write usage counts; keeping them for the next flush',
        {
          accounts: batch.size,
          error: cause,
        },
      );
      this.#restore(batch);
    }
    if (this.#dropped > 0) {
      this.#log?.(
        'warn',
        'api-accounts dropped usage counts: more accounts than usage.maxAccounts between flushes',
        {
          dropped: this.#dropped,
        },
      );
      this.#dropped = 0;
    }
  }

  #restore(batch: Map<string, Pending>): void {
    for (const [accountId, old] of batch) {
      const current = this.#pending.get(accountId);
      if (!current) {
        if (this.#pending.size >= this.#maxAccounts) continue;
        this.#pending.set(accountId, old);
        continue;
      }
      for (const [day, total] of old.days) {
        const now = current.days.get(day);
        current.days.set(day, {
          accepted: total.accepted + (now?.accepted ?? 0),
          refused: total.refused + (now?.refused ?? 0),
        });
      }
      if (
        old.lastUsedAt !== null &&
        (current.lastUsedAt === null || old.lastUsedAt > current.lastUsedAt)
      ) {
        current.lastUsedAt = old.lastUsedAt;
      }
    }
  }

  #dayOf(atMs: number): string {
    const day = this.#day;
    if (atMs >= day.start && atMs < day.end) return day.key;
    const start = Math.floor(atMs / DAY_MS) * DAY_MS;
    this.#day = { key: utcDay(new Date(start)), start, end: start + DAY_MS };
    return this.#day.key;
  }
}
