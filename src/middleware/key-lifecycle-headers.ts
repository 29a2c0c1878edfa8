import type { Principal } from '../core/principal.js';

/**
 * The headers that tell a partner its key is on the way out: `Deprecation`
 * (RFC 9745, a structured date: `@` and seconds since the epoch) from when it
 * was deprecated, and `Sunset` (RFC 8594, an HTTP date) when it stops
 * working. Empty for a key with nothing coming.
 *
 * @example
 * ```ts
 * keyLifecycleHeaders(principal); // { deprecation: '@1796112000', sunset: 'Tue, 01 Dec 2026 00:00:00 GMT' }
 * ```
 */
export function keyLifecycleHeaders(principal: Principal): Record<string, string> {
  const { deprecatedAt, keyExpiresAt } = principal;
  if (!deprecatedAt) return {};
  return {
    deprecation: `@${Math.floor(deprecatedAt.getTime() / 1000)}`,
    ...(keyExpiresAt ? { sunset: keyExpiresAt.toUTCString() } : {}),
  };
}

/**
 * `response` with the key lifecycle headers added; a copy when its headers
 * are immutable (a response passed through from `fetch`).
 */
export function withKeyLifecycleHeaders(response: Response, principal: Principal): Response {
  const headers = Object.entries(keyLifecycleHeaders(principal));
  if (headers.length === 0) return response;
  try {
    for (const [name, value] of headers) response.headers.set(name, value);
    return response;
  } catch {
    const copy = new Response(response.body, response);
    for (const [name, value] of headers) copy.headers.set(name, value);
    return copy;
  }
}
