import type { Signer } from '../../ports/account-store.js';
import { admit, checkAdmission, compileAccess } from '../access/admission.js';
import { constantTimeEqual } from '../crypto/constant-time-equal.js';
import {
  type AccountInactive,
  errors,
  type InternalError,
  type InvalidKey,
  type InvalidKeyReason,
  type IpNotAllowed,
  type KeyExpired,
  type PortFailed,
  type RateLimited,
  type StoreUnavailable,
} from '../errors.js';
import { type HeaderSource, headerValue } from '../headers.js';
import { type KeyTerms, keyStanding } from '../lifecycle/key-standing.js';
import type { Principal } from '../principal.js';
import { err, errAsync, ok, okAsync, type Result, type ResultAsync } from '../result.js';
import { parseHttpDateMs } from '../signing/http-date.js';
import {
  bodyBytes,
  bodyMd5Base64,
  EMPTY_BODY_MD5,
  parseSpektrixAuthorization,
  signString,
  stringToSign,
} from '../signing/spektrix-signature.js';
import { usernameKeyOf } from '../validation/username.js';
import type { CachedVerdict } from '../verification-cache.js';
import { cachedVerification } from './cached-verification.js';
import type { OperationContext } from './operation-context.js';

/**
 * A request as received, for `verifySignedRequest`.
 *
 * @example
 * ```ts
 * const signed: SignedRequest = { method: req.method, url: fullUrl, headers: req.headers, body: rawBody };
 * ```
 */
export interface SignedRequest {
  readonly method: string;
  /** The full absolute URL with its query string as the client sent it; a path will do with `publicBaseUrl`. */
  readonly url: string;
  readonly headers: HeaderSource;
  /** The raw body bytes (or text, as sent in UTF-8); `undefined` for none. */
  readonly body?: string | Uint8Array | undefined;
  /**
   * The client's IP address, for accounts with `allowedIps` (such an account
   * is refused without one).
   */
  readonly clientIp?: string | undefined;
}

/**
 * Errors `verifySignedRequest` can return.
 *
 * @example
 * ```ts
 * const onError = (error: VerifySignedRequestError) => log.info({ type: error.type });
 * ```
 */
export type VerifySignedRequestError =
  | InvalidKey
  | KeyExpired
  | AccountInactive
  | IpNotAllowed
  | RateLimited
  | StoreUnavailable
  | PortFailed
  | InternalError;

/** Keys the dummy HMAC for unknown users, so that they cost the verifier about as much as known ones. */
const DUMMY_SECRET = new Uint8Array(32);

/**
 * Verifies a `SpektrixAPI3` signed request. Cheap checks come
 * first (header shape, `Date` within the window, URL) so that malformed and
 * replayed-late requests never reach the store. The signature is compared in
 * constant time; an inactive account is reported only for a valid signature.
 */
export function verifySignedRequest(
  ctx: OperationContext,
  request: unknown,
): ResultAsync<Principal, VerifySignedRequestError> {
  const prepared = prepareSignedRequest(ctx, request);
  if (prepared.isErr()) return errAsync(prepared.error);
  return prepared.value((request as Partial<SignedRequest>).body);
}

/**
 * Where a manager (or anything verifying like one) offers
 * {@link prepareSignedRequest} to the middleware: a registered symbol, so a
 * second copy of the package in one process still finds it.
 *
 * @internal
 */
export const PREPARE_SIGNED_REQUEST = Symbol.for('api-accounts/prepare-signed-request');

/**
 * The checks of a signed request that need no body (header shape, `Date`
 * within the window, URL), done at once; on success, the rest of the
 * verification, waiting for the body. Middleware runs this before reading a
 * body, so a stale or malformed request never costs a body read.
 */
export function prepareSignedRequest(
  ctx: OperationContext,
  request: unknown,
): Result<
  (body: SignedRequest['body']) => ResultAsync<Principal, VerifySignedRequestError>,
  VerifySignedRequestError
> {
  const { sealer } = ctx.ports;
  if (!sealer) return err(errors.invalidKey('signing_not_configured'));
  const parsed = parseRequest(ctx, request);
  if (parsed.isErr()) return err(parsed.error);
  const { value } = parsed;
  const usernameKey = usernameKeyOf(value.username);
  return ok((body) => {
    if (body !== undefined && typeof body !== 'string' && !(body instanceof Uint8Array)) {
      return errAsync(errors.invalidKey('malformed_header'));
    }
    // The body's digest, once: the signature check and a refusal's stringToSign both use it.
    const bytes = bodyBytes(body);
    const withBody = { ...value, bodyMd5: bytes ? bodyMd5Base64(bytes) : undefined };
    return cachedVerification(ctx, {
      key: `signer:${usernameKey}`,
      now: value.now,
      load: () =>
        ctx.ports.store
          .findSigner(usernameKey)
          .andThen((signer) => signerVerdict(ctx, signer, sealer)),
      toVerdict: (verdict: CachedVerdict) => verdict,
      decide: (verdict) => decide(ctx, verdict, withBody),
    });
  });
}

/**
 * The answer for a verdict and a parsed request. The signature is computed
 * even for an unknown user (with a dummy secret), so that the answer takes
 * about as long whether the username exists or not.
 */
function decide(
  ctx: OperationContext,
  verdict: CachedVerdict,
  request: ParsedRequest,
): Result<Principal, VerifySignedRequestError> | ResultAsync<Principal, VerifySignedRequestError> {
  const secret =
    verdict.kind === 'signer' && verdict.secret instanceof Uint8Array ? verdict.secret : null;
  const matches = signatureMatches(secret ?? DUMMY_SECRET, request);
  // Every refusal of the signature itself carries the same thing: what the server signed.
  const refused = (reason: InvalidKeyReason) =>
    err(errors.invalidKey(reason, serverStringToSign(request)));
  if (verdict.kind !== 'signer') return refused('unknown_user');
  const { previous } = verdict;
  const terms: KeyTerms | null =
    secret !== null && matches
      ? { keyState: 'current', endsAt: verdict.expiresAt, supersededAt: null }
      : previous !== null && signatureMatches(previous.secret, request)
        ? { keyState: 'previous', endsAt: previous.endsAt, supersededAt: previous.supersededAt }
        : null;
  if (terms === null) {
    return refused(verdict.secret instanceof Uint8Array ? 'bad_signature' : verdict.secret);
  }
  const standing = keyStanding(verdict.accountId, terms, request.now, ctx.config.lifecycle);
  // The signature proves a key of this account: whatever comes next counts as its usage.
  if (standing.isErr()) {
    ctx.usage?.count(verdict.accountId, request.now, false);
    // A previous key past its grace signs like any key the account no longer has.
    return standing.error.type === 'KeyExpired' ? err(standing.error) : refused('bad_signature');
  }
  const admitted = checkAdmission(ctx, verdict, request.now, request.clientIp);
  if (admitted.isErr()) return err(admitted.error);
  return admit(ctx, verdict, 'SpektrixAPI3', standing.value, request.now);
}

interface ParsedRequest {
  /** The clock's reading, in ms, taken once per request. */
  readonly now: number;
  readonly clientIp: string | undefined;
  readonly method: string;
  readonly url: string;
  readonly date: string;
  readonly username: string;
  readonly signature: string;
  /** base64(md5(body)) of the body as received; `undefined` without one. */
  readonly bodyMd5: string | undefined;
}

function parseRequest(
  ctx: OperationContext,
  request: unknown,
): Result<Omit<ParsedRequest, 'bodyMd5'>, InvalidKey | PortFailed> {
  const fields = (
    typeof request === 'object' && request !== null ? request : {}
  ) as Partial<SignedRequest>;
  const { method, url, headers, clientIp } = fields;
  const authorization = headers ? headerValue(headers, 'authorization') : null;
  const credentials = authorization ? parseSpektrixAuthorization(authorization) : null;
  if (!credentials || typeof method !== 'string' || !/^[A-Za-z]{1,16}$/.test(method)) {
    return err(errors.invalidKey('malformed_header'));
  }
  const date = headers ? headerValue(headers, 'date') : null;
  if (date === null) return err(errors.invalidKey('missing_date'));
  const clock = ctx.ports.now();
  if (clock.isErr()) return err(clock.error);
  const now = clock.value.getTime();
  const instant = parseHttpDateMs(date, now);
  if (instant === null) return err(errors.invalidKey('malformed_date'));
  if (Math.abs(now - instant) > ctx.config.dateWindowMs) {
    return err(errors.invalidKey('stale_date'));
  }
  const absolute = signedUrl(typeof url === 'string' ? url : '', ctx.config.publicBaseUrl);
  if (absolute === null) return err(errors.invalidKey('relative_url'));
  return ok({
    now,
    clientIp: typeof clientIp === 'string' ? clientIp : undefined,
    method,
    url: absolute,
    date,
    ...credentials,
  });
}

/**
 * The URL the client signed: as given when absolute, or the public base URL
 * plus the request's path and query when one is configured (behind a proxy,
 * the app may see another host or scheme). Never re-encoded: the signature
 * covers the client's exact characters.
 */
function signedUrl(url: string, publicBaseUrl: string | null): string | null {
  if (url.length === 0 || url.length > 8192) return null;
  const authority = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#]*/.exec(url);
  if (publicBaseUrl === null) return authority ? url : null;
  const rest = authority ? url.slice(authority[0].length) : url;
  return publicBaseUrl + (rest.startsWith('/') || rest.startsWith('?') ? rest : `/${rest}`);
}

/**
 * Whether the request's signature is one the secret makes. Every line the
 * signature could cover is tried, each compared in constant time:
 *
 * - a request with a body: the body's MD5 line, as received; and for GET and
 *   HEAD also no body line at all, since clients send bodies they do not sign
 *   on those (one sends `{}` on every GET);
 * - a request without a body: no line, or the empty body's MD5 line, as
 *   clients disagree.
 */
function signatureMatches(secret: Uint8Array, request: ParsedRequest): boolean {
  const { method, url, date, bodyMd5, signature } = request;
  const candidates: (string | undefined)[] = bodyMd5
    ? [bodyMd5, ...(UNSIGNED_BODY_METHODS.has(method.toUpperCase()) ? [undefined] : [])]
    : [undefined, EMPTY_BODY_MD5];
  let matched = false;
  for (const bodyMd5 of candidates) {
    const expected = signString(secret, stringToSign(method, url, date, bodyMd5));
    // No early exit: every candidate costs the same whether an earlier one matched.
    matched = constantTimeEqual(expected, signature) || matched;
  }
  return matched;
}

/**
 * The string the server signs for a request, for a partner to compare with
 * theirs: with the body's MD5 line when there is a body, else without one
 * (the other forms accepted are the empty body's MD5 line, and for GET and
 * HEAD no line whatever the body).
 */
function serverStringToSign(request: ParsedRequest): string {
  const { method, url, date, bodyMd5 } = request;
  return stringToSign(method, url, date, bodyMd5);
}

/** Methods whose bodies clients send without signing them. */
const UNSIGNED_BODY_METHODS = new Set(['GET', 'HEAD']);

/**
 * What the store said about the username, with the secret unsealed. A signer
 * with nothing to unseal (unknown, or no key yet) unseals a decoy instead, so
 * that every uncached answer costs one unseal and timing does not tell which
 * usernames exist.
 */
function signerVerdict(
  ctx: OperationContext,
  signer: Signer | null,
  sealer: NonNullable<OperationContext['ports']['sealer']>,
): ResultAsync<CachedVerdict, PortFailed> {
  // An unknown username may be created, renamed to or claimed on any account: any change ends this verdict.
  if (!signer) return sealer.unsealDecoy().map(() => ({ kind: 'unknown', dropOnAnyChange: true }));
  const current: ResultAsync<Uint8Array | 'no_key' | 'signing_unavailable', PortFailed> =
    signer.keyHash === null || signer.sealedSecret === null
      ? sealer.unsealDecoy().map(() => (signer.keyHash === null ? 'no_key' : 'signing_unavailable'))
      : sealer.unseal(signer.sealedSecret, signer.accountId);
  const { previous } = signer;
  // A previous key without a sealed secret cannot have signed anything: no previous key, for signing.
  const previousSecret: ResultAsync<Uint8Array | null, PortFailed> =
    previous?.sealedSecret != null
      ? sealer.unseal(previous.sealedSecret, signer.accountId)
      : okAsync(null);
  return current.andThen((secret) =>
    previousSecret.map(
      (previousOpened): CachedVerdict => ({
        kind: 'signer',
        accountId: signer.accountId,
        username: signer.username,
        active: signer.active,
        secret,
        expiresAt: signer.keyExpiresAt?.getTime() ?? null,
        previous:
          previous && previousOpened
            ? {
                secret: previousOpened,
                endsAt: previous.endsAt.getTime(),
                supersededAt: previous.supersededAt.getTime(),
              }
            : null,
        access: compileAccess(signer.accountId, signer.access, ctx.config.access),
      }),
    ),
  );
}
