import { type ApiAccountError, statusOf } from '../core/errors.js';

/**
 * Refusals of the admin API itself, before any SDK method runs.
 *
 * @example
 * ```ts
 * const problem: AdminApiProblemType = 'PreconditionFailed'; // a stale If-Match
 * ```
 */
export type AdminApiProblemType =
  | 'Unauthenticated'
  | 'CrossSiteRequest'
  | 'MalformedBody'
  | 'BodyTooLarge'
  | 'UnsupportedMediaType'
  | 'NotFound'
  | 'MethodNotAllowed'
  | 'PreconditionFailed';

const OWN_STATUS: Record<AdminApiProblemType, number> = {
  Unauthenticated: 401,
  CrossSiteRequest: 403,
  MalformedBody: 400,
  BodyTooLarge: 413,
  UnsupportedMediaType: 415,
  NotFound: 404,
  MethodNotAllowed: 405,
  PreconditionFailed: 412,
};

/** `EmailTaken` → `Email taken`: the problem's title. */
function titleOf(type: string): string {
  const words = type.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** An RFC 9457 `application/problem+json` answer. */
function problemResponse(
  status: number,
  body: Record<string, unknown>,
  headers: Record<string, string> = {},
): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: {
      'content-type': 'application/problem+json',
      'cache-control': 'no-store',
      ...headers,
    },
  });
}

/**
 * The answer to an SDK error: its status, its `type` as the problem's type,
 * its message as the detail, and its own fields (never a `cause`) beside
 * them. `Conflict` is 412 when the client sent `If-Match`: its precondition
 * failed.
 */
export function errorProblem(
  error: ApiAccountError,
  ifMatchSent = false,
  headers: Record<string, string> = {},
): Response {
  const { type, message, ...fields } = error;
  const status = type === 'Conflict' && ifMatchSent ? 412 : statusOf(error);
  const { cause: _cause, ...shown } = fields as Record<string, unknown>;
  return problemResponse(
    status,
    { type, title: titleOf(type), status, detail: message, ...shown },
    type === 'RateLimited' || type === 'QuotaExceeded'
      ? { 'retry-after': String(Math.ceil(error.retryAfterMs / 1000)), ...headers }
      : headers,
  );
}

/** The answer to a refusal of the admin API's own. */
export function ownProblem(
  type: AdminApiProblemType,
  detail: string,
  headers: Record<string, string> = {},
): Response {
  const status = OWN_STATUS[type];
  return problemResponse(status, { type, title: titleOf(type), status, detail }, headers);
}
