import { errors, type InternalError } from './errors.js';
import { err, ResultAsync } from './result.js';

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
