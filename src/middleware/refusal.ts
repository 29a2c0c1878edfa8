import type { InvalidKeyReason } from '../core/errors.js';
import { type HeaderSource, headerValue } from '../core/headers.js';
import type { AuthenticateOptions, AuthenticationError } from './authenticate.js';
import { rateLimitHeaders } from './principal-headers.js';

/**
 * An HTTP answer to a refused request: status, headers and a JSON body that
 * says what to fix, without telling whether a key or username exists.
 *
 * @example
 * ```ts
 * const { status, headers, body } = refusalFor(error, request.headers);
 * ```
 */
export interface Refusal {
  readonly status: 400 | 401 | 403 | 413 | 429 | 503;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: {
    readonly error: string;
    readonly message: string;
    /** With `explainSignatureFailures`: what the server signed, for a refused signature. */
    readonly stringToSign?: string;
  };
}

type AttemptedScheme = 'bearer' | 'SpektrixAPI3' | null;

/**
 * The scheme a request tried: `SpektrixAPI3` for a signed request, `bearer`
 * for a bearer or `X-API-Key` key, `null` for none.
 */
export function attemptedScheme(
  headers: HeaderSource,
  apiKeyHeader = 'x-api-key',
): AttemptedScheme {
  const authorization = headerValue(headers, 'authorization')?.trimStart().toLowerCase() ?? '';
  if (authorization.startsWith('spektrixapi3 ')) return 'SpektrixAPI3';
  if (authorization.startsWith('bearer ') || headerValue(headers, apiKeyHeader) !== null)
    return 'bearer';
  return null;
}

/** What a client may be told about each signed-request failure. Existence of a username is never among it. */
const SIGNED_MESSAGES: Partial<Record<InvalidKeyReason, string>> = {
  malformed_header:
    'The Authorization header must read: SpektrixAPI3 <username>:<base64 signature>.',
  missing_date: 'Send the Date header that the signature covers.',
  malformed_date:
    'The Date header must be an HTTP date (RFC 9110), such as Wed, 21 Oct 2020 07:28:00 GMT.',
  stale_date:
    "The Date header is too far from the server's clock; sign each request with the current time.",
};

const NO_STORE = { 'cache-control': 'no-store' };

/** The answer to a failure of a request that tried `scheme`. */
function answerFor(
  error: AuthenticationError,
  scheme: AttemptedScheme,
  realm = 'api',
  explainSignatureFailures = false,
): Refusal {
  const bearer = (description: string) =>
    `Bearer realm="${realm}", error="invalid_token", error_description="${description}"`;
  const signed = `SpektrixAPI3 realm="${realm}"`;
  const unauthorized = (code: string, message: string): Refusal => ({
    status: 401,
    headers: {
      ...NO_STORE,
      'www-authenticate': scheme === 'SpektrixAPI3' ? signed : bearer(message.replace(/"/g, "'")),
    },
    body: { error: code, message },
  });
  switch (error.type) {
    case 'MissingCredentials':
      return {
        status: 401,
        headers: { ...NO_STORE, 'www-authenticate': `Bearer realm="${realm}", ${signed}` },
        body: { error: 'missing_credentials', message: error.message },
      };
    case 'InvalidKey': {
      if (scheme === 'SpektrixAPI3') {
        const message = SIGNED_MESSAGES[error.reason];
        if (message) return unauthorized('invalid_request', message);
        const refused = unauthorized('invalid_signature', 'The signature could not be verified.');
        return explainSignatureFailures && error.stringToSign !== undefined
          ? { ...refused, body: { ...refused.body, stringToSign: error.stringToSign } }
          : refused;
      }
      return error.reason === 'unknown_key'
        ? unauthorized('invalid_token', 'The API key is not valid.')
        : unauthorized(
            'invalid_token',
            'The API key is malformed; check that it was copied whole.',
          );
    }
    case 'KeyExpired':
      return unauthorized(
        'key_expired',
        'This API key has expired; ask the box office for a new one.',
      );
    case 'AccountInactive':
      // Only a holder of valid credentials gets this far, so saying so reveals nothing to others.
      return unauthorized(
        'account_inactive',
        'This API account is switched off; ask the box office to switch it on.',
      );
    case 'InsufficientScope': {
      // RFC 6750 §3.1; the same parameters on the SpektrixAPI3 challenge for signed requests.
      const scope = error.required.join(' ');
      const challenge = `realm="${realm}", error="insufficient_scope", scope="${scope}"`;
      return {
        status: 403,
        headers: {
          ...NO_STORE,
          'www-authenticate':
            scheme === 'SpektrixAPI3' ? `SpektrixAPI3 ${challenge}` : `Bearer ${challenge}`,
        },
        body: { error: 'insufficient_scope', message: error.message },
      };
    }
    case 'IpNotAllowed':
      return {
        status: 403,
        headers: NO_STORE,
        body: {
          error: 'ip_not_allowed',
          message:
            "This API account may not be used from this address; ask the box office to add it to the account's allowed addresses.",
        },
      };
    case 'RateLimited': {
      const retryAfter = Math.max(1, Math.ceil(error.retryAfterMs / 1000));
      return {
        status: 429,
        headers: {
          ...NO_STORE,
          'retry-after': String(retryAfter),
          ...rateLimitHeaders({ ...error, remaining: 0, resetAfterMs: retryAfter * 1000 }),
        },
        body: {
          error: 'rate_limited',
          message: `Too many requests: this API account may make ${error.limit} per ${error.windowMs / 1000} s. Try again in ${retryAfter} s.`,
        },
      };
    }
    case 'BodyTooLarge':
      return {
        status: 413,
        headers: NO_STORE,
        body: { error: 'body_too_large', message: error.message },
      };
    case 'BodyUnreadable':
      return {
        status: 400,
        headers: NO_STORE,
        body: { error: 'unreadable_body', message: error.message },
      };
    case 'StoreUnavailable':
    case 'PortFailed':
    case 'InternalError':
      return {
        status: 503,
        headers: { ...NO_STORE, 'retry-after': '5' },
        body: {
          error: 'temporarily_unavailable',
          message: 'Authentication is unavailable; try again shortly.',
        },
      };
  }
}

/** A refusal as a Fetch `Response`. */
export function refusalResponse(refusal: Refusal): Response {
  return Response.json(refusal.body, { status: refusal.status, headers: refusal.headers });
}

/**
 * Options shared by every middleware: how credentials are read, the realm of
 * the challenge, and where refusals are reported for the host's logs.
 *
 * @example
 * ```ts
 * const options: MiddlewareOptions = { onRefused: ({ error }) => log.warn({ type: error.type, reason: 'reason' in error ? error.reason : undefined }) };
 * ```
 */
export interface MiddlewareOptions<Req = Request> extends AuthenticateOptions<Req> {
  /** The `realm` of `WWW-Authenticate` challenges. Default `api`. */
  readonly realm?: string;
  /**
   * Put in the 401 body of a refused `SpektrixAPI3` signature the string the
   * server signed (`stringToSign`: method, URL, Date, body digest; never a
   * secret), so a partner whose client builds it differently can see where,
   * as AWS SigV4 does. Off by default: it tells a caller the URL and Date the
   * server saw, which is harmless to a partner debugging its client but more
   * than a stranger needs. It never says whether the username exists (an
   * unknown user gets the same answer). `onRefused` always has it, in
   * `error.stringToSign`.
   */
  readonly explainSignatureFailures?: boolean;
  /**
   * Told of every refusal with its precise error (reasons such as
   * `unknown_user` or `stale_date` that the client is not told). Errors never
   * hold a key, code or token.
   */
  readonly onRefused?: (refusal: {
    readonly error: AuthenticationError;
    readonly response: Refusal;
  }) => void;
}

/**
 * What the client is told when authentication fails, reported to
 * `onRefused`; every shim sends what this returns, and a host with its own
 * framework can too. Bearer failures carry RFC 6750's
 * `WWW-Authenticate: Bearer … error="invalid_token"`; signed ones the
 * `SpektrixAPI3` challenge. A missing scope is 403 with
 * `error="insufficient_scope", scope="…"`, a refused address 403, and a spent
 * rate limit 429 with `Retry-After` and the IETF `RateLimit-Policy` and
 * `RateLimit` headers. Unknown key, unknown user, missing key and bad
 * signature all read the same; the precise reason is in `error`, for the
 * host's logs, never in the response.
 *
 * @example
 * ```ts
 * const result = await authenticate(manager, request);
 * if (result.isErr()) {
 *   const { status, headers, body } = refusalFor(result.error, request.headers);
 *   return Response.json(body, { status, headers });
 * }
 * ```
 */
export function refusalFor(
  error: AuthenticationError,
  headers: HeaderSource,
  options: MiddlewareOptions<never> = {},
): Refusal {
  const response = answerFor(
    error,
    attemptedScheme(headers, options.apiKeyHeader),
    options.realm,
    options.explainSignatureFailures,
  );
  try {
    options.onRefused?.({ error, response });
  } catch {
    // A failing logger must not turn a 401 into a crash.
  }
  return response;
}
