/**
 * A fact this package keeps about a request object, on the object itself:
 * a non-enumerable property under a symbol of this module, so it goes with
 * the request, a copy or a print of the request leaves it out, and nothing
 * a client sends can set it. A property rather than a `WeakMap` entry,
 * which cost 0.5–0.8 µs more a request (its set and get, and twice the
 * collector's time: docs/performance.md). A frozen request takes no mark:
 * it reads as unmarked.
 */
export interface RequestMark<T> {
  /** Marks `request` with `value`, once; a later mark of the same request is ignored. */
  readonly set: (request: object, value: T) => void;
  /** The value `request` was marked with, if any. */
  readonly get: (request: object) => T | undefined;
}

/** A new kind of mark, named for debugging only. */
export function requestMark<T>(name: string): RequestMark<T> {
  const key = Symbol(name);
  return {
    set: (request, value) => void Reflect.defineProperty(request, key, { value }),
    get: (request) => (request as { readonly [key]?: T })[key],
  };
}
