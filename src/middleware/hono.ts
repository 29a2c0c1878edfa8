import type { Principal } from '../core/principal.js';
import type { Verifier } from '../core/verification/verifier.js';
import { clientAddress } from '../http/received-request.js';
import { authenticateRequest, checkMiddlewareOptions } from './authenticate.js';
import { principalHeaders } from './principal-headers.js';
import { type MiddlewareOptions, refusalFor, refusalResponse } from './refusal.js';

/**
 * The Hono environment the middleware provides: `c.get('principal')` is typed.
 *
 * @example
 * ```ts
 * const app = new Hono<ApiAccountsEnv>();
 * ```
 */
export type ApiAccountsEnv = { Variables: { principal: Principal } };

/**
 * The parts of a Hono context the middleware uses.
 *
 * @example
 * ```ts
 * const c: HonoContextLike = honoContext; // Hono's own context fits
 * ```
 */
export interface HonoContextLike {
  readonly req: { readonly raw: Request };
  /** The runtime's bindings: where Node, Bun and Deno adapters keep the connection. */
  readonly env?: unknown;
  /** Stores the principal for `c.get('principal')`. */
  set(key: 'principal', value: Principal): void;
  /** Sets a header on the response. */
  header(name: string, value: string): void;
}

/**
 * Hono middleware: requests with a valid API key or `SpektrixAPI3` signature
 * go on with `c.get('principal')`; others are answered 401 (or 413, 503). The
 * body is read from a clone, so handlers can still read it.
 *
 * @example
 * ```ts
 * import { Hono } from 'hono';
 * import { type ApiAccountsEnv, honoAuth } from 'api-accounts/middleware';
 *
 * const app = new Hono<ApiAccountsEnv>();
 * app.use('/api/*', honoAuth(manager));
 * app.get('/api/v3/customers', (c) => c.json({ for: c.get('principal').username }));
 * ```
 */
export function honoAuth<C extends HonoContextLike = HonoContextLike>(
  manager: Verifier,
  options: MiddlewareOptions<C> = {},
) {
  checkMiddlewareOptions(options);
  const clientIpOf = options.clientIp ?? honoClientAddress;
  return async function apiAccountsHonoAuth(
    c: C,
    next: () => Promise<void>,
  ): Promise<Response | undefined> {
    const result = await authenticateRequest(manager, c.req.raw, options, {
      clientIp: clientIpOf(c),
      tenant: options.tenant?.(c),
    });
    if (result.isErr())
      return refusalResponse(refusalFor(result.error, c.req.raw.headers, options));
    c.set('principal', result.value);
    for (const [name, value] of Object.entries(principalHeaders(result.value))) {
      c.header(name, value);
    }
    await next();
    return undefined;
  };
}

/**
 * The socket's address where Hono's runtime adapter keeps it: `@hono/node-server`
 * (`env.incoming`), Bun (`env.requestIP`), Deno (`env.remoteAddr`), or a
 * `Request` built by `nodeListener`. Never a header.
 */
function honoClientAddress(c: HonoContextLike): string | undefined {
  const env = (c.env ?? {}) as {
    incoming?: { socket?: { remoteAddress?: string } };
    requestIP?: (request: Request) => { address?: string } | null;
    remoteAddr?: { hostname?: string };
  };
  try {
    return (
      env.incoming?.socket?.remoteAddress ??
      (typeof env.requestIP === 'function' ? env.requestIP(c.req.raw)?.address : undefined) ??
      env.remoteAddr?.hostname ??
      clientAddress(c.req.raw)
    );
  } catch {
    return undefined;
  }
}
