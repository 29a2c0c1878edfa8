import type { Principal } from '../core/principal.js';
import type { Verifier } from '../core/verification/verifier.js';
import { authenticate, checkMiddlewareOptions } from './authenticate.js';
import { withPrincipalHeaders } from './principal-headers.js';
import { type MiddlewareOptions, refusalFor, refusalResponse } from './refusal.js';

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
  manager: Verifier,
  handler: (request: Request, principal: Principal) => Response | Promise<Response>,
  options: MiddlewareOptions = {},
): (request: Request) => Promise<Response> {
  checkMiddlewareOptions(options);
  return async function apiAccountsFetchAuth(request) {
    const result = await authenticate(manager, request, options);
    if (result.isErr()) return refusalResponse(refusalFor(result.error, request.headers, options));
    return withPrincipalHeaders(await handler(request, result.value), result.value);
  };
}
