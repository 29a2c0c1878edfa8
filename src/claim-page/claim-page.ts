import { randomBytes } from 'node:crypto';
import { sha256Hex } from '../core/crypto/sha256.js';
import type { ApiAccountManager } from '../core/manager.js';
import { redactSecrets } from '../core/redact-secrets.js';
import { readAtMost } from '../http/read-stream.js';
import { claimCookie, readCookie } from './cookies.js';
import { csrfTokenFor, isCsrfTokenFor } from './csrf.js';
import { type ClaimPageOptions, isPlainHttpLoopback, resolveClaimPageOptions } from './options.js';
import type { RateLimit } from './rate-limit.js';
import { type PageFrame, renderCodeForm, renderKey, renderMessage } from './render.js';

/**
 * The two manager methods the page uses.
 *
 * @example
 * ```ts
 * const page = claimPage(manager satisfies ClaimPageManager, { csrfSecret, publicOrigin: 'https://bo.example' });
 * ```
 */
export type ClaimPageManager = Pick<ApiAccountManager, 'inspectClaim' | 'claimApiKey'>;

const MAX_FORM_BYTES = 4096;
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{16,128}$/;
const MIN_COOKIE_SECONDS = 60;

/**
 * The secure claim page as a Web-standard handler: mount it at the path your
 * `claimUrl` points to, in any framework that speaks `Request`/`Response`.
 *
 * - `GET ?token=…` stores the link's token in an HttpOnly cookie and redirects
 *   to the same path without it, so the token leaves the address bar and
 *   history; `GET` then shows the masked phone, the expiry and the code form.
 * - `POST` takes the code (CSRF token checked, per-IP and per-link rate
 *   limits, 4 KB form limit) and shows the username and the key once, or the
 *   attempts left, or a page saying what to do when the link is expired,
 *   locked, used or unknown.
 * - Every answer is `Cache-Control: no-store`, with a nonce-based CSP,
 *   `frame-ancestors 'none'` and `Referrer-Policy: no-referrer`. It works
 *   without JavaScript; the copy button is an enhancement. It never throws.
 *
 * @example
 * ```ts
 * import { claimPage } from 'api-accounts/claim-page';
 * const page = claimPage(manager, { systemName: 'Riverside Theatre', clientIp: () => ip });
 * app.all('/api-access/claim', (c) => page(c.req.raw)); // Hono; any Request → Response router works
 * ```
 */
export function claimPage(
  manager: ClaimPageManager,
  options: ClaimPageOptions = {},
): (request: Request) => Promise<Response> {
  const config = resolveClaimPageOptions(options);
  const { rateLimiter } = config;

  return async function handleClaimPage(request: Request): Promise<Response> {
    const frame: PageFrame = { options: config, nonce: randomBytes(16).toString('base64') };
    try {
      const url = new URL(request.url);
      if (request.method === 'GET' || request.method === 'HEAD') {
        return await show(request, url, frame);
      }
      if (request.method === 'POST') return await submit(request, url, frame);
      return page(frame, 405, renderMessage(frame, 'Method not allowed', []), {
        allow: 'GET, HEAD, POST',
      });
    } catch (cause) {
      config.onError({ type: 'InternalError', message: redactSecrets(describe(cause)) as string });
      return unavailable(frame);
    }
  };

  async function show(request: Request, url: URL, frame: PageFrame): Promise<Response> {
    const fromLink = url.searchParams.get('token');
    if (fromLink !== null) {
      // Move the token from the address bar into a cookie before anything renders.
      if (!TOKEN_SHAPE.test(fromLink)) return messagePage(frame, 404, 'notFound');
      return page(frame, 303, '', {
        location: cookiePath(url),
        'set-cookie': claimCookie(config.cookieName, fromLink, {
          path: cookiePath(url),
          secure: secureCookie(url),
          maxAgeSeconds: await cookieLifetime(fromLink),
        }),
      });
    }
    const token = linkToken(request);
    if (token === undefined) return messagePage(frame, 400, 'missing');
    return codeForm(frame, url, token, null, 200);
  }

  /**
   * The link cookie lasts as long as the claim it holds (a link opened an
   * hour before the claim expires must still work for that hour), at least a
   * minute; a link the manager does not know keeps the cookie a minute, long
   * enough to show why.
   */
  async function cookieLifetime(token: string): Promise<number> {
    const claim = await manager.inspectClaim(token);
    if (claim.isErr()) return MIN_COOKIE_SECONDS;
    const seconds = Math.ceil((claim.value.expiresAt.getTime() - config.now()) / 1000);
    return Math.max(MIN_COOKIE_SECONDS, Number.isFinite(seconds) ? seconds : MIN_COOKIE_SECONDS);
  }

  async function submit(request: Request, url: URL, frame: PageFrame): Promise<Response> {
    if (isCrossSite(request, config.publicOrigin ?? url.origin)) {
      return messagePage(frame, 403, 'formExpired');
    }
    const type = request.headers.get('content-type') ?? '';
    if (!type.toLowerCase().startsWith('application/x-www-form-urlencoded')) {
      return messagePage(frame, 415, 'formExpired');
    }
    const raw = request.body
      ? await readAtMost(request.body as AsyncIterable<Uint8Array>, MAX_FORM_BYTES)
      : Buffer.alloc(0);
    if (raw.length > MAX_FORM_BYTES) return messagePage(frame, 413, 'formExpired');
    const form = new URLSearchParams(raw.toString('utf8'));
    const token = linkToken(request);
    if (token === undefined) return messagePage(frame, 400, 'missing');
    if (!isCsrfTokenFor(config.csrfSecret, token, form.get('csrf'))) {
      return messagePage(frame, 403, 'formExpired');
    }
    const limited = await rateLimited(request, token);
    if (limited !== null) {
      return page(
        frame,
        429,
        renderMessage(frame, config.texts.tooManyTitle, [config.texts.tooMany]),
        {
          'retry-after': String(limited),
        },
      );
    }
    const code = (form.get('code') ?? '').replace(/[\s-]/g, '');
    const claimed = await manager.claimApiKey({ token, code });
    if (claimed.isOk()) {
      const { username, apiKey } = claimed.value;
      return page(frame, 200, renderKey(frame, { username, apiKey }), {
        'set-cookie': clearCookie(url),
      });
    }
    const error = claimed.error;
    if (error.type === 'CodeIncorrect') {
      if (error.attemptsRemaining === 0) return messagePage(frame, 423, 'locked');
      return codeForm(frame, url, token, config.texts.wrongCode(error.attemptsRemaining), 422);
    }
    return stateError(frame, error);
  }

  async function codeForm(
    frame: PageFrame,
    url: URL,
    token: string,
    error: string | null,
    status: number,
  ): Promise<Response> {
    const preview = await manager.inspectClaim(token);
    if (preview.isErr()) return stateError(frame, preview.error);
    const { maskedPhone, expiresAt } = preview.value;
    const csrf = csrfTokenFor(config.csrfSecret, token);
    return page(
      frame,
      status,
      renderCodeForm(frame, { action: cookiePath(url), csrf, maskedPhone, expiresAt, error }),
    );
  }

  function stateError(
    frame: PageFrame,
    error: { readonly type: string; readonly message: string },
  ): Response {
    switch (error.type) {
      case 'ClaimNotFound':
        return messagePage(frame, 404, 'notFound');
      case 'ClaimExpired':
        return messagePage(frame, 410, 'expired');
      case 'ClaimLocked':
        return messagePage(frame, 423, 'locked');
      case 'AccountInactive':
        return messagePage(frame, 403, 'inactive');
      default:
        config.onError({ type: error.type, message: error.message });
        return unavailable(frame);
    }
  }

  function messagePage(
    frame: PageFrame,
    status: number,
    kind: 'notFound' | 'expired' | 'locked' | 'inactive' | 'missing' | 'formExpired',
  ): Response {
    const t = config.texts;
    const title = t[`${kind}Title`];
    const lines =
      kind === 'missing' || kind === 'formExpired' ? [t[kind]] : [t[kind], t.askAdministrator];
    return page(frame, status, renderMessage(frame, title, lines));
  }

  function unavailable(frame: PageFrame): Response {
    const t = config.texts;
    return page(frame, 503, renderMessage(frame, t.unavailableTitle, [t.unavailable]), {
      'retry-after': '30',
    });
  }

  function linkToken(request: Request): string | undefined {
    const token = readCookie(request.headers.get('cookie'), config.cookieName);
    return token !== undefined && TOKEN_SHAPE.test(token) ? token : undefined;
  }

  /** Seconds to wait when a limit is reached, or `null` when the submission may go on. */
  async function rateLimited(request: Request, token: string): Promise<number | null> {
    const ip = config.clientIp(request);
    // The limiter keys on a digest: it never holds a usable token.
    const checks: [string, RateLimit][] = [[`link:${sha256Hex(token)}`, config.perLinkLimit]];
    if (ip) checks.unshift([`ip:${ip}`, config.perIpLimit]);
    for (const [key, { max, windowMs }] of checks) {
      const decision = await rateLimiter.consume(key, { limit: max, windowMs });
      if (!decision.allowed) return Math.max(1, Math.ceil(decision.retryAfterMs / 1000));
    }
    return null;
  }

  function secureCookie(url: URL): boolean {
    return config.secureCookie ?? !isPlainHttpLoopback(url);
  }

  function clearCookie(url: URL): string {
    return claimCookie(config.cookieName, '', {
      path: cookiePath(url),
      secure: secureCookie(url),
      maxAgeSeconds: 0,
    });
  }
}

function page(
  frame: PageFrame,
  status: number,
  html: string,
  extra: Record<string, string> = {},
): Response {
  return new Response(status === 303 ? null : html, {
    status,
    headers: { ...securityHeaders(frame), ...extra },
  });
}

function securityHeaders(frame: PageFrame): Record<string, string> {
  const logo = frame.options.logoUrl ? ` ${new URL(frame.options.logoUrl).origin}` : '';
  return {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    pragma: 'no-cache',
    'content-security-policy': [
      "default-src 'none'",
      `style-src 'nonce-${frame.nonce}'`,
      `script-src 'nonce-${frame.nonce}'`,
      `img-src 'self'${logo}`,
      "form-action 'self'",
      "frame-ancestors 'none'",
      "base-uri 'none'",
    ].join('; '),
    'referrer-policy': 'no-referrer',
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'cross-origin-opener-policy': 'same-origin',
  };
}

/**
 * The page's own path, safe to put in a cookie attribute and a Location
 * header: never one starting `//`, which a browser would follow to another host.
 */
function cookiePath(url: URL): string {
  return /^\/(?!\/)[A-Za-z0-9/_.~%-]*$/.test(url.pathname) ? url.pathname : '/';
}

// Browsers say where a POST comes from; refuse other sites. Sec-Fetch-Site
// is the browser's own verdict (no page can forge it) and survives a proxy
// that rewrites the scheme or host, so it decides when present; Origin is
// only consulted for browsers without it. Clients sending neither still meet
// the CSRF token and the SameSite cookie.
function isCrossSite(request: Request, pageOrigin: string): boolean {
  const site = request.headers.get('sec-fetch-site');
  if (site !== null) return site !== 'same-origin' && site !== 'none';
  const origin = request.headers.get('origin');
  return origin !== null && origin !== 'null' && origin !== pageOrigin;
}

function describe(cause: unknown): string {
  return cause instanceof Error ? `${cause.name}: ${cause.message}` : 'unknown failure';
}
