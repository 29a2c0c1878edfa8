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
