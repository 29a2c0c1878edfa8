/**
 * The source of "now". Injected so that expiry and date windows can be tested
 * without waiting.
 *
 * Guarantee: `now()` returns a valid `Date` (not `Invalid Date`) and does not
 * throw; the manager reports a clock that breaks this as a `PortFailed` error.
 *
 * @example
 * ```ts
 * const systemClock: Clock = { now: () => new Date() };
 * ```
 */
export interface Clock {
  /** The current instant, as a valid `Date`. */
  now(): Date;
  /**
   * Optional: the same instant in milliseconds since the epoch, without
   * allocating a `Date`. The verification cache reads it on every request when
   * present; clocks without it work the same, a little slower.
   */
  nowMs?(): number;
}
