import { type ErrorOf, errors } from '../core/errors.js';
import { type HeaderSource, headerValue } from '../core/headers.js';
import type { Principal } from '../core/principal.js';
import { err, errAsync, ok, okAsync, type Result, ResultAsync } from '../core/result.js';
import type { VerifyApiKeyError } from '../core/verification/bearer.js';
import type { VerifySignedRequestError } from '../core/verification/signed.js';
import type { Verifier } from '../core/verification/verifier.js';
import { readAtMost } from '../http/read-stream.js';
import { asReceived, clientAddress } from '../http/received-request.js';
import { requestMark } from '../http/request-mark.js';

/**
 * How `authenticate` reads credentials.
 *
 * @example
 * ```ts
 * const options: AuthenticateOptions = { apiKeyHeader: 'x-partner-key' };
 * ```
 */
export interface AuthenticateOptions<Req = Request> {
  /** The header that may carry a bare API key, besides `Authorization: Bearer`. Default `x-api-key`. */
  readonly apiKeyHeader?: string;
  /** Largest body read to check a signed request's MD5, in bytes. Default 1 MiB. */
  readonly maxBodyBytes?: number;
  /**
   * Scopes the request needs, all of them. A key without one is refused with
   * `InsufficientScope` (403, `WWW-Authenticate: … error="insufficient_scope"`).
   */
  readonly scopes?: readonly string[];
  /**
   * The client's IP address, for accounts with `allowedIps`, from the
   * framework's own request. Default the socket's address where the
   * framework knows it (Express's `req.ip`, Fastify's `request.ip`, Hono on
   * Node, Bun and Deno, a `Request` from `nodeListener`), which is never a
   * header: behind a proxy, configure the framework's trust of proxies
   * (Express `trust proxy`, Fastify `trustProxy`) or read the address your
   * own proxy sets, and never trust `X-Forwarded-For` from anyone else. An
   * account with an allowlist is refused when no address is known.
   */
  readonly clientIp?: (request: Req) => string | null | undefined;
  /**
   * The tenant (venue) the request is for, from the framework's own request:
   * a path parameter such as `/:client/api/v3`, a host name. A bearer key of
   * another tenant is then refused exactly as an unknown key, and a signed
   * request's username is looked up in this tenant. `undefined`: a bearer key
   * of any tenant (`Principal.tenant` says which), signed requests in
   * `'default'`.
   */
  readonly tenant?: (request: Req) => string | undefined;
  /**
   * What a request through this middleware costs of its account's quota
   * (SPEC section 11): a whole number, default 1; 0 uses none. Charged by
   * the middleware that verifies the request: a second one stacked on the
   * same request checks its scopes and tenant only, so give a route of its
   * own price its own middleware rather than one on the whole app.
   */
  readonly cost?: number;
}

/**
 * Everything `authenticate` can answer instead of a principal.
 *
 * @example
 * ```ts
 * const onRefused = ({ error }: { error: AuthenticationError }) => log.info({ type: error.type });
 * ```
 */
export type AuthenticationError =
  | ErrorOf<'MissingCredentials' | 'InsufficientScope' | 'InternalError'>
  | VerifyApiKeyError
  | VerifySignedRequestError;

/**
 * A request in the pieces authentication needs; what each framework shim
 * builds from its own request object.
 *
 * @example
 * ```ts
 * const parts: RequestParts = { method: 'GET', url: 'https://api.example/x', headers: req.headers, body: () => undefined };
 * ```
 */
export interface RequestParts {
  readonly method: string;
  /**
   * Absolute as the client addressed it (or a path, with the manager's
   * `publicBaseUrl`); or a function building it, called only for signed
   * requests (bearer keys never need the URL).
   */
  readonly url: string | (() => string);
  readonly headers: HeaderSource;
  /**
   * The raw body, read only for signed requests that passed the checks needing
   * no body; given the limit, so a reader can stop past it (a body longer than
   * `limit` is refused whatever follows).
   */
  readonly body: (limit: number) => Promise<Uint8Array | undefined> | Uint8Array | undefined;
  /** The client's IP address, when known (see {@link AuthenticateOptions.clientIp}). */
  readonly clientIp?: string | null | undefined;
  /** The tenant the request is for, when the host names one (see {@link AuthenticateOptions.tenant}). */
  readonly tenant?: string | undefined;
}

/**
 * Default limit on a signed request's body: 1 MiB.
 *
 * @example
 * ```ts
 * app.use(expressAuth(manager, { maxBodyBytes: 4 * DEFAULT_MAX_BODY_BYTES }));
 * ```
 */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

/**
 * Authenticates a request from its parts: `Authorization: Bearer <key>`,
 * `Authorization: SpektrixAPI3 <username>:<signature>`, or the API key header
 * (`X-API-Key` by default). `Authorization` wins when both are present.
 *
 * @example
 * ```ts
 * authenticateParts(manager, { method, url, headers, body: () => rawBody });
 * ```
 */
export function authenticateParts(
  manager: Verifier,
  parts: RequestParts,
  options: Omit<AuthenticateOptions, 'clientIp' | 'tenant'> = {},
  /**
   * The framework's own request object (Express `req`, Fastify `request`, a
   * `Request`): once one of this package's middlewares verified it, another
   * on the same request only checks its scopes, so a request is verified
   * (rate limited, counted) once however many are stacked.
   */
  request?: object,
): ResultAsync<Principal, AuthenticationError> {
  const earlier = request ? verifiedPrincipal(request) : undefined;
  if (earlier) {
    // An outer middleware may have accepted any tenant's key; this one may name its tenant.
    if (parts.tenant !== undefined && parts.tenant !== earlier.tenant) {
      return errAsync(errors.invalidKey('unknown_key'));
    }
    return withRequiredScopes(okAsync(earlier), options.scopes);
  }
  const verified = verifyParts(manager, parts, options);
  return withRequiredScopes(
    request ? rememberVerified(request, verified) : verified,
    options.scopes,
  );
}

/** `verification`, remembering its principal for `request` once it succeeds. */
function rememberVerified<E>(
  request: object,
  verification: ResultAsync<Principal, E>,
): ResultAsync<Principal, E> {
  // A native `then`, not `map`: neverthrow's combinators cost a few µs each, on every request.
  return new ResultAsync(
    Promise.resolve(verification).then((result) => {
      // A request that cannot take the mark (frozen) is verified again by the next one, never refused.
      if (result.isOk()) verifiedMark.set(request, result.value);
      return result;
    }),
  );
}

/** What a middleware of this package proved of a request, kept on the request. */
const verifiedMark = requestMark<Principal>('api-accounts: verified principal');

/** The principal an earlier middleware found for this request, if any. */
export function verifiedPrincipal(request: object): Principal | undefined {
  return verifiedMark.get(request);
}

/**
 * A verification that also refuses a principal without every one of
 * `scopes` (none: as it is). Checked after verification, so a valid key's
 * use is counted (and rate limited) before its scopes are looked at,
 * whatever route it called.
 */
export function withRequiredScopes<E>(
  verified: ResultAsync<Principal, E>,
  scopes: readonly string[] | undefined,
): ResultAsync<Principal, E | ErrorOf<'InsufficientScope'>> {
  return scopes && scopes.length > 0 ? verified.andThen(requireScopes(scopes)) : verified;
}

function verifyParts(
  manager: Verifier,
  parts: RequestParts,
  options: Omit<AuthenticateOptions, 'clientIp' | 'tenant'>,
): ResultAsync<Principal, AuthenticationError> {
  const { tenant } = parts;
  const clientIp = parts.clientIp ?? undefined;
  const authorization = headerValue(parts.headers, 'authorization');
  const scheme = authorization?.slice(0, authorization.indexOf(' ')).toLowerCase();
  if (authorization && scheme === 'bearer') {
    const key = authorization.slice(authorization.indexOf(' ') + 1).trim();
    return manager.verifyApiKey(key, { clientIp, tenant, cost: options.cost });
  }
  if (authorization && scheme === 'spektrixapi3') {
    const limit = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
    // The verifier reads the body only once the checks that need none pass.
    return manager.verifySignedRequest({
      method: parts.method,
      url: typeof parts.url === 'function' ? parts.url() : parts.url,
      headers: parts.headers,
      clientIp,
      tenant,
      cost: options.cost,
      body: async () => {
        const body = await parts.body(limit);
        if (body && body.length > limit) throw errors.bodyTooLarge(limit);
        return body;
      },
    });
  }
  const apiKey = headerValue(parts.headers, options.apiKeyHeader ?? 'x-api-key');
  if (apiKey !== null) {
    return manager.verifyApiKey(apiKey.trim(), { clientIp, tenant, cost: options.cost });
  }
  return errAsync(errors.missingCredentials());
}

/**
 * Throws the `TypeError` of a malformed `cost` when a middleware is made, so
 * a misconfigured route fails at start-up rather than answering 500.
 */
export function checkMiddlewareOptions(options: { readonly cost?: unknown }): void {
  const { cost } = options;
  if (
    cost !== undefined &&
    !(typeof cost === 'number' && Number.isSafeInteger(cost) && cost >= 0)
  ) {
    throw new TypeError('api-accounts middleware: cost must be a whole number of at least 0');
  }
}

/** Refuses a principal without every one of `required`. */
function requireScopes(
  required: readonly string[],
): (principal: Principal) => Result<Principal, ErrorOf<'InsufficientScope'>> {
  return (principal) => {
    const missing = required.filter((scope) => !principal.scopes.includes(scope));
    if (missing.length === 0) return ok(principal);
    return err(errors.insufficientScope(principal.accountId, required, missing));
  };
}

/**
 * The Web-standard authentication every shim builds on: `Request` in,
 * `Principal` (or a typed refusal) out. The request's body is read from a
 * clone, so the handler can still read it, and only for a signed request that
 * passed the checks needing no body; reading stops as soon as it passes
 * `maxBodyBytes`. With `{ scopes }`, a key lacking one is `InsufficientScope`;
 * the client's address comes from `clientIp(request)`, else from
 * `nodeListener`'s socket.
 *
 * @example
 * ```ts
 * import { authenticate, refusalFor } from 'api-accounts/middleware';
 *
 * const result = await authenticate(manager, request, { scopes: ['orders:write'] });
 * if (result.isErr()) {
 *   const { status, headers, body } = refusalFor(result.error, request.headers);
 *   return Response.json(body, { status, headers });
 * }
 * const principal = result.value; // { accountId, username, mode: 'system-owner', scheme }
 * ```
 */
export function authenticate(
  manager: Verifier,
  request: Request,
  options: AuthenticateOptions = {},
): ResultAsync<Principal, AuthenticationError> {
  const clientIp = options.clientIp ? options.clientIp(request) : clientAddress(request);
  return authenticateRequest(manager, request, options, {
    clientIp,
    tenant: options.tenant?.(request),
  });
}

/**
 * {@link authenticate} with the client's address and the tenant already
 * known: what a shim whose framework knows them (Hono's context) calls,
 * without building options for every request.
 */
export function authenticateRequest(
  manager: Verifier,
  request: Request,
  options: Omit<AuthenticateOptions<never>, 'clientIp' | 'tenant'>,
  { clientIp, tenant }: Pick<RequestParts, 'clientIp' | 'tenant'>,
): ResultAsync<Principal, AuthenticationError> {
  const asSent = asReceived.get(request);
  return authenticateParts(
    manager,
    {
      method: request.method,
      // The target as the client sent it, where a Node bridge kept it: a Request's URL is re-encoded.
      url: () => (asSent ? new URL(request.url).origin + asSent.target : request.url),
      headers: request.headers,
      body: (limit) => {
        if (asSent?.bodyWithoutRequest) return asSent.bodyWithoutRequest;
        const stream = request.clone().body;
        return stream ? readAtMost(stream, limit) : undefined;
      },
      clientIp,
      tenant,
    },
    options,
    request,
  );
}
