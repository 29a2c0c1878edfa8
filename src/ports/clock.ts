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
}
