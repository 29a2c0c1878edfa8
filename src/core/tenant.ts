import { errors, type InvalidInput } from './errors.js';
import { err, ok, type Result } from './result.js';

/**
 * The tenant of everything a single-tenant host has: accounts created without
 * one, actors without `tenants`, verifications that name none.
 */
export const DEFAULT_TENANT = 'default';

/** 1–64 characters of `A–Z a–z 0–9 . _ -`: safe in a URL path, a log line and an SQL literal. */
const TENANT_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;

/** Whether `value` is a tenant id as SPEC section 9 defines it. */
export function isTenant(value: unknown): value is string {
  return typeof value === 'string' && TENANT_PATTERN.test(value);
}

/** The tenant a call names: `undefined` is the default one; anything but a tenant id is `InvalidInput`. */
export function validateTenant(value: unknown): Result<string, InvalidInput> {
  if (value === undefined) return ok(DEFAULT_TENANT);
  return isTenant(value)
    ? ok(value)
    : err(
        errors.invalidInput(
          'tenant',
          'tenant must be 1–64 characters of letters, digits, ".", "_" and "-".',
        ),
      );
}
