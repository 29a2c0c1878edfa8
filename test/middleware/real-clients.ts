/**
 * What the real-client tests share: every shim served over a real socket
 * (Express, Fastify, Hono and fetchAuth on node:http), each answering 200
 * with the principal's username on every path and method, and a client that
 * writes a request byte for byte (`http.request`: path, Host, headers and
 * body exactly as given) and signs it with its own implementation of the
 * SpektrixAPI3 scheme, not the SDK's `signRequest`.
 */
import { createHash, createHmac } from 'node:crypto';
import { createServer, type RequestListener, request as send } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Verifier } from 'api-accounts';
import { nodeListener } from 'api-accounts/claim-page';
import {
  type ApiAccountsEnv,
  expressAuth,
  expressPrincipal,
  fastifyAuth,
  fastifyPrincipal,
  fetchAuth,
  honoAuth,
} from 'api-accounts/middleware';
import express from 'express';
import Fastify from 'fastify';
import { Hono } from 'hono';
import { afterAll, beforeAll } from 'vitest';
import { protectedWorld } from './fixtures.js';

/** One shim, listening on loopback. */
export interface Shim {
  readonly name: string;
  readonly base: string;
  close(): Promise<void>;
}

export async function listen(name: string, listener: RequestListener): Promise<Shim> {
  const server = createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    name,
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Express (with the README's raw-body JSON parser), Fastify, Hono and fetchAuth, on node:http. */
export async function everyShim(
  manager: Verifier,
  options: { readonly scopes?: readonly string[]; readonly cost?: number } = {},
): Promise<Shim[]> {
  const app = express();
  app.use(
    express.json({
      verify: (req, _res, buf) => {
        (req as unknown as { rawBody: Buffer }).rawBody = buf;
      },
    }),
  );
  app.use(expressAuth(manager, options));
  app.use((_req, res) => {
    res.json({ who: expressPrincipal(res).username });
  });

  const fastify = Fastify();
  await fastify.register(fastifyAuth(manager, options));
  fastify.all('/*', async (request) => ({ who: fastifyPrincipal(request).username }));
  await fastify.ready();

  const hono = new Hono<ApiAccountsEnv>();
  hono.use('*', honoAuth(manager, options));
  hono.all('*', (c) => c.json({ who: c.get('principal').username }));

  const fetchHandler = fetchAuth(
    manager,
    (_request, principal) => Response.json({ who: principal.username }),
    options,
  );

  return Promise.all([
    listen('Express', app as unknown as RequestListener),
    listen('Fastify', (req, res) => fastify.routing(req, res)),
    listen('Hono on nodeListener', nodeListener(hono.fetch)),
    listen('fetchAuth on nodeListener', nodeListener(fetchHandler)),
  ]);
}

/**
 * For a test file: a manager with one signing account, and every shim serving
 * it, started before the tests and closed after them.
 *
 * @example
 * ```ts
 * const setUp = everyShimForTheseTests();
 * it('…', () => sendSigned(setUp.shims[0].base, setUp.world.account, request));
 * ```
 */
export function everyShimForTheseTests() {
  const setUp = {
    world: undefined as unknown as Awaited<ReturnType<typeof protectedWorld>>,
    shims: [] as Shim[],
  };
  beforeAll(async () => {
    setUp.world = await protectedWorld();
    setUp.shims = await everyShim(setUp.world.manager);
  });
  afterAll(async () => {
    await Promise.all(setUp.shims.map((shim) => shim.close()));
  });
  return setUp;
}

/** What the client signs and sends. */
export interface ClientRequest {
  readonly method: string;
  /** The request target, as written on the request line (a string of bytes: one character per byte). */
  readonly target: string;
  readonly date: string;
  readonly body?: Buffer;
  /** Whether the signature covers the body (a body line); default: when there is a body. */
  readonly signBody?: boolean;
  readonly headers?: Record<string, string>;
  /** The base URL the client signs, when not the one it connects to (a proxy in between). */
  readonly signedBase?: string;
}

/**
 * SpektrixAPI3, written from the definition and nothing of the SDK's:
 * HMAC-SHA1 over METHOD, URL, Date and, when signed, base64(md5(body)),
 * with the base64-decoded key.
 */
export function independentSignature(
  apiKey: string,
  method: string,
  url: Buffer,
  date: string,
  body?: Buffer,
): string {
  const lines = [Buffer.from(method.toUpperCase()), url, Buffer.from(date)];
  if (body) lines.push(Buffer.from(createHash('md5').update(body).digest('base64')));
  const hmac = createHmac('sha1', Buffer.from(apiKey, 'base64'));
  lines.forEach((line, i) => {
    if (i > 0) hmac.update('\n');
    hmac.update(line);
  });
  return hmac.digest('base64');
}

/** Sends `request` to `base` signed as `username`, byte for byte; answers the status and body. */
export function sendSigned(
  base: string,
  credentials: { readonly username: string; readonly apiKey: string },
  request: ClientRequest,
  tamper: (signed: { url: Buffer; method: string; date: string; body?: Buffer }) => void = () =>
    undefined,
): Promise<{ status: number; body: string }> {
  const { host, port } = new URL(base);
  const signedBase = request.signedBase ?? base;
  const url = Buffer.concat([Buffer.from(signedBase), Buffer.from(request.target, 'latin1')]);
  const signBody = request.signBody ?? request.body !== undefined;
  const signature = independentSignature(
    credentials.apiKey,
    request.method,
    url,
    request.date,
    signBody ? request.body : undefined,
  );
  const sent = {
    url,
    method: request.method,
    date: request.date,
    ...(request.body ? { body: request.body } : {}),
  };
  tamper(sent);
  return new Promise((resolve, reject) => {
    const req = send(
      {
        host: '127.0.0.1',
        port,
        method: sent.method,
        path: sent.url.subarray(Buffer.byteLength(signedBase)).toString('latin1'),
        headers: {
          host,
          authorization: `SpektrixAPI3 ${Buffer.from(credentials.username).toString('latin1')}:${signature}`,
          date: sent.date,
          ...(sent.body ? { 'content-length': String(sent.body.length) } : {}),
          ...request.headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }),
        );
      },
    );
    req.on('error', reject);
    req.end(sent.body);
  });
}

/** The clock's time as each client writes it. */
export function dateForms(at: Date): Record<string, string> {
  const day = at.toUTCString().slice(0, 3);
  const month = at.toUTCString().slice(8, 11);
  const long = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'][
    at.getUTCDay()
  ];
  const d = at.getUTCDate();
  const pad = (n: number) => String(n).padStart(2, '0');
  const time = `${pad(at.getUTCHours())}:${pad(at.getUTCMinutes())}:${pad(at.getUTCSeconds())}`;
  const year = at.getUTCFullYear();
  return {
    'IMF-fixdate': at.toUTCString(),
    'Java RFC_1123_DATE_TIME': `${day}, ${d} ${month} ${year} ${time} GMT`,
    'PHP DATE_RFC1123': `${day}, ${pad(d)} ${month} ${year} ${time} +0000`,
    'RFC 850': `${long}, ${pad(d)}-${month}-${String(year).slice(2)} ${time} GMT`,
    asctime: `${day} ${month} ${String(d).padStart(2, ' ')} ${time} ${year}`,
  };
}
