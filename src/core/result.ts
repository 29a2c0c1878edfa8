/**
 * The one place the core imports neverthrow, so that the result library could be
 * swapped without touching every module.
 *
 * @module
 */
import { err, errAsync, ok, type Result, ResultAsync } from 'neverthrow';

export type { Err, Ok } from 'neverthrow';
export { err, errAsync, ok, okAsync, Result, ResultAsync, safeTry } from 'neverthrow';

/**
 * Like {@link fromPortCall}, and then `next` on the accepted answer, in the
 * same promise step: for the verification path, where one promise hop fewer
 * per request is measurable. `next` must not throw (wrap it in `defectSafe`).
 *
 * @example
 * ```ts
 * const findThen = fromPortCallThen((d: string) => store.findKeyHolder(d), storeUnavailable, isHolderOrNull);
 * findThen([digest], (holder) => decide(holder)); // ResultAsync<Principal, StoreUnavailable | …>
 * ```
 */
export function fromPortCallThen<A extends unknown[], T, E>(
  call: (...args: A) => T | PromiseLike<T>,
  toError: (cause: unknown) => E,
  accept: (value: T) => boolean = () => true,
): <R, F>(args: A, next: (value: T) => Result<R, F>) => ResultAsync<R, E | F> {
  return <R, F>(args: A, next: (value: T) => Result<R, F>) => {
    const settle = (value: T): Result<R, E | F> =>
      accept(value)
        ? next(value)
        : err(toError(new TypeError('the port answered with data of the wrong shape')));
    try {
      const answer = call(...args);
      // A port that answers at once (an in-process store, a synchronous
      // driver) is settled at once: the result's one promise is all it costs.
      if (!isThenable(answer)) return new ResultAsync(Promise.resolve(settle(answer)));
      return new ResultAsync(
        Promise.resolve(answer).then(settle, (cause: unknown) => err<R, E | F>(toError(cause))),
      );
    } catch (cause) {
      return errAsync(toError(cause));
    }
  };
}

/**
 * Whether a port answered with a promise (or any thenable) rather than a value.
 *
 * @example
 * ```ts
 * isThenable(Promise.resolve(1)); // true
 * isThenable(null); // false
 * ```
 */
export function isThenable<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

/**
 * Wraps a port method so that every failure becomes a typed error: a rejected
 * promise, a synchronous throw too (which `fromPromise(fn())` would miss), and
 * an answer that `accept` refuses.
 * The same contract as `ResultAsync.fromThrowable`; written out here because
 * neverthrow's version runs through a generator-based async helper that costs
 * about 2 µs per call, measured on the verification path (see
 * docs/performance.md), where every request passes through a port call.
 *
 * @example
 * ```ts
 * const find = fromPortCall((id: string) => store.findAccountById(id), (cause) => storeUnavailable(cause));
 * await find('acct_…'); // Ok(record | null) or Err(StoreUnavailable)
 * ```
 */
export function fromPortCall<A extends unknown[], T, E>(
  call: (...args: A) => T | PromiseLike<T>,
  toError: (cause: unknown) => E,
  accept: (value: T) => boolean = () => true,
): (...args: A) => ResultAsync<T, E> {
  const callThen = fromPortCallThen(call, toError, accept);
  return (...args) => callThen(args, (value) => ok<T, never>(value));
}
