/**
 * Verification in HTTP servers. The logic is one Web-standard function,
 * `authenticate(manager, request)`; `fetchAuth`, `expressAuth`, `fastifyAuth`
 * and `honoAuth` only translate. Framework packages are optional peer
 * dependencies: this entry point imports none of them.
 *
 * @example
 * ```ts
 * import express from 'express';
 * import { expressAuth, expressPrincipal } from 'api-accounts/middleware';
 *
 * const app = express();
 * app.use('/api', expressAuth(manager));
 * app.get('/api/v3/customers', (req, res) => res.json({ owner: expressPrincipal(res).username }));
 * ```
 *
 * @module api-accounts/middleware
 */

export type {
  BodyTooLarge,
  BodyUnreadable,
  InsufficientScope,
  MissingCredentials,
} from '../core/errors.js';
export {
  type AuthenticateOptions,
  type AuthenticationError,
  authenticate,
  authenticateParts,
  DEFAULT_MAX_BODY_BYTES,
  type RequestParts,
} from './authenticate.js';
export {
  type ExpressRequestLike,
  type ExpressResponseLike,
  expressAuth,
  expressPrincipal,
} from './express.js';
export {
  type FastifyInstanceLike,
  type FastifyReplyLike,
  type FastifyRequestLike,
  fastifyAuth,
  fastifyPrincipal,
} from './fastify.js';
export { fetchAuth } from './fetch.js';
export { type ApiAccountsEnv, type HonoContextLike, honoAuth } from './hono.js';
export { type MiddlewareOptions, type Refusal, refusalFor } from './refusal.js';
export { type RefusalMessages, refusalMessages } from './refusal-messages.js';
