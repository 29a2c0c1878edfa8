/**
 * An admin HTTP API for hosts that want one: the manager's administrative
 * methods as a Web-standard `Request → Response` handler, with its OpenAPI
 * 3.1 document.
 *
 * @example
 * ```ts
 * import { adminApi } from 'api-accounts/admin-api';
 *
 * const api = adminApi(manager, { basePath: '/admin/api-accounts', actor: (request) => userOf(request) });
 * ```
 *
 * @module api-accounts/admin-api
 */
export { type AdminApiOptions, adminApi } from './admin-api.js';
export type { OpenApiOptions } from './openapi.js';
export type { AdminApiProblemType } from './problem.js';
