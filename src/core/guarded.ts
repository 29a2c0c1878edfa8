import { errors, type InternalError } from './errors.js';
import { err, errAsync, type Result, ResultAsync } from './result.js';

/**
 * Runs an operation so that a defect escaping its typed paths (a synchronous
 * throw, or a rejected promise) becomes an `InternalError` result. This is what
 * lets every public method promise never to throw or reject.
 */
export function guarded<T, E>(run: () => ResultAsync<T, E>): ResultAsync<T, E | InternalError> {
  try {
    // Promise.resolve of the native promise `then` returns is that promise: no extra step.
    return new ResultAsync(
      Promise.resolve(
        run().then(
          (result): Result<T, E | InternalError> => result,
          (cause: unknown) => err<T, E | InternalError>(errors.internalError(cause)),
        ),
      ),
    );
  } catch (cause) {
    return errAsync(errors.internalError(cause));
  }
}
