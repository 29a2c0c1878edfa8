import type { Clock } from '../../ports/clock.js';

/**
 * The real wall clock.
 *
 * @example
 * ```ts
 * new ApiAccountManager({ ...ports, clock: systemClock() });
 * ```
 */
export function systemClock(): Clock {
  return { now: () => new Date() };
}
