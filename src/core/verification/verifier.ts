import type { Clock } from '../../ports/clock.js';
import { inMemoryQuotaCounter } from '../access/in-memory-quota-counter.js';
import { inMemoryRateLimiter } from '../access/in-memory-rate-limiter.js';
import { errors, type InternalError } from '../errors.js';
import { isRecord } from '../is-record.js';
import { logTo } from '../logging/log-to.js';
import type { Log } from '../logging/logger.js';
import { RefusalDigest } from '../logging/refusal-digest.js';
import { watchOutcome } from '../logging/watch-outcome.js';
import {
  resolveVerificationConfig,
  type VerificationConfig,
  type VerifierOptions,
} from '../options.js';
import { wrapVerificationPorts } from '../port-calls.js';
import type { Principal } from '../principal.js';
import { err, errAsync, type Result, ResultAsync } from '../result.js';
import { systemClock } from '../system/system-clock.js';
import {
  type Observer,
  resolveTelemetry,
  type Settled,
  type Telemetry,
  type VerificationProbe,
} from '../telemetry/telemetry.js';
import { isTenant } from '../tenant.js';
import { UsageCounter } from '../usage/usage-counter.js';
import { type VerifyApiKeyError, type VerifyOptions, verifyApiKey } from './bearer.js';
import type { VerificationContext } from './context.js';
import { keepCacheFresh } from './keep-cache-fresh.js';
import {
  type SignedRequest,
  type VerifySignedRequestError,
  verifySignedRequest,
} from './signed.js';
import { VerificationCache } from './verdict-cache.js';

/** How often refused verifications are summed up in the log: once a minute. */
const REFUSAL_DIGEST_MS = 60_000;

/**
 * What verifies keys and signed requests: a verifier from
 * {@link createVerifier}, or an `ApiAccountManager` (which composes one).
 * Every middleware shim takes either.
 *
 * @example
 * ```ts
 * const gate: Verifier = createVerifier({ store });
 * ```
 */
export interface Verifier {
  /** As `ApiAccountManager.verifyApiKey`. */
  verifyApiKey(key: string, options?: VerifyOptions): ResultAsync<Principal, VerifyApiKeyError>;
  /** As `ApiAccountManager.verifySignedRequest`. */
  verifySignedRequest(request: SignedRequest): ResultAsync<Principal, VerifySignedRequestError>;
  /** As `ApiAccountManager.flushUsage`. */
  flushUsage(): ResultAsync<void, never>;
  /** As `ApiAccountManager.close`. */
  close(): ResultAsync<void, never>;
}

/**
 * A verifier and what it is made of, for a manager that composes one: its
 * context (the manager's operations share its cache and usage counter), its
 * log, and the guard every public method runs in.
 */
export interface Verification {
  readonly verifier: Verifier;
  readonly ctx: VerificationContext;
  readonly log: Log | null;
  /** Where spans and metrics go; `null` when telemetry is off. */
  readonly telemetry: Telemetry | null;
  /**
   * Runs a public method: a defect escaping its typed paths becomes
   * `InternalError`, and the outcome is traced and logged.
   */
  run<T, E extends { readonly type: string }>(
    method: string,
    operation: () => ResultAsync<T, E>,
  ): ResultAsync<T, E | InternalError>;
}

/**
 * Builds verification from its options: the store's calls wrapped once, the
 * verdict cache kept fresh from the store's change feed and bus, usage
 * counted in memory, refusals logged. `config` is the options already
 * resolved (a manager resolves them with its own).
 */
export function buildVerification(
  options: VerifierOptions,
  config: VerificationConfig = resolveVerificationConfig(options),
): Verification {
  const log = logTo(options.logger, options.logLevel);
  const telemetry = resolveTelemetry(options.telemetry);
  const refusals = log ? new RefusalDigest(log, REFUSAL_DIGEST_MS) : null;
  const cache = config.verifyCache ? new VerificationCache(config.verifyCache) : null;
  // Production defaults: the real clock, and rate limits counted in this process on it.
  const clock = options.clock ?? systemClock();
  const now = clockMs(clock);
  const stopCacheSync = cache
    ? keepCacheFresh(
        cache,
        options.store,
        config.invalidations,
        config.verifyCache?.singleInstance === true,
        log,
        telemetry && ((changedAt) => telemetry.invalidated((now() - changedAt.getTime()) / 1000)),
      )
    : async () => undefined;
  const usage =
    config.usage === false
      ? null
      : new UsageCounter((counts) => options.store.recordUsage(counts), config.usage, log);
  const ctx: VerificationContext = {
    ports: wrapVerificationPorts({
      store: options.store,
      clock,
      sealer: options.sealer,
      rateLimiter: options.rateLimiter ?? inMemoryRateLimiter({ now }),
      quotaCounter: options.quotaCounter ?? inMemoryQuotaCounter(),
    }),
    config,
    cache,
    usage,
  };
  const run: Verification['run'] = (method, operation) =>
    watchOutcome(log, method, guarded(operation, telemetry?.operation(method)), refusals);
  // A verification's own span and metrics, with what the cache said; without telemetry, no probe.
  const verify = <E extends { readonly type: string }>(
    method: string,
    scheme: Principal['scheme'],
    /** The options or request, whose `tenant` the span names. */
    given: unknown,
    operation: (probe?: VerificationProbe) => ResultAsync<Principal, E>,
  ) => {
    if (!telemetry) return watchOutcome(log, method, guarded(operation), refusals);
    const { probe, done } = telemetry.verification(scheme, tenantNamed(given));
    return watchOutcome(
      log,
      method,
      guarded(() => operation(probe), done),
      refusals,
    );
  };
  const verifier: Verifier = {
    verifyApiKey: (key, verifyOptions) =>
      verify('verifyApiKey', 'bearer', verifyOptions, (probe) =>
        verifyApiKey(ctx, key, verifyOptions, probe),
      ),
    verifySignedRequest: (request) =>
      verify('verifySignedRequest', 'SpektrixAPI3', request, (probe) =>
        verifySignedRequest(ctx, request, probe),
      ),
    flushUsage: () => ResultAsync.fromSafePromise(usage?.flush() ?? Promise.resolve()),
    close: () =>
      ResultAsync.fromSafePromise(
        Promise.all([stopCacheSync(), usage?.close()]).then(() => refusals?.close()),
      ),
  };
  return { verifier, ctx, log, telemetry, run };
}

/**
 * A verification-only service for gateways and partner-facing APIs: bearer
 * keys and signed requests, with the verification cache, usage counting and
 * key lifecycle of a full manager, the same access policy (give it the
 * manager's `scopes`, so accounts whose scopes were never set hold them all,
 * and `rateLimit` and a shared `rateLimiter`), and no SMS, email or directory
 * wiring. Account changes made elsewhere reach it through the store's
 * invalidations, as they reach any manager.
 *
 * @example
 * ```ts
 * import { createVerifier } from 'api-accounts';
 * import { honoAuth } from 'api-accounts/middleware';
 *
 * const verifier = createVerifier({ store: postgresStore(pool), sealer, verifyCache: { ttlMs: 60_000 } });
 * app.use('/api/*', honoAuth(verifier));
 * ```
 */
export function createVerifier(options: VerifierOptions): Verifier {
  return buildVerification(options).verifier;
}

/** The tenant a verification's options or request name, read without trusting them. */
function tenantNamed(given: unknown): string | undefined {
  try {
    const tenant = isRecord(given) ? given['tenant'] : undefined;
    return typeof tenant === 'string' && isTenant(tenant) ? tenant : undefined;
  } catch {
    return undefined;
  }
}

/** The clock in ms for the default rate limiter and quota counter, and the lag metric; real time when the clock port fails. */
function clockMs(clock: Clock): () => number {
  return () => {
    try {
      const ms = clock.now().getTime();
      return Number.isFinite(ms) ? ms : Date.now();
    } catch {
      return Date.now();
    }
  };
}

/**
 * Runs an operation so that a defect escaping its typed paths (a synchronous
 * throw, or a rejected promise) becomes an `InternalError` result. This is what
 * lets every public method promise never to throw or reject. `settled`, when
 * given, is told the result in the same step (telemetry's observer).
 */
export function guarded<T, E>(
  run: () => ResultAsync<T, E>,
  settled?: Observer | null,
): ResultAsync<T, E | InternalError> {
  try {
    // Promise.resolve of the native promise `then` returns is that promise: no extra step.
    return new ResultAsync(
      Promise.resolve(
        run().then(
          (result): Result<T, E | InternalError> => {
            settled?.(result as Settled);
            return result;
          },
          (cause: unknown) => {
            const failed = err<T, E | InternalError>(errors.internalError(cause));
            settled?.(failed as Settled);
            return failed;
          },
        ),
      ),
    );
  } catch (cause) {
    const failed = errAsync<T, E | InternalError>(errors.internalError(cause));
    settled?.(err(errors.internalError(cause)) as Settled);
    return failed;
  }
}
