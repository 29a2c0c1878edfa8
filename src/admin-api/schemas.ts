/**
 * The JSON Schemas (2020-12, as OpenAPI 3.1 uses) of what the admin API
 * takes and answers: the components of its OpenAPI document, and what the
 * tests check every real answer against.
 */

type Schema = Readonly<Record<string, unknown>>;

const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
const dateTime = { type: 'string', format: 'date-time' } as const;
const nullable = (schema: Schema): Schema => ({ anyOf: [schema, { type: 'null' }] });
const strings = { type: 'array', items: { type: 'string' } } as const;
/** `{ items: [...] }`, as the history and usage answer. */
const listOf = (required: readonly string[], properties: Schema): Schema => ({
  type: 'object',
  required: ['items'],
  properties: { items: { type: 'array', items: { type: 'object', required, properties } } },
});

const rateLimit: Schema = {
  type: 'object',
  required: ['limit', 'windowMs'],
  properties: { limit: { type: 'integer' }, windowMs: { type: 'integer' } },
};

const quota: Schema = {
  type: 'object',
  required: ['limit', 'period'],
  properties: { limit: { type: 'integer', minimum: 1 }, period: { enum: ['day', 'month'] } },
};

const delivery: Schema = {
  type: 'object',
  required: ['status'],
  properties: {
    status: { enum: ['sent', 'failed'] },
    error: ref('Problem'),
  },
};

/** Every named schema, for `components.schemas`. */
/** A tenant id (SPEC section 9). */
const tenant: Schema = { type: 'string', pattern: '^[A-Za-z0-9._-]{1,64}$' };

export const SCHEMAS: Readonly<Record<string, Schema>> = {
  ApiAccount: {
    type: 'object',
    required: [
      'id',
      'tenant',
      'username',
      'email',
      'phone',
      'active',
      'claimPending',
      'keyIssuedAt',
      'keyExpiresAt',
      'previousKeyEndsAt',
      'lastUsedAt',
      'scopes',
      'allowedIps',
      'rateLimit',
      'quota',
      'createdAt',
      'updatedAt',
      'version',
    ],
    properties: {
      id: { type: 'string' },
      tenant,
      username: { type: 'string' },
      email: { type: 'string' },
      phone: { type: 'string', description: 'E.164' },
      active: { type: 'boolean' },
      claimPending: { type: 'boolean' },
      keyIssuedAt: nullable(dateTime),
      keyExpiresAt: nullable(dateTime),
      previousKeyEndsAt: nullable(dateTime),
      lastUsedAt: nullable(dateTime),
      scopes: strings,
      allowedIps: strings,
      rateLimit: nullable(ref('RateLimit')),
      quota: nullable(ref('Quota')),
      createdAt: dateTime,
      updatedAt: dateTime,
      version: { type: 'integer', minimum: 1 },
    },
  },
  RateLimit: rateLimit,
  Quota: quota,
  QuotaStatus: nullable({
    type: 'object',
    description:
      "The account's quota (its own or the default) and this UTC period's use; null: none applies.",
    required: ['limit', 'period', 'used', 'resetsAt'],
    properties: {
      limit: { type: 'integer', minimum: 1 },
      period: { enum: ['day', 'month'] },
      used: { type: 'integer', minimum: 0 },
      resetsAt: dateTime,
    },
  }),
  AccountPage: {
    type: 'object',
    required: ['items', 'nextCursor', 'total'],
    properties: {
      items: { type: 'array', items: ref('ApiAccount') },
      nextCursor: nullable({ type: 'string' }),
      total: { type: 'integer', minimum: 0 },
    },
  },
  ClaimIssued: {
    type: 'object',
    required: ['account', 'claim', 'delivery'],
    properties: {
      account: ref('ApiAccount'),
      claim: { type: 'object', required: ['expiresAt'], properties: { expiresAt: dateTime } },
      delivery: {
        type: 'object',
        required: ['sms', 'email'],
        properties: { sms: delivery, email: delivery },
      },
    },
  },
  History: listOf(['type', 'accountId', 'tenant', 'actorId', 'at'], {
    type: { type: 'string' },
    accountId: { type: 'string' },
    tenant,
    actorId: nullable({ type: 'string' }),
    at: dateTime,
    fields: strings,
    until: dateTime,
    changes: { type: 'object' },
  }),
  Usage: listOf(['day', 'accepted', 'refused'], {
    day: { type: 'string', format: 'date' },
    accepted: { type: 'integer', minimum: 0 },
    refused: { type: 'integer', minimum: 0 },
  }),
  AccountInput: {
    type: 'object',
    required: ['username', 'email', 'phone'],
    properties: {
      tenant,
      username: { type: 'string' },
      email: { type: 'string' },
      phone: { type: 'string', description: 'International form, e.g. +447894123456' },
      scopes: strings,
      allowedIps: strings,
      rateLimit: nullable(rateLimit),
      quota: nullable(quota),
    },
  },
  AccountPatch: {
    type: 'object',
    properties: {
      username: { type: 'string' },
      email: { type: 'string' },
      phone: { type: 'string' },
      active: { type: 'boolean' },
      scopes: strings,
      allowedIps: strings,
      rateLimit: nullable(rateLimit),
      quota: nullable(quota),
    },
  },
  AccountDeleted: {
    type: 'object',
    required: ['accountId', 'deletedAt'],
    properties: { accountId: { type: 'string' }, deletedAt: dateTime },
  },
  Confirmation: {
    type: 'object',
    required: ['confirm'],
    properties: {
      confirm: { const: true },
      graceMs: { type: 'integer', description: 'rotate only' },
      maxGraceMs: { type: 'integer', description: 'rotate only' },
    },
  },
  Problem: {
    type: 'object',
    description:
      'RFC 9457 problem details. `type` is the SDK error type (a relative URI reference), such as EmailTaken; the error’s own fields are members beside it.',
    required: ['type', 'title', 'status', 'detail'],
    properties: {
      type: { type: 'string' },
      title: { type: 'string' },
      status: { type: 'integer' },
      detail: { type: 'string' },
    },
  },
};

export { ref };
