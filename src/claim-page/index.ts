/**
 * The secure page where a partner enters the SMS code and is shown the API key
 * once, as a Web-standard `Request → Response` handler.
 *
 * @example
 * ```ts
 * import { claimPage } from 'api-accounts/claim-page';
 * const page = claimPage(manager, { systemName: 'Riverside Theatre' });
 * // Hono, or any framework that speaks Request/Response:
 * app.all('/api-access/claim', (c) => page(c.req.raw));
 * // node:http or Express:
 * expressApp.all('/api-access/claim', nodeListener(page));
 * ```
 *
 * @module api-accounts/claim-page
 */

export { clientAddress } from '../http/received-request.js';
export { type ClaimPageManager, claimPage } from './claim-page.js';
export { type NodeListenerOptions, nodeListener } from './node-listener.js';
export type { ClaimPageOptions, ClaimPageTheme } from './options.js';
export type { RateLimit } from './rate-limit.js';
export {
  type ClaimPageTexts,
  claimPageTexts,
  defaultClaimPageTexts,
  germanClaimPageTexts,
} from './texts.js';
