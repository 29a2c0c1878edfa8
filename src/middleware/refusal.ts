import { type InvalidKeyReason, statusOf } from '../core/errors.js';
import { type HeaderSource, headerValue } from '../core/headers.js';
import type { AuthenticateOptions, AuthenticationError } from './authenticate.js';
import { rateLimitHeaders } from './principal-headers.js';
import { type RefusalMessages, refusalMessages } from './refusal-messages.js';

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
  /** The error's own, from the one table of errors (`statusOf`). */
  readonly status: number;
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
const SIGNED_MESSAGES: Partial<Record<InvalidKeyReason, SimpleMessage>> = {
  malformed_header: 'malformedHeader',
  missing_date: 'missingDate',
  malformed_date: 'malformedDate',
  stale_date: 'staleDate',
};

const NO_STORE = { 'cache-control': 'no-store' };

/**
 * The answer to a failure of a request that tried `scheme`, in `messages`.
 * The challenge's `error_description` is always the English text: RFC 6750
 * allows only printable ASCII there, and it is for developers' tools.
 */
function answerFor(
  error: AuthenticationError,
  scheme: AttemptedScheme,
  messages: RefusalMessages,
  realm = 'api',
  explainSignatureFailures = false,
): Refusal {
  const english = refusalMessages.en;
  const bearer = (description: string) =>
    `Bearer realm="${realm}", error="invalid_token", error_description="${description.replace(/"/g, "'")}"`;
  const signed = `SpektrixAPI3 realm="${realm}"`;
  const status = statusOf(error);
  const unauthorized = (code: string, text: SimpleMessage): Refusal => ({
    status,
    headers: {
      ...NO_STORE,
      'www-authenticate': scheme === 'SpektrixAPI3' ? signed : bearer(english[text]),
    },
    body: { error: code, message: messages[text] },
  });
  const plain = (code: string, message: string, extra = {}): Refusal => ({
    status,
    headers: { ...NO_STORE, ...extra },
    body: { error: code, message },
  });
  switch (error.type) {
    case 'MissingCredentials':
      return plain('missing_credentials', messages.missingCredentials, {
        'www-authenticate': `Bearer realm="${realm}", ${signed}`,
      });
    case 'InvalidKey': {
      if (scheme === 'SpektrixAPI3') {
        const text = SIGNED_MESSAGES[error.reason];
        if (text) return unauthorized('invalid_request', text);
        const refused = unauthorized('invalid_signature', 'invalidSignature');
        return explainSignatureFailures && error.stringToSign !== undefined
          ? { ...refused, body: { ...refused.body, stringToSign: error.stringToSign } }
          : refused;
      }
      return unauthorized(
        'invalid_token',
        error.reason === 'unknown_key' ? 'invalidToken' : 'malformedKey',
      );
    }
    case 'KeyExpired':
      return unauthorized('key_expired', 'keyExpired');
    case 'AccountInactive':
      // Only a holder of valid credentials gets this far, so saying so reveals nothing to others.
      return unauthorized('account_inactive', 'accountInactive');
    case 'InsufficientScope': {
      // RFC 6750 §3.1; the same parameters on the SpektrixAPI3 challenge for signed requests.
      const challenge = `realm="${realm}", error="insufficient_scope", scope="${error.required.join(' ')}"`;
      return plain('insufficient_scope', messages.insufficientScope(error.missing), {
        'www-authenticate':
          scheme === 'SpektrixAPI3' ? `SpektrixAPI3 ${challenge}` : `Bearer ${challenge}`,
      });
    }
    case 'IpNotAllowed':
      return plain('ip_not_allowed', messages.ipNotAllowed);
    case 'RateLimited': {
      const retryAfter = Math.max(1, Math.ceil(error.retryAfterMs / 1000));
      return plain(
        'rate_limited',
        messages.rateLimited(error.limit, error.windowMs / 1000, retryAfter),
        {
          'retry-after': String(retryAfter),
          ...rateLimitHeaders({ ...error, remaining: 0, resetAfterMs: retryAfter * 1000 }),
        },
      );
    }
    case 'QuotaExceeded': {
      const retryAfter = Math.max(1, Math.ceil(error.retryAfterMs / 1000));
      return plain(
        'quota_exceeded',
        messages.quotaExceeded(error.limit, error.period, error.resetsAt),
        {
          'retry-after': String(retryAfter),
        },
      );
    }
    case 'BodyTooLarge':
      return plain('body_too_large', messages.bodyTooLarge(error.limit));
    case 'BodyUnreadable':
      return plain('unreadable_body', messages.unreadableBody);
    case 'StoreUnavailable':
    case 'PortFailed':
    case 'InternalError':
      return plain('temporarily_unavailable', messages.temporarilyUnavailable, {
        'retry-after': '5',
      });
    // The host's own `cost` was wrong (the shims check theirs at start-up): its fault, not the client's.
    case 'InvalidInput':
      return { ...plain('server_error', messages.temporarilyUnavailable), status: 500 };
  }
}

/** The texts that are plain strings (not functions of the refusal's details). */
type SimpleMessage = {
  [K in keyof RefusalMessages]: RefusalMessages[K] extends string ? K : never;
}[keyof RefusalMessages];

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
   * Replace what clients are told: any of the texts, or a whole language
   * (`refusalMessages.de`). Default English.
   */
  readonly messages?: Partial<RefusalMessages>;
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
 * `error="insufficient_scope", scope="…"`, a refused address 403, a spent
 * rate limit 429 with `Retry-After` and the IETF `RateLimit-Policy` and
 * `RateLimit` headers, and a spent quota 429 `quota_exceeded` with
 * `Retry-After` until the next period. Unknown key, unknown user, missing key and bad
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
    options.messages ? { ...refusalMessages.en, ...options.messages } : refusalMessages.en,
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
