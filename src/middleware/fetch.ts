import type { ApiAccountManager } from '../core/manager.js';
import type { Principal } from '../core/principal.js';
import {
  type AuthenticateOptions,
  type AuthenticationError,
  authenticate,
} from './authenticate.js';
import { attemptedScheme, type Refusal, refusalFor, refusalResponse } from './refusal.js';

/**
 * Options shared by every middleware: how credentials are read, the realm of
 * the challenge, and where refusals are reported for the host's logs.
 *
 * @example
 * ```ts
 * const options: MiddlewareOptions = { onRefused: ({ error }) => log.warn({ type: error.type, reason: 'reason' in error ? error.reason : undefined }) };
 * ```
 */
export interface MiddlewareOptions extends AuthenticateOptions {
  /** The `realm` of `WWW-Authenticate` challenges. Default `api`. */
  readonly realm?: string;
  /**
   * Told of every refusal with its precise error (reasons such as
   * `unknown_user` or `stale_date` that the client is not told). Errors never
   * hold a key, code or token.
   */
  readonly onRefused?: (refusal: {
    readonly error: AuthenticationError;
    readonly response: Refusal;
  }) => void;
}

/**
 * Decides the answer to a failed authentication and reports it to
 * `onRefused`; every shim sends what this returns.
 *
 * @example
 * ```ts
 * const refusal = refuse(result.error, request.headers, options);
 * ```
 */
export function refuse(
  error: AuthenticationError,
  headers: Parameters<typeof attemptedScheme>[0],
  options: MiddlewareOptions,
): Refusal {
  const response = refusalFor(error, attemptedScheme(headers, options.apiKeyHeader), options.realm);
  try {
    options.onRefused?.({ error, response });
  } catch {
    // A failing logger must not turn a 401 into a crash.
  }
  return response;
}

/**
 * Protects a Fetch-style handler (`Request → Response`): only requests with a
 * valid API key or signature reach it, with their `Principal`; others get a
 * 401 (or 413, or 503) with a `WWW-Authenticate` challenge.
 *
 * @example
 * ```ts
 * import { fetchAuth } from 'api-accounts/middleware';
 *
 * const handler = fetchAuth(manager, async (request, principal) =>
 *   Response.json({ hello: principal.username }),
 * );
 * // Bun.serve({ fetch: handler }), Deno.serve(handler), or any Fetch-based server
 * ```
 */
export function fetchAuth(
  manager: ApiAccountManager,
  handler: (request: Request, principal: Principal) => Response | Promise<Response>,
  options: MiddlewareOptions = {},
): (request: Request) => Promise<Response> {
  return async function apiAccountsFetchAuth(request) {
    const result = await authenticate(manager, request, options);
    if (result.isErr()) return refusalResponse(refuse(result.error, request.headers, options));
    return handler(request, result.value);
  };
}
