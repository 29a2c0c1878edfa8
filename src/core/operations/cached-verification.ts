import type { Principal } from '../principal.js';
import { okAsync, type Result, type ResultAsync } from '../result.js';
import type { CachedVerdict } from '../verification-cache.js';
import type { OperationContext } from './operation-context.js';

/**
 * The shape both verifications share: the verdict for `key` from the
 * verification cache when it holds a live one, otherwise loaded from the store
 * and cached (unless an invalidation came in while loading); then the
 * decision.
 */
export function cachedVerification<LoadError, DecideError>(
  ctx: OperationContext,
  steps: {
    /** The cache key: a key digest, or `signer:<username key>`. */
    readonly key: string;
    /** The clock in ms; `NaN` bypasses the cache. */
    readonly now: number;
    readonly load: () => ResultAsync<CachedVerdict, LoadError>;
    readonly decide: (verdict: CachedVerdict) => Result<Principal, DecideError>;
  },
): ResultAsync<Principal, LoadError | DecideError> {
  const { cache } = ctx;
  const { key, now, load, decide } = steps;
  const usable = cache?.enabled === true && !Number.isNaN(now);
  const cached = usable ? cache.lookup(key, now) : undefined;
  if (cached) return okAsync<CachedVerdict, LoadError>(cached).andThen(decide);
  const generation = cache?.generation ?? 0;
  return load()
    .map((verdict) => {
      if (usable) cache.remember(key, verdict, now, generation);
      return verdict;
    })
    .andThen(decide);
}
