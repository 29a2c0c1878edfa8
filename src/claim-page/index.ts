/**
 * The secure page where a partner enters the SMS code and is shown the API key
 * once, as a Web-standard `Request → Response` handler.
 *
 * @example
 * ```ts
 * import { claimPage } from 'api-accounts/claim-page';
 * const page = claimPage(manager, { systemName: 'Riverside Theatre' });
 * // node:http, Express, Fastify, Hono…: hand it the request at your claimUrl's path.
 * ```
 *
 * @module api-accounts/claim-page
 */
export { type ClaimPageManager, claimPage } from './claim-page.js';
export type { ClaimPageOptions, ClaimPageTheme } from './options.js';
export type { RateLimit } from './rate-limit.js';
export { type ClaimPageTexts, defaultClaimPageTexts } from './texts.js';
