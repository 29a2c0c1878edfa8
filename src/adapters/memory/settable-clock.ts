import type { Clock } from '../../ports/clock.js';

/**
 * A {@link Clock} that stands still until moved, for testing expiry and time
 * windows without waiting.
 *
 * @example
 * ```ts
 * const clock = settableClock(new Date('2026-01-01T00:00:00Z'));
 * clock.advance(24 * 60 * 60 * 1000); // a day later
 * ```
 */
export interface SettableClock extends Clock {
  /** Moves the clock forward by `ms` milliseconds (backwards when negative). */
  advance(ms: number): void;
  /** Sets the clock to `date`. */
  set(date: Date): void;
}

/**
 * Creates a {@link SettableClock} starting at `start` (default: the real current time).
 *
 * @example
 * ```ts
 * const clock = settableClock();
 * clock.set(new Date('2030-01-01T00:00:00Z'));
 * ```
 */
export function settableClock(start: Date = new Date()): SettableClock {
  let current = start.getTime();
  return {
    now: () => new Date(current),
    advance(ms) {
      current += ms;
    },
    set(date) {
      current = date.getTime();
    },
  };
}
