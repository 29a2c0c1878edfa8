import type { Principal } from '../principal.js';
import { type Result, ResultAsync } from '../result.js';
import type { VerificationProbe } from '../telemetry/telemetry.js';
import type { VerificationContext } from './context.js';
import type { CachedVerdict } from './verdict.js';

/**
 * The shape both verifications share: the verdict for `key` from the
 * verification cache when it holds a live one, otherwise loaded from the store
 * and cached (unless an invalidation came in while loading); then the
 * decision. Everything after the load is synchronous, in one step.
 */
export function cachedVerification<Loaded, LoadError, DecideError>(
  ctx: VerificationContext,
  steps: {
    /** The cache key: a key digest, or `signer:<username key>`. */
    readonly key: string;
    /** The clock in ms; `NaN` bypasses the cache. */
    readonly now: number;
    readonly load: () => ResultAsync<Loaded, LoadError>;
    readonly toVerdict: (loaded: Loaded) => CachedVerdict;
    /** Synchronous unless a rate limit or quota applies, which costs a counter call. */
    readonly decide: (
      verdict: CachedVerdict,
    ) => Result<Principal, DecideError> | ResultAsync<Principal, DecideError>;
  },
  /** Told whether the cache answered, for the verification's span. */
  probe?: VerificationProbe,
): ResultAsync<Principal, LoadError | DecideError> {
  const { cache } = ctx;
  const { key, now, load, toVerdict, decide } = steps;
  const usable = cache?.enabled === true && !Number.isNaN(now);
  const cached = usable ? cache.lookup(key, now) : undefined;
  if (probe) probe.cache = cached ? 'hit' : 'miss';
  if (cached) {
    const decided = decide(cached);
    return decided instanceof ResultAsync ? decided : new ResultAsync(Promise.resolve(decided));
  }
  const generation = cache?.generation ?? 0;
  const remembered = (loaded: Loaded) => {
    const verdict = toVerdict(loaded);
    if (usable) cache.remember(key, verdict, now, generation);
    return verdict;
  };
  return load().andThen((loaded) => decide(remembered(loaded)));
}
