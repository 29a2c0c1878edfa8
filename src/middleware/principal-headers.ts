import type { Principal } from '../core/principal.js';

/** The policy name in the `RateLimit-Policy` and `RateLimit` headers: the budget is the account's. */
const POLICY = '"account"';

/**
 * The IETF httpapi RateLimit headers of a budget of `limit` per `windowMs`
 * with `remaining` left and the whole budget back (or, refused, the next
 * unit) in `resetAfterMs`: `RateLimit-Policy: "account";q=600;w=60` and
 * `RateLimit: "account";r=599;t=1`.
 */
export function rateLimitHeaders(status: {
  readonly limit: number;
  readonly windowMs: number;
  readonly remaining: number;
  readonly resetAfterMs: number;
}): Record<string, string> {
  return {
    'ratelimit-policy': `${POLICY};q=${status.limit};w=${Math.ceil(status.windowMs / 1000)}`,
    ratelimit: `${POLICY};r=${status.remaining};t=${Math.ceil(status.resetAfterMs / 1000)}`,
  };
}

/**
 * The headers an accepted request's answer carries about its key and its
 * budget: `Deprecation` (RFC 9745, `@` and seconds since the epoch) and
 * `Sunset` (RFC 8594) while the key is on the way out, and the RateLimit
 * headers while a rate limit applies. Empty when there is nothing to say.
 */
export function principalHeaders(principal: Principal): Record<string, string> {
  const { deprecatedAt, keyExpiresAt, rateLimit } = principal;
  if (!deprecatedAt && !rateLimit) return {};
  return {
    ...(deprecatedAt ? { deprecation: `@${Math.floor(deprecatedAt.getTime() / 1000)}` } : {}),
    ...(deprecatedAt && keyExpiresAt ? { sunset: keyExpiresAt.toUTCString() } : {}),
    ...(rateLimit ? rateLimitHeaders(rateLimit) : {}),
  };
}

/**
 * `response` with the principal's headers added; a copy when its headers
 * are immutable (a response passed through from `fetch`).
 */
export function withPrincipalHeaders(response: Response, principal: Principal): Response {
  const headers = Object.entries(principalHeaders(principal));
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
