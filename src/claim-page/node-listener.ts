import type { IncomingMessage, ServerResponse } from 'node:http';
import { isJsonMediaType } from '../http/media-type.js';
import { readAtMost } from '../http/read-stream.js';
import { asReceived } from '../http/received-request.js';

/**
 * How {@link nodeListener} builds the Web `Request`.
 *
 * @example
 * ```ts
 * const options: NodeListenerOptions = { origin: 'https://box-office.example' };
 * ```
 */
export interface NodeListenerOptions {
  /**
   * The origin request URLs are built on, e.g. `https://box-office.example`
   * behind a proxy. Default: `https` on a TLS socket, `http` otherwise, with
   * the `Host` header.
   */
  readonly origin?: string;
  /** The most body bytes read; a longer body is answered 413. Default 16 KB. */
  readonly maxBodyBytes?: number;
}

/**
 * Serves a Web-standard handler (such as {@link claimPage}'s) from Node's
 * `http` module and anything built on it: Express, Connect, or
 * `http.createServer`. It turns the incoming message into a `Request`
 * (headers, URL, body) and writes the `Response` back, every `Set-Cookie`
 * included. A body an Express parser already read (`req.body` as text,
 * bytes, JSON or a flat form) is handed on re-encoded, so the page works
 * after `express.urlencoded()`, and the admin API after `express.json()`.
 *
 * @example
 * ```ts
 * import express from 'express';
 * import { claimPage, clientAddress, nodeListener } from 'api-accounts/claim-page';
 *
 * const app = express();
 * app.all('/api-access/claim', nodeListener(claimPage(manager, { clientIp: clientAddress })));
 * ```
 */
export function nodeListener(
  handler: (request: Request) => Response | Promise<Response>,
  options: NodeListenerOptions = {},
): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const limit = options.maxBodyBytes ?? 16 * 1024;
  const origin = options.origin === undefined ? null : new URL(options.origin).origin;
  return async function apiAccountsNodeListener(req, res) {
    try {
      // As received: the handler's URL is built on it, and authentication checks it verbatim.
      const target = (req as { originalUrl?: string }).originalUrl ?? req.url ?? '/';
      const url = requestUrl(target, req, origin);
      if (url === null) {
        res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8', connection: 'close' });
        res.end('Bad request target or Host');
        return;
      }
      const body = await bodyOf(req, limit);
      if (body !== null && body.length > limit) {
        res.writeHead(413, { 'content-type': 'text/plain; charset=utf-8', connection: 'close' });
        res.end('Request body too large');
        return;
      }
      // A Request cannot hold a GET or HEAD body; authentication still gets it, as received.
      const canHoldBody = req.method !== 'GET' && req.method !== 'HEAD';
      const request = toRequest(req, url, canHoldBody ? body : null);
      asReceived.set(request, {
        target,
        bodyWithoutRequest: canHoldBody || body === null || body.length === 0 ? undefined : body,
        clientAddress: req.socket?.remoteAddress,
      });
      await writeResponse(res, await handler(request), req.method === 'HEAD');
    } catch {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('Internal error');
    }
  };
}

/**
 * The URL a handler sees: the configured origin (else the scheme and the
 * `Host` the server received) joined to the request target. `null` for a
 * target that could move the origin: one that does not start with a single
 * `/` (`//evil.example/x` is a network-path reference, an absolute-form
 * target names a host of the client's choosing) or holds a backslash, which
 * URL parsers read as `/`; and for a `Host` that is not a bare host and port.
 */
function requestUrl(target: string, req: IncomingMessage, origin: string | null): URL | null {
  if (!target.startsWith('/') || target.startsWith('//') || target.includes('\\')) return null;
  const base = origin ?? hostOrigin(req);
  if (base === null) return null;
  const url = new URL(base + target);
  // Belt and braces: whatever the target holds, the origin is the one chosen above.
  return url.origin === base ? url : null;
}

function hostOrigin(req: IncomingMessage): string | null {
  const encrypted = (req.socket as { encrypted?: boolean } | undefined)?.encrypted === true;
  const host = req.headers.host ?? 'localhost';
  if (!/^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/.test(host)) return null;
  try {
    return new URL(`${encrypted ? 'https' : 'http'}://${host}`).origin;
  } catch {
    return null;
  }
}

function toRequest(req: IncomingMessage, url: URL, body: Buffer | null): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    // HTTP/2 pseudo-headers (":path") are not headers a Request can hold.
    if (name.startsWith(':') || value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item);
  }
  return new Request(url, {
    method: req.method ?? 'GET',
    headers,
    ...(body === null ? {} : { body }),
  });
}

/** The body, from the stream or from what a framework's parser left; `null` when there is none. */
async function bodyOf(req: IncomingMessage, limit: number): Promise<Buffer | null> {
  // A message has a body only with Content-Length or Transfer-Encoding (RFC 9112); most GETs have neither.
  const announced =
    req.headers['content-length'] !== undefined || req.headers['transfer-encoding'] !== undefined;
  if (!announced && (req.method === 'GET' || req.method === 'HEAD')) return null;
  const { body: parsed, rawBody } = req as { body?: unknown; rawBody?: unknown };
  if (parsed === undefined || !req.readableEnded) return readAtMost(req, limit);
  // The bytes as sent, where a parser kept them (`express.json({ verify })`); else what it parsed.
  if (rawBody instanceof Uint8Array) return Buffer.from(rawBody);
  return reencoded(parsed, req.headers['content-type'] ?? '');
}

/** A body a parser read, in the media type it came in: JSON (`express.json()`), text, bytes or a flat form. */
function reencoded(parsed: unknown, contentType: string): Buffer {
  if (typeof parsed === 'string') return Buffer.from(parsed);
  if (parsed instanceof Uint8Array) return Buffer.from(parsed);
  if (isJsonMediaType(contentType)) {
    return Buffer.from(JSON.stringify(parsed) ?? '');
  }
  const form = new URLSearchParams();
  if (typeof parsed === 'object' && parsed !== null) {
    for (const [name, value] of Object.entries(parsed)) {
      if (typeof value === 'string') form.append(name, value);
    }
  }
  return Buffer.from(form.toString());
}

async function writeResponse(res: ServerResponse, response: Response, head: boolean) {
  const headers: Record<string, string | string[]> = {};
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie') headers[name] = value;
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) headers['set-cookie'] = cookies;
  res.writeHead(response.status, headers);
  res.end(head || response.body === null ? undefined : Buffer.from(await response.arrayBuffer()));
}
