/**
 * How long and how often the core tries to hand a claim message to a provider.
 *
 * @example
 * ```ts
 * const delivery: DeliveryOptions = { attempts: 4, timeoutMs: 5_000, totalMs: 20_000 };
 * ```
 */
export interface DeliveryOptions {
  /** Tries per message, the first included. Default 3; 1 turns retries off. */
  readonly attempts?: number;
  /** How long one try may take before it is abandoned as `timeout`. Default 10 s. */
  readonly timeoutMs?: number;
  /**
   * The most one message may take over all its tries and waits. No retry starts
   * that could not finish inside it. Default 30 s.
   */
  readonly totalMs?: number;
  /** The wait before the second try; it doubles after each try. Default 500 ms. */
  readonly baseDelayMs?: number;
  /** The longest single wait. Default 5 s. */
  readonly maxDelayMs?: number;
  /** Time and waiting, injectable for tests. Default: `performance.now` and `setTimeout`. */
  readonly timer?: DeliveryTimer;
  /** A number in [0, 1) for jitter. Default `Math.random` (jitter needs no CSPRNG). */
  readonly random?: () => number;
}

/**
 * A monotonic clock and a way to wait, so tests can run the backoff without
 * waiting for it.
 *
 * @example
 * ```ts
 * let now = 0;
 * const timer: DeliveryTimer = { now: () => now, sleep: async (ms) => { now += ms; } };
 * ```
 */
export interface DeliveryTimer {
  /** Milliseconds from any fixed origin; never goes backwards. */
  now(): number;
  /** Resolves after `ms` milliseconds. */
  sleep(ms: number): Promise<void>;
}

/** {@link DeliveryOptions} with defaults applied. */
export interface RetryPolicy {
  readonly attempts: number;
  readonly timeoutMs: number;
  readonly totalMs: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  readonly timer: DeliveryTimer;
  readonly random: () => number;
}

const realTimer: DeliveryTimer = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/**
 * Applies defaults and checks the numbers; a bad value is the host's
 * programming error and throws a `TypeError` at construction.
 */
export function resolveRetryPolicy(options: DeliveryOptions = {}): RetryPolicy {
  const policy: RetryPolicy = {
    attempts: options.attempts ?? 3,
    timeoutMs: options.timeoutMs ?? 10_000,
    totalMs: options.totalMs ?? 30_000,
    baseDelayMs: options.baseDelayMs ?? 500,
    maxDelayMs: options.maxDelayMs ?? 5_000,
    timer: options.timer ?? realTimer,
    random: options.random ?? Math.random,
  };
  for (const field of ['attempts', 'timeoutMs', 'totalMs'] as const) {
    if (!Number.isSafeInteger(policy[field]) || policy[field] < 1) {
      throw new TypeError(
        `ApiAccountManager: delivery.${field} must be a whole number of at least 1`,
      );
    }
  }
  for (const field of ['baseDelayMs', 'maxDelayMs'] as const) {
    if (!Number.isSafeInteger(policy[field]) || policy[field] < 0) {
      throw new TypeError(`ApiAccountManager: delivery.${field} must be a whole number of ms`);
    }
  }
  return policy;
}

/**
 * The wait before try number `nextAttempt` (2 for the first retry): "full
 * jitter", a random point below an exponentially growing cap, so that many
 * senders failing together do not retry in step. A provider's own
 * `Retry-After` is honoured when it is longer, up to `maxDelayMs`.
 */
export function backoffDelay(
  policy: RetryPolicy,
  nextAttempt: number,
  retryAfterMs: number | undefined,
): number {
  const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (nextAttempt - 2));
  const jittered = Math.floor(policy.random() * cap);
  const asked = retryAfterMs !== undefined && retryAfterMs > 0 ? retryAfterMs : 0;
  return Math.min(policy.maxDelayMs, Math.max(jittered, asked));
}
