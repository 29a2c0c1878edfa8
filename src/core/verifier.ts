import { ApiAccountManager } from './manager.js';
import type { VerifyApiKeyError, VerifyOptions } from './operations/verify-api-key.js';
import {
  PREPARE_SIGNED_REQUEST,
  type SignedRequest,
  type VerifySignedRequestError,
} from './operations/verify-signed-request.js';
import type { ApiAccountManagerOptions } from './options.js';
import type { Principal } from './principal.js';
import type { ResultAsync } from './result.js';

/**
 * What verifies keys and signed requests: a manager, or a verifier from
 * {@link createVerifier}. Every middleware shim takes either.
 *
 * @example
 * ```ts
 * const gate: Verifier = createVerifier({ store });
 * ```
 */
export interface Verifier {
  /** As {@link ApiAccountManager.verifyApiKey}. */
  verifyApiKey(key: string, options?: VerifyOptions): ResultAsync<Principal, VerifyApiKeyError>;
  /** As {@link ApiAccountManager.verifySignedRequest}. */
  verifySignedRequest(request: SignedRequest): ResultAsync<Principal, VerifySignedRequestError>;
  /** As {@link ApiAccountManager.flushUsage}. */
  flushUsage(): ResultAsync<void, never>;
  /** As {@link ApiAccountManager.close}. */
  close(): ResultAsync<void, never>;
  /**
   * The middleware's way in (see the manager's).
   *
   * @internal
   */
  [PREPARE_SIGNED_REQUEST]: ApiAccountManager[typeof PREPARE_SIGNED_REQUEST];
}

/**
 * Options of {@link createVerifier}: what verification needs, and nothing
 * about claims, senders or the user directory.
 *
 * @example
 * ```ts
 * const options: VerifierOptions = { store, sealer, verifyCache: { ttlMs: 60_000 } };
 * ```
 */
export type VerifierOptions = Pick<
  ApiAccountManagerOptions,
  | 'store'
  | 'clock'
  | 'sealer'
  | 'verifyCache'
  | 'invalidations'
  | 'signedRequests'
  | 'keyLifetime'
  | 'usage'
  | 'logger'
  | 'logLevel'
  | 'scopes'
  | 'rateLimit'
  | 'rateLimiter'
>;

/** Verification never sends, asks the directory or builds claim links: these are never called. */
const unreachable = async (): Promise<never> => {
  throw new Error('not available in a verifier');
};
const notForVerifiers = { send: unreachable };

/**
 * A verification-only service for gateways and partner-facing APIs: bearer
 * keys and signed requests, with the verification cache, usage counting and
 * key lifecycle of a full manager, the same access policy (give it the
 * manager's `scopes`, so accounts whose scopes were never set hold them all,
 * and `rateLimit` and a shared `rateLimiter`), and no SMS, email or directory
 * wiring.
 * Account changes made elsewhere reach it through the store's invalidations,
 * as they reach any manager.
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
  const manager = new ApiAccountManager({
    ...options,
    sms: notForVerifiers,
    email: notForVerifiers,
    directory: { isEmailTaken: unreachable },
    claimUrl: () => {
      throw new Error('not available in a verifier');
    },
  });
  // Only verification is reachable: the manager's administrative methods stay inside.
  return {
    verifyApiKey: (key, verifyOptions) => manager.verifyApiKey(key, verifyOptions),
    verifySignedRequest: (request) => manager.verifySignedRequest(request),
    [PREPARE_SIGNED_REQUEST]: (request) => manager[PREPARE_SIGNED_REQUEST](request),
    flushUsage: () => manager.flushUsage(),
    close: () => manager.close(),
  };
}
