/**
 * `JSON.stringify` writes an `Error` as `{}`: a `StoreUnavailable` logged or
 * sent as JSON lost its reason. Errors that carry a cause therefore get a
 * non-enumerable `toJSON` writing the cause as plain data (name, message,
 * code, and its own cause, three levels deep), while `cause` itself stays
 * the original object for `instanceof` and stack traces.
 */
export function withSerialisableCause<T extends { readonly cause: unknown }>(error: T): T {
  Object.defineProperty(error, 'toJSON', {
    value(this: T) {
      return { ...this, cause: describeCause(this.cause, 0) };
    },
    enumerable: false,
  });
  return error;
}

/** Plain data for a cause: an error's name, message, code and cause; anything else as is when JSON can hold it. */
export function describeCause(cause: unknown, depth: number): unknown {
  if (cause === null || typeof cause !== 'object') {
    return typeof cause === 'bigint' || typeof cause === 'symbol' || typeof cause === 'function'
      ? String(cause)
      : cause;
  }
  if (depth >= 3) return '[cause]';
  try {
    const { name, message, code } = cause as { name?: unknown; message?: unknown; code?: unknown };
    const inner = (cause as { cause?: unknown }).cause;
    if (cause instanceof Error || typeof message === 'string') {
      return {
        name: typeof name === 'string' ? name : 'Error',
        message: typeof message === 'string' ? message : '',
        ...(typeof code === 'string' || typeof code === 'number' ? { code } : {}),
        ...(inner === undefined ? {} : { cause: describeCause(inner, depth + 1) }),
      };
    }
    return JSON.parse(JSON.stringify(cause)) as unknown;
  } catch {
    // A getter that throws, or a cycle: say what it was, not what it holds.
    return '[unserialisable cause]';
  }
}
