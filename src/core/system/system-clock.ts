import type { Clock } from '../../ports/clock.js';

/**
 * The real wall clock.
 */
export function systemClock(): Clock {
  return { now: () => new Date() };
}
