import { createHmac, hash } from 'node:crypto';
import { isBase64Run } from '../crypto/base64.js';
import { textFromLatin1Bytes } from './header-bytes.js';

/**
 * The `SpektrixAPI3` signing scheme, as pure functions:
 *
 *     Authorization: SpektrixAPI3 <username>:<signature>
 *     signature    = base64(HMAC-SHA1(base64decode(key), utf8(stringToSign)))
 *     stringToSign = METHOD "\n" absoluteUrl "\n" DateHeader [ "\n" base64(md5(body)) ]
 *
 * @module
 */

/** The scheme name in the `Authorization` header. */
export const SPEKTRIX_SCHEME = 'SpektrixAPI3';

/**
 * A request body as given (text is signed as its UTF-8 bytes), or `undefined`
 * for none. An empty body counts as none.
 */
export function bodyBytes(body: string | Uint8Array | undefined): string | Uint8Array | undefined {
  // A string is hashed as UTF-8 where it is used; converting it here would copy it for nothing.
  if (body === undefined || body.length === 0) return undefined;
  return body;
}

/**
 * `base64(md5(body))` of the raw 16-byte digest (not its hex).
 */
export function bodyMd5Base64(body: string | Uint8Array): string {
  return hash('md5', body, 'base64');
}

/** The MD5 line of a bodiless request, for the clients that append it anyway. */
export const EMPTY_BODY_MD5 = bodyMd5Base64(new Uint8Array(0));

/**
 * The string a request's signature covers. `bodyMd5` is appended on its own
 * line when given.
 */
export function stringToSign(method: string, url: string, date: string, bodyMd5?: string): string {
  const head = `${method.toUpperCase()}\n${url}\n${date}`;
  return bodyMd5 === undefined ? head : `${head}\n${bodyMd5}`;
}

/**
 * `base64(HMAC-SHA1(secret, utf8(text)))`.
 */
export function signString(secret: Uint8Array, text: string): string {
  return createHmac('sha1', secret).update(text, 'utf8').digest('base64');
}

/**
 * The username and signature of a `SpektrixAPI3` Authorization header, or
 * `null` when the header is not one. The scheme name is matched without regard
 * to case (RFC 9110); the username is everything up to the first `:`, which
 * usernames cannot contain; the signature must be the base64 of 20 bytes.
 */
export function parseSpektrixAuthorization(
  header: string,
): { readonly username: string; readonly signature: string } | null {
  // Bounded: a header longer than any username and signature is not ours to parse.
  if (header.length > 512) return null;
  const space = header.indexOf(' ');
  if (space < 0 || header.slice(0, space).toLowerCase() !== SPEKTRIX_SCHEME.toLowerCase())
    return null;
  const credentials = header.slice(space + 1).trim();
  const colon = credentials.indexOf(':');
  if (colon <= 0) return null;
  // The header's wire form of a non-ASCII username is its UTF-8 bytes (Latin-1 understood too).
  const username = textFromLatin1Bytes(credentials.slice(0, colon));
  const signature = credentials.slice(colon + 1);
  if (!isBase64OfTwentyBytes(signature)) return null;
  return { username, signature };
}

/** Whether `text` is standard base64 of a 20-byte HMAC-SHA1: 27 characters and one `=`. */
function isBase64OfTwentyBytes(text: string): boolean {
  return text.length === 28 && text.charCodeAt(27) === 61 /* = */ && isBase64Run(text, 0, 27);
}
