import type { Signer } from '../../ports/account-store.js';
import { constantTimeEqual } from '../crypto/constant-time-equal.js';
import {
  type BodyTooLarge,
  type ErrorOf,
  errors,
  type InvalidInput,
  type InvalidKey,
  type InvalidKeyReason,
  type PortFailed,
} from '../errors.js';
import { type HeaderSource, headerValue } from '../headers.js';
import { isRecord } from '../is-record.js';
import { type KeyTerms, keyStanding } from '../lifecycle/key-standing.js';
import type { Principal } from '../principal.js';
import { err, errAsync, ok, type Result, ResultAsync } from '../result.js';
import { parseHttpDateMs } from '../signing/http-date.js';
import {
  bodyBytes,
  bodyMd5Base64,
  EMPTY_BODY_MD5,
  parseSpektrixAuthorization,
  signString,
  stringToSign,
} from '../signing/spektrix-signature.js';
import type { VerificationProbe } from '../telemetry/telemetry.js';
import { DEFAULT_TENANT, isTenant } from '../tenant.js';
import { usernameKeyOf } from '../validation/username.js';
import { admit, checkAdmission, compileAccess, costOf } from './admission.js';
import type { VerifyApiKeyError } from './bearer.js';
import { cachedVerification } from './cached-verification.js';
import type { VerificationContext } from './context.js';
import type { CachedVerdict } from './verdict.js';

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
  /**
   * The raw body bytes (or text, as sent in UTF-8); `undefined` for none. Or
   * a function that reads it, called only once the checks that need no body
   * pass (a stale or malformed request is refused unread); it may reject
   * with a `BodyTooLarge` error when it stops reading past a limit.
   */
  readonly body?:
    | string
    | Uint8Array
    | undefined
    | (() => Promise<string | Uint8Array | undefined>);
  /**
   * The client's IP address, for accounts with `allowedIps` (such an account
   * is refused without one).
   */
  readonly clientIp?: string | undefined;
  /** The tenant whose usernames the signer is looked up among. Default `'default'`. */
  readonly tenant?: string | undefined;
  /** What the call costs of the account's quota, as `VerifyOptions.cost`. Default 1. */
  readonly cost?: number | undefined;
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
  | VerifyApiKeyError
  | ErrorOf<'BodyTooLarge' | 'BodyUnreadable'>;

/** Keys the dummy HMAC for unknown users, so that they cost the verifier about as much as known ones. */
const DUMMY_SECRET = new Uint8Array(32);

/**
 * Verifies a `SpektrixAPI3` signed request. Cheap checks come first (header
 * shape, `Date` within the window, URL), so that malformed and
 * replayed-late requests never reach the store or cost a body read: a body
 * given as a function is read only once they pass. The signature is compared
 * in constant time; an inactive account is reported only for a valid
 * signature.
 */
export function verifySignedRequest(
  ctx: VerificationContext,
  request: unknown,
  probe?: VerificationProbe,
): ResultAsync<Principal, VerifySignedRequestError> {
  const { sealer } = ctx.ports;
  if (!sealer) return errAsync(errors.invalidKey('signing_not_configured'));
  const parsed = parseRequest(ctx, request);
  if (parsed.isErr()) return errAsync(parsed.error);
  const { value } = parsed;
  const usernameKey = usernameKeyOf(value.username);
  const verify = (body: string | Uint8Array | undefined) => {
    // The body's digest, once: the signature check and a refusal's stringToSign both use it.
    const bytes = bodyBytes(body);
    const bodyMd5 = bytes ? bodyMd5Base64(bytes) : undefined;
    return cachedVerification(
      ctx,
      {
        key: `signer:${value.tenant}:${usernameKey}`,
        now: value.now,
        load: () =>
          ctx.ports.store
            .findSigner(value.tenant, usernameKey)
            .andThen((signer) => signerVerdict(ctx, signer, sealer)),
        toVerdict: (verdict: CachedVerdict) => verdict,
        decide: (verdict) => decide(ctx, verdict, value, bodyMd5),
      },
      probe,
    );
  };
  const { body } = request as Partial<SignedRequest>;
  if (body === undefined || typeof body === 'string' || body instanceof Uint8Array) {
    return verify(body);
  }
  if (typeof body !== 'function') return errAsync(errors.invalidKey('malformed_header'));
  return readBody(body, verify);
}

/**
 * Reads the body with the function given for it, then verifies. A reader
 * that throws, rejects or answers something else is `BodyUnreadable`, unless
 * it rejects with `BodyTooLarge` (a bounded read that stopped), answered as
 * it is. Native `then`s, not neverthrow's combinators: this is every signed
 * request a middleware verifies.
 */
function readBody(
  read: () => unknown,
  verify: (
    body: string | Uint8Array | undefined,
  ) => ResultAsync<Principal, VerifySignedRequestError>,
): ResultAsync<Principal, VerifySignedRequestError> {
  const unreadable = (cause: unknown): Result<Principal, VerifySignedRequestError> =>
    err(
      isRecord(cause) && cause['type'] === 'BodyTooLarge'
        ? (cause as unknown as BodyTooLarge)
        : errors.bodyUnreadable(cause),
    );
  const verified = Promise.resolve()
    .then(read)
    .then(
      (
        body,
      ):
        | PromiseLike<Result<Principal, VerifySignedRequestError>>
        | Result<Principal, VerifySignedRequestError> =>
        body === undefined || typeof body === 'string' || body instanceof Uint8Array
          ? verify(body)
          : unreadable(new TypeError('the body reader answered something else')),
      unreadable,
    );
  return new ResultAsync(verified);
}

/**
 * The answer for a verdict and a parsed request. A signature that matches
 * stops the search (the answer tells its sender it matched anyway); one that
 * does not is tried against two secrets, the account's current and previous
 * keys, or dummies in place of those it lacks, so that every refusal costs
 * the same whether the username exists, has a key, or is in a rotation.
 * `bodyMd5` is base64(md5) of the body as received, `undefined` without one.
 */
function decide(
  ctx: VerificationContext,
  verdict: CachedVerdict,
  request: ParsedRequest,
  bodyMd5: string | undefined,
): Result<Principal, VerifySignedRequestError> | ResultAsync<Principal, VerifySignedRequestError> {
  const signer = verdict.kind === 'signer' ? verdict : null;
  const secret = signer && signer.secret instanceof Uint8Array ? signer.secret : null;
  const previous = signer?.previous ?? null;
  // Every refusal of the signature itself carries the same thing: what the server signed.
  const refused = (reason: InvalidKeyReason) =>
    err(errors.invalidKey(reason, serverStringToSign(request, bodyMd5)));
  const terms: KeyTerms | null =
    signatureMatches(secret ?? DUMMY_SECRET, request, bodyMd5) && signer && secret
      ? { keyState: 'current', endsAt: signer.expiresAt, supersededAt: null }
      : signatureMatches(previous?.secret ?? DUMMY_SECRET, request, bodyMd5) && signer && previous
        ? { keyState: 'previous', endsAt: previous.endsAt, supersededAt: previous.supersededAt }
        : null;
  if (signer === null) return refused('unknown_user');
  if (terms === null) {
    return refused(signer.secret instanceof Uint8Array ? 'bad_signature' : signer.secret);
  }
  const standing = keyStanding(signer.accountId, terms, request.now, ctx.config.lifecycle);
  // The signature proves a key of this account: whatever comes next counts as its usage.
  if (standing.isErr()) {
    ctx.usage?.count(signer.accountId, request.now, false);
    // A previous key past its grace signs like any key the account no longer has.
    return standing.error.type === 'KeyExpired' ? err(standing.error) : refused('bad_signature');
  }
  const admitted = checkAdmission(ctx, signer, request.now, request.clientIp);
  if (admitted.isErr()) return err(admitted.error);
  return admit(ctx, signer, 'SpektrixAPI3', standing.value, request.now, request.cost);
}

interface ParsedRequest {
  /** The clock's reading, in ms, taken once per request. */
  readonly now: number;
  readonly clientIp: string | undefined;
  readonly tenant: string;
  readonly cost: number;
  readonly method: string;
  readonly url: string;
  readonly date: string;
  readonly username: string;
  readonly signature: string;
}

function parseRequest(
  ctx: VerificationContext,
  request: unknown,
): Result<ParsedRequest, InvalidKey | InvalidInput | PortFailed> {
  const fields = (
    typeof request === 'object' && request !== null ? request : {}
  ) as Partial<SignedRequest>;
  const cost = costOf(fields);
  if (cost.isErr()) return err(cost.error);
  const { method, url, headers, clientIp, tenant = DEFAULT_TENANT } = fields;
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
    // A string that is no tenant id names a tenant with no accounts: looked up, and missed, like any other.
    tenant: isTenant(tenant) ? tenant : '',
    cost: cost.value,
    method,
    url: absolute,
    date,
    username: credentials.username,
    signature: credentials.signature,
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
function signatureMatches(
  secret: Uint8Array,
  request: ParsedRequest,
  bodyMd5: string | undefined,
): boolean {
  const { method, url, date, signature } = request;
  const signs = (line: string | undefined) =>
    constantTimeEqual(signString(secret, stringToSign(method, url, date, line)), signature);
  // A match may end the search: it is the one outcome whose answer says so anyway.
  if (bodyMd5 === undefined) return signs(undefined) || signs(EMPTY_BODY_MD5);
  return signs(bodyMd5) || (UNSIGNED_BODY_METHODS.has(method.toUpperCase()) && signs(undefined));
}

/**
 * The string the server signs for a request, for a partner to compare with
 * theirs: for GET and HEAD without a body line whatever the body (clients
 * send bodies there that they do not sign); otherwise with the body's MD5
 * line when there is a body, else without one (the empty body's MD5 line is
 * accepted too).
 */
function serverStringToSign(request: ParsedRequest, bodyMd5: string | undefined): string {
  const { method, url, date } = request;
  const signsBody = !UNSIGNED_BODY_METHODS.has(method.toUpperCase());
  return stringToSign(method, url, date, signsBody ? bodyMd5 : undefined);
}

/** Methods whose bodies clients send without signing them. */
const UNSIGNED_BODY_METHODS = new Set(['GET', 'HEAD']);

/**
 * What the store said about the username, with the secrets unsealed. Every
 * uncached answer costs two unseals: the current key's and a rotation's
 * previous key's, with a decoy unsealed in place of each one the username
 * lacks (unknown, no key yet, no rotation), so that timing does not tell
 * which usernames exist or which are in a rotation.
 */
function signerVerdict(
  ctx: VerificationContext,
  found: Signer | null,
  sealer: NonNullable<VerificationContext['ports']['sealer']>,
): ResultAsync<CachedVerdict, PortFailed> {
  // An unknown username's verdict is built by the same steps as a keyless one's, then labelled unknown.
  const signer = found ?? NOBODY;
  const current: ResultAsync<Uint8Array | 'no_key' | 'signing_unavailable', PortFailed> =
    signer.keyHash === null || signer.sealedSecret === null
      ? sealer.unsealDecoy().map(() => (signer.keyHash === null ? 'no_key' : 'signing_unavailable'))
      : sealer.unseal(signer.sealedSecret, signer.accountId);
  const { previous } = signer;
  // A previous key without a sealed secret cannot have signed anything: no previous key, for signing.
  const previousSecret: ResultAsync<Uint8Array | null, PortFailed> =
    previous?.sealedSecret != null
      ? sealer.unseal(previous.sealedSecret, signer.accountId)
      : sealer.unsealDecoy().map(() => null);
  return current
    .andThen((secret) =>
      previousSecret.map(
        (previousOpened): CachedVerdict => ({
          kind: 'signer',
          accountId: signer.accountId,
          tenant: signer.tenant,
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
    )
    .map((verdict) =>
      // An unknown username may be created, renamed to or claimed on any account: any change ends this verdict.
      found ? verdict : { kind: 'unknown', dropOnAnyChange: true },
    );
}

/** Who an unknown username's verdict is built for: an account with no key, nowhere. */
const NOBODY: Signer = {
  accountId: 'acct_nobody000000000000000',
  tenant: '',
  username: '',
  active: false,
  keyHash: null,
  sealedSecret: null,
  keyExpiresAt: null,
  previous: null,
  access: { scopes: null, allowedIps: [], rateLimit: null, quota: null },
};
