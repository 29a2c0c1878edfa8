/**
 * What a Node server received that a Web `Request` cannot hold: the request
 * target byte for byte (a `Request`'s URL is re-encoded: `'` becomes `%27`,
 * dot segments go), the body of a GET or HEAD (a `Request` may not have
 * one), and the client's address. `nodeListener` records them; `authenticate` checks a signature over
 * them, as the client signed what it sent.
 *
 * @module
 */

import { requestMark } from './request-mark.js';

/** The parts of an incoming request a `Request` built from it lost. */
export interface ReceivedAsSent {
  /** The request target as received: path and query, never re-encoded. */
  readonly target: string;
  /** The body of a GET or HEAD, as received; `undefined` for other methods. */
  readonly bodyWithoutRequest?: Uint8Array | undefined;
  /** The socket's remote address. */
  readonly clientAddress?: string | undefined;
}

/** What a Node bridge of this package built a `Request` from, kept on the `Request`. */
export const asReceived = requestMark<ReceivedAsSent>('api-accounts: as received');

/**
 * The client address of a request `nodeListener` built (the socket's
 * remote address), for the claim page's per-IP limit; the middleware's
 * `authenticate` and `fetchAuth` use it by default. `undefined` for any
 * other request. Behind a proxy, read the address your proxy sets instead.
 *
 * @example
 * ```ts
 * const page = claimPage(manager, { clientIp: clientAddress });
 * ```
 */
export function clientAddress(request: Request): string | undefined {
  return asReceived.get(request)?.clientAddress;
}
