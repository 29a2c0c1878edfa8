import type { InternalError } from '../errors.js';
import { defectSafe } from '../guarded.js';
import type { Principal } from '../principal.js';
import { type Result, ResultAsync } from '../result.js';
import type { CachedVerdict } from '../verify-cache.js';
import type { OperationContext } from './context.js';

/**
 * The shape both verifications share: answer from the verification cache when
 * it holds a live verdict for `key`, otherwise load from the store, turn what
 * was loaded into a verdict, cache it (unless an invalidation came in between),
 * and decide. Everything after the load happens in one step, so the hot path
 * pays one promise hop for it.
 *
 * @example
 * ```ts
 * cachedVerification(ctx, {
 *   key: digest, now: ctx.ports.nowMs(),
 *   load: (next) => ctx.ports.findKeyHolderThen(digest, next),
 *   toVerdict: (holder) => verdictOf(holder, digest),
 *   decide: answer,
 * });
 * ```
 */
export function cachedVerification<Loaded, LoadError, DecideError>(
  ctx: OperationContext,
  steps: {
    /** The cache key: a key digest, or `signer:<username key>`. */
    readonly key: string;
    /** The clock in ms; `NaN` bypasses the cache. */
    readonly now: number;
    /**
     * Loads from the store and runs `next` on what was loaded; given `next` so
     * that a store call can run it in its own promise step (one hop less).
     */
    readonly load: <R, F>(next: (loaded: Loaded) => Result<R, F>) => ResultAsync<R, LoadError | F>;
    readonly toVerdict: (loaded: Loaded) => CachedVerdict;
    readonly decide: (verdict: CachedVerdict) => Result<Principal, DecideError>;
  },
): ResultAsync<Principal, LoadError | DecideError | InternalError> {
  const { cache } = ctx;
  const { key, now, load, toVerdict, decide } = steps;
  const usable = cache?.enabled === true && !Number.isNaN(now);
  const cached = usable ? cache.lookup(key, now) : undefined;
  if (cached) return new ResultAsync(Promise.resolve(decide(cached)));
  const generation = cache?.generation ?? 0;
  return load(
    defectSafe((loaded: Loaded) => {
      const verdict = toVerdict(loaded);
      if (usable) cache.remember(key, verdict, now, generation);
      return decide(verdict);
    }),
  );
}
