import { errors, type InternalError } from './errors.js';
import { err, type Result, ResultAsync } from './result.js';

/**
 * Runs an operation so that a defect escaping its typed paths (a synchronous
 * throw, or a rejected promise) becomes an `InternalError` result. This is what
 * lets every public method promise never to throw or reject.
 *
 * @example
 * ```ts
 * guarded(() => createAccount(ctx, actor, input)); // ResultAsync<…, CreateAccountError | InternalError>
 * ```
 */
export function guarded<T, E>(run: () => ResultAsync<T, E>): ResultAsync<T, E | InternalError> {
  const defect = (cause: unknown) => err<T, E | InternalError>(errors.internalError(cause));
  let running: ResultAsync<T, E>;
  try {
    running = run();
  } catch (cause) {
    return new ResultAsync(Promise.resolve(defect(cause)));
  }
  // One `then` on the operation's own promise: verification runs through here on every request.
  return new ResultAsync(Promise.resolve(running.then((result) => result, defect)));
}

/**
 * For the verification hot path: catches a synchronous throw only, for
 * operations whose asynchronous steps are each made defect-safe with
 * {@link defectSafe} (so their promise cannot reject). Saves the extra promise
 * hop of {@link guarded} on every request.
 *
 * @example
 * ```ts
 * guardedSync(() => verifyApiKey(ctx, key));
 * ```
 */
export function guardedSync<T, E>(run: () => ResultAsync<T, E>): ResultAsync<T, E | InternalError> {
  try {
    return run();
  } catch (cause) {
    return new ResultAsync(Promise.resolve(err<T, E | InternalError>(errors.internalError(cause))));
  }
}

/**
 * Wraps a step of a `ResultAsync` chain (an `andThen` callback) so that a
 * throw inside it becomes an `InternalError` result instead of rejecting the
 * chain's promise.
 *
 * @example
 * ```ts
 * lookup.andThen(defectSafe((holder) => answer(holder)));
 * ```
 */
export function defectSafe<A, T, E>(
  step: (value: A) => Result<T, E>,
): (value: A) => Result<T, E | InternalError> {
  return (value) => {
    try {
      return step(value);
    } catch (cause) {
      return err(errors.internalError(cause));
    }
  };
}
