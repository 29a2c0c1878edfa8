import { DeliveryError, type SendOptions } from '../../ports/delivery.js';
import { type DeliveryFailed, errors } from '../errors.js';
import { err, ok, type Result, ResultAsync } from '../result.js';
import { backoffDelay, type RetryPolicy } from './retry-policy.js';

/** One sender method as the core calls it. */
type Send<M> = (message: M, options: SendOptions) => PromiseLike<void>;

/**
 * Wraps a sender so that each message is tried under `policy`: every try has
 * a timeout (the sender's `signal` aborts when it passes), failures a sender
 * marks retryable are tried again after a jittered, growing wait, and the
 * whole stays inside `policy.totalMs`. Anything else fails at once. The answer
 * is how many tries it took, or `DeliveryFailed` with the last reason.
 */
export function sendWithRetry<M>(
  channel: DeliveryFailed['channel'],
  send: Send<M>,
  policy: RetryPolicy,
): (message: M) => ResultAsync<number, DeliveryFailed> {
  return (message) =>
    new ResultAsync(
      deliver(channel, send, message, policy).catch((cause: unknown) =>
        // Only a throwing timer or random source gets here; report, never reject.
        err(errors.deliveryFailed(channel, cause, 1)),
      ),
    );
}

async function deliver<M>(
  channel: DeliveryFailed['channel'],
  send: Send<M>,
  message: M,
  policy: RetryPolicy,
): Promise<Result<number, DeliveryFailed>> {
  const started = policy.timer.now();
  let timeoutMs = policy.timeoutMs;
  for (let attempt = 1; ; attempt++) {
    const cause = await tryOnce(channel, send, message, timeoutMs);
    if (cause === undefined) return ok(attempt);
    const retryable = cause instanceof DeliveryError && cause.retryable;
    if (!retryable || attempt >= policy.attempts) {
      return err(errors.deliveryFailed(channel, cause, attempt));
    }
    const delay = backoffDelay(policy, attempt + 1, cause.retryAfterMs);
    const left = policy.totalMs - (policy.timer.now() - started) - delay;
    if (left <= 0) return err(errors.deliveryFailed(channel, cause, attempt));
    await policy.timer.sleep(delay);
    timeoutMs = Math.min(policy.timeoutMs, left);
  }
}

/** One try: `undefined` when the sender resolved, otherwise why it did not. */
async function tryOnce<M>(
  channel: DeliveryFailed['channel'],
  send: Send<M>,
  message: M,
  timeoutMs: number,
): Promise<unknown> {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = new Promise<unknown>((resolve) => {
    timer = setTimeout(() => {
      const cause = new DeliveryError({
        reason: 'timeout',
        retryable: true,
        provider: channel,
        detail: `no answer within ${timeoutMs} ms`,
      });
      controller.abort(cause);
      resolve(cause);
    }, timeoutMs);
  });
  try {
    const sent = Promise.resolve()
      .then(() => send(message, { signal: controller.signal }))
      .then(
        () => undefined,
        (cause: unknown) => cause ?? new Error('the sender rejected without a reason'),
      );
    // A sender still running after its timeout settles later, unobserved: the
    // race has already attached its handlers, so nothing goes unhandled.
    return await Promise.race([sent, timedOut]);
  } finally {
    clearTimeout(timer);
  }
}
