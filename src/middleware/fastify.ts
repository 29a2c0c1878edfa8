import type { IncomingHttpHeaders } from 'node:http';
import { Readable } from 'node:stream';
import type { Principal } from '../core/principal.js';
import type { Result } from '../core/result.js';
import type { Verifier } from '../core/verification/verifier.js';
import { readAtMost } from '../http/read-stream.js';
import {
  type AuthenticationError,
  authenticateParts,
  checkMiddlewareOptions,
  DEFAULT_MAX_BODY_BYTES,
  type RequestParts,
  verifiedPrincipal,
} from './authenticate.js';
import { principalHeaders } from './principal-headers.js';
import { attemptedScheme, type MiddlewareOptions, refusalFor } from './refusal.js';

/**
 * The parts of a Fastify request the plugin reads and sets.
 *
 * @example
 * ```ts
 * const request: FastifyRequestLike = fastifyRequest; // Fastify's own request fits
 * ```
 */
export interface FastifyRequestLike {
  readonly method: string;
  readonly url: string;
  readonly protocol: string;
  readonly host: string;
  readonly headers: IncomingHttpHeaders;
  /** The client's address as Fastify sees it (honouring `trustProxy`). */
  readonly ip?: string | undefined;
  /** Route parameters, such as `client` of `/:client/api/v3` (for the `tenant` option). */
  readonly params?: unknown;
  principal?: Principal | null;
}

/**
 * The parts of a Fastify reply the plugin uses.
 *
 * @example
 * ```ts
 * const reply: FastifyReplyLike = fastifyReply; // Fastify's own reply fits
 * ```
 */
export interface FastifyReplyLike {
  /** Sets the status code. */
  code(status: number): this;
  /** Sets response headers. */
  headers(values: Record<string, string>): this;
  /** Sends the reply. */
  send(body: unknown): this;
}

/**
 * The parts of a Fastify instance the plugin registers on. Loosely typed on
 * purpose: Fastify's own overloads are many, and this entry point must not
 * import Fastify's types (it is an optional peer dependency).
 *
 * @example
 * ```ts
 * const app: FastifyInstanceLike = Fastify(); // Fastify's own instance fits
 * ```
 */
export interface FastifyInstanceLike {
  /** Declares a request property. */
  decorateRequest(name: string, value: null): unknown;
  /** Whether a request property is declared (by an outer registration of the plugin, say). */
  hasRequestDecorator?(name: string): boolean;
  /** Registers a lifecycle hook. */
  addHook(name: string, hook: (...args: never[]) => unknown): unknown;
}

type Done = (error?: Error | null, payload?: NodeJS.ReadableStream) => void;

/**
 * A Fastify plugin: a `preHandler` that lets through only requests with a
 * valid API key or `SpektrixAPI3` signature and decorates the request with its
 * `principal`; others are answered 401 (or 413, 503). For signed requests it
 * keeps the raw body (in a `preParsing` hook) for the MD5, so body parsing
 * stays Fastify's. Registered like `fastify-plugin` plugins, so it covers the
 * scope it is registered in.
 *
 * @example
 * ```ts
 * import Fastify from 'fastify';
 * import { fastifyAuth, fastifyPrincipal } from 'api-accounts/middleware';
 *
 * const app = Fastify();
 * await app.register(fastifyAuth(manager));
 * app.get('/api/v3/customers', async (request) => ({ for: fastifyPrincipal(request).username }));
 * ```
 */
export function fastifyAuth(
  manager: Verifier,
  options: MiddlewareOptions<FastifyRequestLike> = {},
) {
  checkMiddlewareOptions(options);
  const limit = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const clientIp = options.clientIp ?? ((request: FastifyRequestLike) => request.ip);
  // Built only for signed requests (an accessor here would slow every request down).
  const urlOf = (request: FastifyRequestLike) => () =>
    `${request.protocol}://${request.host}${request.url}`;
  const sendRefusal = (
    reply: FastifyReplyLike,
    error: Parameters<typeof refusalFor>[0],
    request: FastifyRequestLike,
  ) => {
    const refusal = refusalFor(error, request.headers, options);
    reply
      .code(refusal.status)
      .headers({ ...refusal.headers })
      .send(refusal.body);
  };
  async function apiAccountsFastifyAuth(fastify: FastifyInstanceLike): Promise<void> {
    // Registered again in an inner scope (a route's scopes), the outer one already declared it.
    if (!fastify.hasRequestDecorator?.('principal')) fastify.decorateRequest('principal', null);
    // Callback-style hooks: Fastify runs them without a promise per request, which shows at 40k+ requests/s.
    const partsOf = (request: FastifyRequestLike, body: RequestParts['body']): RequestParts => ({
      method: request.method,
      url: urlOf(request),
      headers: request.headers,
      body,
      clientIp: clientIp(request),
      tenant: options.tenant?.(request),
    });
    const answer = (
      request: FastifyRequestLike,
      reply: FastifyReplyLike,
      result: Result<Principal, AuthenticationError>,
    ): boolean => {
      if (result.isErr()) {
        sendRefusal(reply, result.error, request);
        return false;
      }
      request.principal = result.value;
      reply.headers(principalHeaders(result.value));
      return true;
    };
    // A signed request is verified here, where its raw bytes stream past (Fastify parses the body
    // before any preHandler runs); the body is read only once the checks that need none pass.
    const verifySigned = (
      request: FastifyRequestLike,
      reply: FastifyReplyLike,
      payload: NodeJS.ReadableStream,
      done: Done,
    ) => {
      if (
        attemptedScheme(request.headers, options.apiKeyHeader) !== 'SpektrixAPI3' ||
        verifiedPrincipal(request)
      ) {
        done(null, payload);
        return;
      }
      let raw: Uint8Array | undefined;
      const body = async () => {
        raw = await readAtMost(payload as AsyncIterable<unknown>, limit);
        return raw;
      };
      authenticateParts(manager, partsOf(request, body), options, request).then(
        (result) => {
          if (answer(request, reply, result)) done(null, raw ? Readable.from([raw]) : payload);
        },
        (error: unknown) => done(error instanceof Error ? error : new Error(String(error))),
      );
    };
    // Everything else (and a signed request verified above: its scopes only) is answered here.
    const verifyRequest = (
      request: FastifyRequestLike,
      reply: FastifyReplyLike,
      done: (error?: unknown) => void,
    ) => {
      authenticateParts(
        manager,
        partsOf(request, () => undefined),
        options,
        request,
      ).then((result) => {
        if (answer(request, reply, result)) done();
      }, done);
    };
    fastify.addHook('preParsing', verifySigned);
    fastify.addHook('preHandler', verifyRequest);
  }
  // As fastify-plugin does: hooks apply to the scope the plugin is registered in, not a child.
  Object.assign(apiAccountsFastifyAuth, {
    [Symbol.for('skip-override')]: true,
    [Symbol.for('fastify.display-name')]: 'api-accounts',
  });
  return apiAccountsFastifyAuth;
}

/**
 * The principal `fastifyAuth` found, typed. Throws a `TypeError` when the
 * plugin did not run for this request.
 *
 * @example
 * ```ts
 * app.get('/api/me', async (request) => fastifyPrincipal(request));
 * ```
 */
export function fastifyPrincipal(request: object): Principal {
  // Any FastifyRequest: the plugin decorates it at run time, so its type does not declare `principal`.
  const { principal } = request as { principal?: Principal | null };
  if (!principal) throw new TypeError('fastifyAuth did not run before this handler');
  return principal;
}
