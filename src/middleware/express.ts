import type { IncomingHttpHeaders } from 'node:http';
import type { Principal } from '../core/principal.js';
import type { Verifier } from '../core/verification/verifier.js';
import { readAtMost } from '../http/read-stream.js';
import {
  authenticateParts,
  checkMiddlewareOptions,
  DEFAULT_MAX_BODY_BYTES,
} from './authenticate.js';
import { principalHeaders } from './principal-headers.js';
import { type MiddlewareOptions, refusalFor } from './refusal.js';

/**
 * The parts of an Express request the middleware reads (Express 4 and 5).
 * `rawBody` is where `express.json({ verify })` can keep the raw bytes.
 *
 * @example
 * ```ts
 * const req: ExpressRequestLike = expressRequest; // Express's own request fits
 * ```
 */
export interface ExpressRequestLike extends AsyncIterable<unknown> {
  readonly method: string;
  readonly originalUrl?: string;
  readonly url: string;
  readonly protocol: string;
  readonly headers: IncomingHttpHeaders;
  readonly readableEnded?: boolean;
  /** The client's address as Express sees it (honouring `trust proxy`). */
  readonly ip?: string | undefined;
  readonly socket?: { readonly remoteAddress?: string | undefined };
  /** A header's value (Express's `req.get`). */
  get(name: string): string | undefined;
  body?: unknown;
  rawBody?: unknown;
  principal?: Principal;
}

/**
 * The parts of an Express response the middleware uses.
 *
 * @example
 * ```ts
 * const res: ExpressResponseLike = expressResponse; // Express's own response fits
 * ```
 */
export interface ExpressResponseLike {
  locals: Record<string, unknown>;
  /** Sets the status code. */
  status(code: number): this;
  /** Sets response headers. */
  set(headers: Record<string, string>): this;
  /** Sends `body` as JSON. */
  json(body: unknown): unknown;
}

/**
 * Express middleware: requests with a valid API key or `SpektrixAPI3`
 * signature go on, with their `Principal` on `req.principal` and
 * `res.locals.principal`; others are answered 401 (or 403 for a missing
 * scope or a refused address, 429 over the rate limit, 413, 503). The
 * client's address is `req.ip`, so Express's `trust proxy` setting decides
 * whether a proxy's header is believed.
 *
 * Signed requests need the raw body for its MD5. Keep it with
 * `express.json({ verify: (req, _res, buf) => { req.rawBody = buf } })`, or use
 * `express.raw()`; if no parser has run, the middleware reads the body itself
 * (then later parsers find none).
 *
 * @example
 * ```ts
 * import express from 'express';
 * import { expressAuth, expressPrincipal } from 'api-accounts/middleware';
 *
 * const app = express();
 * app.use(express.json({ verify: (req, _res, buf) => { (req as { rawBody?: Buffer }).rawBody = buf; } }));
 * app.use('/api', expressAuth(manager));
 * app.get('/api/v3/customers', (req, res) => res.json({ for: expressPrincipal(res).username }));
 * app.post('/api/v3/orders', expressAuth(manager, { scopes: ['orders:write'] }), createOrder);
 * ```
 */
export function expressAuth<R extends ExpressRequestLike = ExpressRequestLike>(
  manager: Verifier,
  options: MiddlewareOptions<R> = {},
) {
  checkMiddlewareOptions(options);
  const clientIp = options.clientIp ?? ((req: R) => req.ip ?? req.socket?.remoteAddress);
  const limit = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  return async function apiAccountsExpressAuth(
    req: R,
    res: ExpressResponseLike,
    next: (error?: unknown) => void,
  ): Promise<void> {
    try {
      const result = await authenticateParts(
        manager,
        {
          method: req.method,
          // Built only for signed requests (an accessor here would slow every request down).
          // The target as received, never re-encoded: the client signed what it sent.
          url: () =>
            `${req.protocol}://${req.get('host') ?? 'localhost'}${req.originalUrl ?? req.url}`,
          headers: req.headers,
          body: () => rawBodyOf(req, limit),
          clientIp: clientIp(req),
          tenant: options.tenant?.(req),
        },
        options,
        req,
      );
      if (result.isErr()) {
        const refusal = refusalFor(result.error, req.headers, options);
        res
          .status(refusal.status)
          .set({ ...refusal.headers })
          .json(refusal.body);
        return;
      }
      req.principal = result.value;
      res.locals['principal'] = result.value;
      res.set(principalHeaders(result.value));
      next();
    } catch (error) {
      next(error);
    }
  };
}

/**
 * The principal `expressAuth` found, typed. Throws a `TypeError` when the
 * middleware did not run for this request (a routing mistake).
 *
 * @example
 * ```ts
 * app.get('/api/me', (req, res) => res.json(expressPrincipal(res)));
 * ```
 */
export function expressPrincipal(res: { readonly locals: Record<string, unknown> }): Principal {
  const principal = res.locals['principal'];
  if (!principal) throw new TypeError('expressAuth did not run before this handler');
  return principal as Principal;
}

async function rawBodyOf(req: ExpressRequestLike, limit: number): Promise<Uint8Array | undefined> {
  if (req.rawBody instanceof Uint8Array) return req.rawBody;
  if (req.body instanceof Uint8Array) return req.body;
  if (typeof req.body === 'string') return Buffer.from(req.body, 'utf8');
  if (req.body !== undefined && req.body !== null) {
    throw new Error(
      'The body was parsed without keeping its raw bytes; see expressAuth in the README.',
    );
  }
  if (req.readableEnded) return undefined;
  const raw = await readAtMost(req, limit);
  req.rawBody = raw;
  return raw;
}
