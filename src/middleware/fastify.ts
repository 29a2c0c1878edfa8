import type { IncomingHttpHeaders } from 'node:http';
import { Readable } from 'node:stream';
import type { ApiAccountManager } from '../core/manager.js';
import type { Principal } from '../core/principal.js';
import { authenticateParts, DEFAULT_MAX_BODY_BYTES } from './authenticate.js';
import { type MiddlewareOptions, refuse } from './fetch.js';
import { attemptedScheme } from './refusal.js';

/** The parts of a Fastify request the plugin reads and sets. */
export interface FastifyRequestLike {
  readonly method: string;
  readonly url: string;
  readonly protocol: string;
  readonly host: string;
  readonly headers: IncomingHttpHeaders;
  principal?: Principal | null;
  apiAccountsRawBody?: Uint8Array;
}

/** The parts of a Fastify reply the plugin uses. */
export interface FastifyReplyLike {
  /** Sets the status code. */
  code(status: number): this;
  /** Sets response headers. */
  headers(values: Record<string, string>): this;
  /** Sends the reply. */
  send(body: unknown): this;
}

/** The parts of a Fastify instance the plugin registers on. */
export interface FastifyInstanceLike {
  /** Declares `request.principal`. */
  decorateRequest(name: 'principal', value: null): unknown;
  /** Registers the hook that keeps a signed request's raw body. */
  addHook(
    name: 'preParsing',
    hook: (
      request: FastifyRequestLike,
      reply: FastifyReplyLike,
      payload: NodeJS.ReadableStream,
    ) => Promise<NodeJS.ReadableStream>,
  ): unknown;
  /** Registers the hook that authenticates. */
  addHook(
    name: 'preHandler',
    hook: (request: FastifyRequestLike, reply: FastifyReplyLike) => Promise<unknown>,
  ): unknown;
}

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
export function fastifyAuth(manager: ApiAccountManager, options: MiddlewareOptions = {}) {
  const limit = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  async function apiAccountsFastifyAuth(fastify: FastifyInstanceLike): Promise<void> {
    fastify.decorateRequest('principal', null);
    fastify.addHook('preParsing', async (request, _reply, payload) => {
      // Only signed requests need the raw bytes; others keep Fastify's streaming.
      if (attemptedScheme(request.headers, options.apiKeyHeader) !== 'SpektrixAPI3') return payload;
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of payload as AsyncIterable<Buffer | string>) {
        const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
        size += buffer.length;
        if (size > limit) break;
        chunks.push(buffer);
      }
      const raw = Buffer.concat(chunks);
      request.apiAccountsRawBody = size > limit ? new Uint8Array(size) : raw;
      return Readable.from(size > limit ? [] : [raw]);
    });
    fastify.addHook('preHandler', async (request, reply) => {
      const result = await authenticateParts(
        manager,
        {
          method: request.method,
          url: `${request.protocol}://${request.host}${request.url}`,
          headers: request.headers,
          body: () => request.apiAccountsRawBody,
        },
        options,
      );
      if (result.isErr()) {
        const refusal = refuse(result.error, request.headers, options);
        return reply
          .code(refusal.status)
          .headers({ ...refusal.headers })
          .send(refusal.body);
      }
      request.principal = result.value;
      return undefined;
    });
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
