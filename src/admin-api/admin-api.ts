import { type Actor, tenantScope } from '../core/actor.js';
import { errors } from '../core/errors.js';
import type { ApiAccountManager } from '../core/manager.js';
import { isJsonMediaType } from '../http/media-type.js';
import { readAtMost } from '../http/read-stream.js';
import { type OpenApiOptions, openApiDocument } from './openapi.js';
import { errorProblem, ownProblem } from './problem.js';
import { ROUTES, type Route } from './routes.js';

/**
 * Options of {@link adminApi}.
 *
 * @example
 * ```ts
 * const options: AdminApiOptions = { basePath: '/admin/api-accounts', actor: (request) => sessionUser(request) };
 * ```
 */
export interface AdminApiOptions extends OpenApiOptions {
  /** Where the routes live, without a trailing slash: `/admin/api-accounts`. */
  readonly basePath: string;
  /**
   * Who is calling, from the host's own session or token; `null` (or a
   * throw) answers 401. The SDK's `authorize` then decides what they may do.
   */
  readonly actor: (request: Request) => Actor | null | Promise<Actor | null>;
  /** Largest request body read, in bytes. Default 64 KiB. */
  readonly maxBodyBytes?: number;
  /**
   * Origins besides the API's own allowed to call it from a browser. A
   * request whose `Sec-Fetch-Site` is present and neither `same-origin` nor
   * `none`, or whose `Origin` is present and neither the API's own nor one
   * of these, is refused 403: a cookie-authenticated host is safe from
   * cross-site requests. Server-to-server calls send neither header and pass.
   */
  readonly trustedOrigins?: readonly string[];
  /**
   * Serve the OpenAPI document (`${basePath}/openapi.json`) to anyone. By
   * default only a caller `actor` recognises gets it: it maps the
   * administrative surface.
   */
  readonly publicOpenApi?: boolean;
  /**
   * The tenant (venue) this API serves, from the request: a path segment, a
   * host name, the session's venue. Every call then acts within it only: the
   * actor administers it alone (and nothing, if it may not administer it),
   * accounts of other tenants answer 404, and new accounts go into it.
   * Without it, the actor's own `tenants` apply.
   */
  readonly tenant?: (request: Request) => string;
}

const DEFAULT_MAX_BODY_BYTES = 64 * 1024;

/** The actor as it acts in one tenant: that tenant alone, if it administers it; else none. */
function confinedTo(actor: Actor, tenant: string): Actor {
  const scope = tenantScope(actor);
  return { ...actor, tenants: scope === '*' || scope.includes(tenant) ? [tenant] : [] };
}

/** A route's path as a pattern: `{id}` is one segment. */
function matcher(route: Route, basePath: string): RegExp {
  const escaped = `${basePath}${route.path}`
    .split('{id}')
    .map((part) => part.replace(/[.*+?^$()|[\]\\]/g, '\\$&'))
    .join('([^/]+)');
  return new RegExp(`^${escaped}$`);
}

/** The version an `If-Match` names (`"3"` or `W/"3"`); `null` for none or `*`; `NaN` for one that names no version. */
function versionOf(ifMatch: string | null): number | null {
  if (ifMatch === null || ifMatch.trim() === '*') return null;
  const match = /^\s*(?:W\/)?"(\d{1,15})"\s*$/.exec(ifMatch);
  return match ? Number(match[1]) : Number.NaN;
}

/** A path segment decoded; `null` for broken percent-encoding, which no route matches. */
function decodedSegment(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}

/** The ETag of whatever carries an account: the account's version. */
function etagOf(value: unknown): string | null {
  const account = (value as { account?: unknown } | null)?.account ?? value;
  const version = (account as { version?: unknown } | null)?.version;
  return typeof version === 'number' ? `"${version}"` : null;
}

/**
 * The admin screens' API as one Web-standard handler (`Request` in,
 * `Response` out), for hosts that want one: Hono, Bun and Deno mount it as it
 * is, Express and Fastify through `nodeListener` from
 * `api-accounts/claim-page`. JSON in and out; errors are RFC 9457
 * `application/problem+json` whose `type` is the SDK error's (`EmailTaken`);
 * an account's `ETag` is its version, and `If-Match` makes a change
 * conditional (412 when stale); cross-site browser requests are refused;
 * bodies are bounded; a list page links to the next. Its OpenAPI 3.1
 * document, made from the same route table, is served at
 * `${basePath}/openapi.json`.
 *
 * Routes: `GET /accounts` (the `listAccounts` filters as query), `POST
 * /accounts`, `GET|PATCH /accounts/{id}`, `GET /accounts/{id}/history`,
 * `GET /accounts/{id}/usage?from&to`, `GET /accounts/{id}/quota`, and `POST
 * /accounts/{id}/{reset|rotate|deactivate|reactivate|resend-claim|end-grace}`
 * (`reset` and `rotate` take `{ "confirm": true }`).
 *
 * @example
 * ```ts
 * import { adminApi } from 'api-accounts/admin-api';
 *
 * const api = adminApi(manager, {
 *   basePath: '/admin/api-accounts',
 *   actor: async (request) => (await session(request))?.user ?? null,
 * });
 * app.all('/admin/api-accounts/*', (c) => api(c.req.raw)); // Hono
 * ```
 */
export function adminApi(
  manager: ApiAccountManager,
  options: AdminApiOptions,
): (request: Request) => Promise<Response> {
  const basePath = options.basePath.replace(/\/+$/, '');
  const limit = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const routes = ROUTES.map((route) => ({ route, pattern: matcher(route, basePath) }));
  const document = JSON.stringify(openApiDocument(ROUTES, basePath, options));

  const actorOf = (request: Request): Promise<Actor | null> =>
    Promise.resolve()
      .then(() => options.actor(request))
      .catch(() => null);

  const crossSite = (request: Request, url: URL): boolean => {
    const site = request.headers.get('sec-fetch-site');
    if (site !== null && site !== 'same-origin' && site !== 'none') {
      const origin = request.headers.get('origin');
      return !(origin !== null && options.trustedOrigins?.includes(origin));
    }
    const origin = request.headers.get('origin');
    return origin !== null && origin !== url.origin && !options.trustedOrigins?.includes(origin);
  };

  const readBody = async (
    request: Request,
    route: Route,
  ): Promise<Record<string, unknown> | Response> => {
    if (!route.body || request.body === null) return {};
    const bytes = await readAtMost(request.body, limit);
    if (bytes.length > limit) {
      return ownProblem('BodyTooLarge', `The body is larger than ${limit} bytes.`);
    }
    if (bytes.length === 0) return {};
    if (!isJsonMediaType(request.headers.get('content-type'))) {
      return ownProblem('UnsupportedMediaType', 'Send the body as application/json.');
    }
    try {
      const parsed: unknown = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
      if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
        return parsed as Record<string, unknown>;
      }
    } catch {
      // Answered below, as for any body that is not an object.
    }
    return ownProblem('MalformedBody', 'The body must be a JSON object.');
  };

  async function handle(request: Request): Promise<Response> {
    const url = new URL(request.url);
    if (url.pathname !== basePath && !url.pathname.startsWith(`${basePath}/`)) {
      return ownProblem('NotFound', 'No such route.');
    }
    if (crossSite(request, url)) {
      return ownProblem('CrossSiteRequest', 'Cross-site requests are refused.');
    }
    if (url.pathname === `${basePath}/openapi.json`) {
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        return ownProblem('MethodNotAllowed', 'Use GET.', { allow: 'GET, HEAD' });
      }
      if (!options.publicOpenApi && !(await actorOf(request))) {
        return ownProblem('Unauthenticated', 'Sign in to read the API description.');
      }
      return new Response(request.method === 'HEAD' ? null : document, {
        headers: {
          'content-type': 'application/json',
          'cache-control': options.publicOpenApi ? 'no-cache' : 'private, no-cache',
        },
      });
    }
    const matching = routes.flatMap(({ route, pattern }) => {
      const match = pattern.exec(url.pathname);
      const id = match ? decodedSegment(match[1] ?? '') : null;
      return id === null ? [] : [{ route, id }];
    });
    if (matching.length === 0) return ownProblem('NotFound', 'No such route.');
    const found = matching.find(({ route }) => route.method === request.method);
    if (!found) {
      const allow = matching.map(({ route }) => route.method).join(', ');
      return ownProblem('MethodNotAllowed', `Use ${allow}.`, { allow });
    }
    const { route, id } = found;
    const signedIn = await actorOf(request);
    if (!signedIn) return ownProblem('Unauthenticated', 'Sign in to manage API accounts.');
    const tenant = options.tenant?.(request);
    const actor = tenant === undefined ? signedIn : confinedTo(signedIn, tenant);
    const body = await readBody(request, route);
    if (body instanceof Response) return body;
    const ifMatch = request.headers.get('if-match');
    const expectedVersion = versionOf(ifMatch);
    if (Number.isNaN(expectedVersion)) {
      return ownProblem(
        'PreconditionFailed',
        'If-Match must name a version this API gave as an ETag.',
      );
    }
    const result = await route.run({
      manager,
      actor,
      id,
      query: url.searchParams,
      body,
      tenant,
      expectedVersion,
    });
    if (result.isErr()) {
      if (result.error.type !== 'Conflict' || ifMatch === null) return errorProblem(result.error);
      // The precondition failed: say which version the account is at now, for the client to read again.
      const current = await manager.getAccount(actor, id);
      const etag: Record<string, string> = current.isOk()
        ? { etag: `"${current.value.version}"` }
        : {};
      return errorProblem(result.error, true, etag);
    }
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'cache-control': 'no-store',
    };
    const etag = etagOf(result.value);
    if (etag) headers['etag'] = etag;
    if (route.success.status === 201) {
      const created = (result.value as { account?: { id?: string } }).account?.id ?? '';
      headers['location'] = `${basePath}/accounts/${encodeURIComponent(created)}`;
    }
    const next = (result.value as { nextCursor?: unknown } | null)?.nextCursor;
    if (route.operationId === 'listAccounts' && typeof next === 'string') {
      const nextUrl = new URL(url);
      nextUrl.searchParams.set('cursor', next);
      headers['link'] = `<${nextUrl.pathname}${nextUrl.search}>; rel="next"`;
    }
    return new Response(JSON.stringify(result.value), { status: route.success.status, headers });
  }

  return async function apiAccountsAdminApi(request: Request): Promise<Response> {
    try {
      return await handle(request);
    } catch (cause) {
      // A defect (or a stream that broke mid-read): reported as one, never thrown at the server.
      return errorProblem(errors.internalError(cause));
    }
  };
}
