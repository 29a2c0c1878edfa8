import type { Route } from './routes.js';
import { ref, SCHEMAS } from './schemas.js';

const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: ref('Problem') } },
});

/** Answers every route can give, whatever it does. */
const COMMON_ERRORS = {
  '401': problem('No actor: the host did not recognise the caller'),
  '403': problem('Forbidden, or a cross-site request'),
  '413': problem('The body is larger than the limit'),
  '415': problem('The body is not JSON'),
  '500': problem('A defect in the SDK'),
  '503': problem('The store or another port is unavailable; nothing was changed'),
};

const ERROR_DESCRIPTIONS: Readonly<Record<number, string>> = {
  404: 'No such account',
  409: 'The username or email is taken, or the change lost a race',
  400: 'The confirmation is missing',
  412: 'If-Match names another version than the current one',
  422: 'Invalid input, every invalid field listed',
};

/**
 * What the host says about its deployment in the OpenAPI document.
 *
 * @example
 * ```ts
 * const described: OpenApiOptions = {
 *   servers: [{ url: 'https://box-office.example' }],
 *   securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'sid' } },
 * };
 * ```
 */
export interface OpenApiOptions {
  /** The document's `servers`, such as `[{ url: 'https://box-office.example' }]`. */
  readonly servers?: readonly { readonly url: string; readonly description?: string }[];
  /**
   * How callers authenticate, as OpenAPI security schemes by name (a session
   * cookie, a bearer token): put in `components.securitySchemes`, and each
   * one accepted by the top-level `security`.
   */
  readonly securitySchemes?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}

/**
 * The OpenAPI 3.1 document of the admin API, made from the same route table
 * as the handler, for `basePath`.
 */
export function openApiDocument(
  routes: readonly Route[],
  basePath: string,
  options: OpenApiOptions = {},
) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const parameters = [
      ...(route.path.includes('{id}')
        ? [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }]
        : []),
      ...Object.entries(route.query ?? {}).map(([name, schema]) => ({
        name,
        in: 'query',
        required: false,
        schema,
      })),
      ...(route.method === 'PATCH' || route.conditional
        ? [
            {
              name: 'If-Match',
              in: 'header',
              required: false,
              description:
                'The ETag of the account as read; the change applies only to that version',
              schema: { type: 'string' },
            },
          ]
        : []),
    ];
    const success = {
      description: route.success.status === 201 ? 'Created' : 'OK',
      headers: {
        ETag: { description: "The account's version", schema: { type: 'string' } },
        ...(route.operationId === 'listAccounts'
          ? { Link: { description: 'rel="next": the next page', schema: { type: 'string' } } }
          : {}),
      },
      content: { 'application/json': { schema: ref(route.success.schema) } },
    };
    const operation = {
      operationId: route.operationId,
      summary: route.summary,
      ...(parameters.length > 0 ? { parameters } : {}),
      ...(route.body
        ? {
            requestBody: {
              required: !route.bodyOptional,
              content: { 'application/json': { schema: ref(route.body) } },
            },
          }
        : {}),
      responses: {
        [String(route.success.status)]: success,
        ...Object.fromEntries(
          route.errors.map((status) => [
            String(status),
            problem(ERROR_DESCRIPTIONS[status] ?? 'Refused'),
          ]),
        ),
        ...COMMON_ERRORS,
      },
    };
    const path = `${basePath}${route.path}`;
    paths[path] = { ...paths[path], [route.method.toLowerCase()]: operation };
  }
  const { servers, securitySchemes } = options;
  return {
    openapi: '3.1.0',
    info: {
      title: 'API accounts',
      version: '1',
      description:
        'The administration of API accounts (api-accounts): JSON in and out, errors as RFC 9457 problem details carrying the SDK error type.',
      license: { name: 'MIT', identifier: 'MIT' },
    },
    ...(servers ? { servers } : {}),
    ...(securitySchemes
      ? { security: Object.keys(securitySchemes).map((name) => ({ [name]: [] })) }
      : {}),
    paths,
    components: { schemas: SCHEMAS, ...(securitySchemes ? { securitySchemes } : {}) },
  };
}
