import { errors, type InvalidInput } from '../errors.js';
import { err, ok, type Result } from '../result.js';
import { latin1BytesOfText } from './header-bytes.js';
import {
  bodyBytes,
  bodyMd5Base64,
  SPEKTRIX_SCHEME,
  signString,
  stringToSign,
} from './spektrix-signature.js';

/**
 * An outbound request to sign, as a partner's client makes it.
 *
 * @example
 * ```ts
 * const request: RequestToSign = {
 *   method: 'POST', url: 'https://system.spektrix.com/acme/api/v3/customers',
 *   body: JSON.stringify({ name: 'test' }), username: 'ACME', apiKey,
 * };
 * ```
 */
export interface RequestToSign {
  readonly method: string;
  /** The full absolute URL with its query string, exactly as it will be sent. */
  readonly url: string;
  /** The exact bytes (or text, sent as UTF-8) of the body; omit for none. */
  readonly body?: string | Uint8Array;
  readonly username: string;
  /** The API key as issued (standard base64). */
  readonly apiKey: string;
  /** When the request is made: a `Date` (formatted as RFC 1123), or a string used verbatim. Default now. */
  readonly date?: Date | string;
}

/**
 * The headers to send with a signed request.
 *
 * @example
 * ```ts
 * fetch(url, { method, body, headers: { Authorization: signed.authorization, Date: signed.date } });
 * ```
 */
export interface SignedHeaders {
  /**
   * `SpektrixAPI3 <username>:<signature>`. A non-ASCII username appears as its
   * UTF-8 bytes, one character per byte, ready for Fetch `Headers` or Node's
   * `http`, which send such a string byte for byte.
   */
  readonly authorization: string;
  /** The `Date` header the signature covers; send it unchanged. */
  readonly date: string;
}

/**
 * Signs an outbound request the `SpektrixAPI3` way, for partners calling a
 * box office. A bodiless request gets no MD5 line. Synchronous: it answers a
 * `Result` (awaiting it, as before, still works).
 *
 * @example
 * ```ts
 * import { signRequest } from 'api-accounts';
 *
 * const signed = signRequest({ method: 'GET', url, username: 'ACME', apiKey }); // synchronous
 * if (signed.isOk()) {
 *   await fetch(url, { headers: { Authorization: signed.value.authorization, Date: signed.value.date } });
 * }
 * ```
 */
export function signRequest(request: RequestToSign): Result<SignedHeaders, InvalidInput> {
  const { method, url, username, apiKey, body } = request ?? ({} as Partial<RequestToSign>);
  if (typeof method !== 'string' || !/^[A-Za-z]{1,16}$/.test(method)) {
    return err(errors.invalidInput('method', 'method must be an HTTP method such as GET or POST.'));
  }
  if (typeof url !== 'string' || !/^https?:\/\/\S+$/.test(url)) {
    return err(
      errors.invalidInput('url', 'url must be the full absolute http(s) URL the request goes to.'),
    );
  }
  if (typeof username !== 'string' || username.length === 0 || username.includes(':')) {
    return err(
      errors.invalidInput(
        'username',
        'username must be the API account username (it cannot contain ":").',
      ),
    );
  }
  if (
    typeof apiKey !== 'string' ||
    !/^[A-Za-z0-9+/]+={0,2}$/.test(apiKey) ||
    apiKey.length % 4 !== 0
  ) {
    return err(errors.invalidInput('apiKey', 'apiKey must be the base64 API key as issued.'));
  }
  if (body !== undefined && typeof body !== 'string' && !(body instanceof Uint8Array)) {
    return err(errors.invalidInput('body', 'body must be a string, a Uint8Array, or left out.'));
  }
  const date = formatDate(request.date);
  if (date === null) {
    return err(
      errors.invalidInput('date', 'date must be a valid Date or an RFC 1123 date string.'),
    );
  }
  const bytes = bodyBytes(body);
  const text = stringToSign(method, url, date, bytes ? bodyMd5Base64(bytes) : undefined);
  const signature = signString(Buffer.from(apiKey, 'base64'), text);
  return ok({
    authorization: `${SPEKTRIX_SCHEME} ${latin1BytesOfText(username)}:${signature}`,
    date,
  });
}

function formatDate(date: Date | string | undefined): string | null {
  if (date === undefined) return new Date().toUTCString();
  if (typeof date === 'string') return /^[\x20-\x7e]{1,64}$/.test(date) ? date : null;
  return date instanceof Date && !Number.isNaN(date.getTime()) ? date.toUTCString() : null;
}
