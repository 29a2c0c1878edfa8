import type { AccountAccess } from '../../ports/account-store.js';
import type { QuotaPolicy } from '../../ports/quota-counter.js';
import type { RateLimitPolicy } from '../../ports/rate-limiter.js';
import { errors, type InvalidInput } from '../errors.js';
import { isRecord } from '../is-record.js';
import { err, ok, type Result } from '../result.js';
import { validateAllowedIps } from './allowed-ips.js';

/**
 * The host's access vocabulary and defaults, as given to the manager.
 *
 * @example
 * ```ts
 * const options: AccessOptions = {
 *   scopes: { 'customers:read': 'Read customer records', 'orders:write': 'Create orders' },
 *   defaultScopes: ['customers:read'],
 *   rateLimit: { limit: 600, windowMs: 60_000 },
 *   quota: { limit: 100_000, period: 'month' },
 * };
 * ```
 */
export interface AccessOptions {
  /** Every scope an account can hold, with what it allows (shown to administrators). */
  readonly scopes?: Readonly<Record<string, string>>;
  /** The scopes of an account created without any. Default none. */
  readonly defaultScopes?: readonly string[];
  /** The rate limit of accounts without their own. Default none: no limit. */
  readonly rateLimit?: RateLimitPolicy;
  /** The quota of accounts without their own: calls per UTC day or month. Default none. */
  readonly quota?: QuotaPolicy;
}

/** The access options checked once, at construction. */
export interface ResolvedAccess {
  /** The declared scopes, in the host's order. */
  readonly vocabulary: readonly string[];
  readonly defaultScopes: readonly string[];
  readonly rateLimit: RateLimitPolicy | null;
  readonly quota: QuotaPolicy | null;
}

/** RFC 6750's scope-token: printable ASCII without space, `"` or `\`. */
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]{1,64}$/;

/** The bounds of a rate limit: at most a million per window of whole seconds, from 1 s to 1 day. */
const MAX_LIMIT = 1_000_000;
const MIN_WINDOW_MS = 1_000;
const MAX_WINDOW_MS = 86_400_000;
/** The largest quota: a trillion units a period. */
const MAX_QUOTA = 1_000_000_000_000;

/**
 * Applies defaults and checks the access options; a misconfiguration throws
 * a `TypeError` naming the option, at start-up.
 */
export function resolveAccess(options: AccessOptions): ResolvedAccess {
  const declared = options.scopes ?? {};
  if (typeof declared !== 'object' || declared === null || Array.isArray(declared)) {
    throw new TypeError('ApiAccountManager: scopes must be an object of { name: description }');
  }
  const vocabulary = Object.keys(declared);
  for (const name of vocabulary) {
    if (!SCOPE_TOKEN.test(name)) {
      throw new TypeError(
        `ApiAccountManager: scope ${JSON.stringify(name)} must be 1–64 printable ASCII characters without spaces, quotes or backslashes`,
      );
    }
  }
  const defaultScopes: readonly unknown[] = options.defaultScopes ?? [];
  if (!Array.isArray(defaultScopes)) {
    throw new TypeError('ApiAccountManager: defaultScopes must be a list of declared scopes');
  }
  const unknown = defaultScopes.filter((scope) => !vocabulary.includes(scope as string));
  if (unknown.length > 0) {
    throw new TypeError(
      `ApiAccountManager: defaultScopes must be a list of declared scopes (unknown: ${unknown.map(String).join(', ')})`,
    );
  }
  const rateLimit = options.rateLimit ?? null;
  if (rateLimit !== null && validateRateLimit(rateLimit).isErr()) {
    throw new TypeError(
      `ApiAccountManager: rateLimit must be { limit: 1–${MAX_LIMIT}, windowMs: whole seconds from ${MIN_WINDOW_MS} to ${MAX_WINDOW_MS} ms }`,
    );
  }
  const quota = options.quota ?? null;
  if (quota !== null && validateQuota(quota).isErr()) {
    throw new TypeError(
      `ApiAccountManager: quota must be { limit: 1–${MAX_QUOTA}, period: 'day' | 'month' }`,
    );
  }
  return {
    vocabulary,
    defaultScopes: [...new Set(defaultScopes as string[])],
    rateLimit,
    quota: quota && { limit: quota.limit, period: quota.period },
  };
}

/**
 * An account's scopes as given: a list of declared scopes, kept in the host's
 * order without duplicates.
 */
export function validateScopes(
  input: unknown,
  access: ResolvedAccess,
): Result<string[], InvalidInput> {
  if (!Array.isArray(input)) {
    return err(
      errors.invalidInput('scopes', 'scopes must be a list of scope names.', 'not_a_list'),
    );
  }
  const unknown = (input as unknown[]).filter(
    (scope) => typeof scope !== 'string' || !access.vocabulary.includes(scope),
  );
  if (unknown.length > 0) {
    const named = unknown
      .slice(0, 5)
      .map((scope) =>
        typeof scope === 'string' ? JSON.stringify(scope.slice(0, 64)) : '[not text]',
      )
      .join(', ');
    const known =
      access.vocabulary.length === 0
        ? 'none are declared'
        : `declared: ${access.vocabulary.join(', ')}`;
    return err(
      errors.invalidInput('scopes', `Unknown scope ${named} (${known}).`, 'unknown_scope'),
    );
  }
  return ok(access.vocabulary.filter((scope) => input.includes(scope)));
}

/**
 * A rate limit as given: `null` (the default), or whole numbers within
 * bounds.
 */
export function validateRateLimit(input: unknown): Result<RateLimitPolicy | null, InvalidInput> {
  if (input === null) return ok(null);
  const { limit, windowMs } = (typeof input === 'object' ? input : {}) as Record<string, unknown>;
  const whole = (n: unknown, min: number, max: number): n is number =>
    typeof n === 'number' && Number.isSafeInteger(n) && n >= min && n <= max;
  // Whole seconds: the RateLimit-Policy header states the window in seconds.
  if (
    !whole(limit, 1, MAX_LIMIT) ||
    !whole(windowMs, MIN_WINDOW_MS, MAX_WINDOW_MS) ||
    windowMs % 1000 !== 0
  ) {
    return err(
      errors.invalidInput(
        'rateLimit',
        `rateLimit must be null or { limit, windowMs }: a limit of 1 to ${MAX_LIMIT} per window of whole seconds from 1 s to 1 day (windowMs in ms).`,
        'out_of_range',
      ),
    );
  }
  return ok({ limit, windowMs });
}

/** A quota as given: `null` (the default), or a whole limit per UTC day or month. */
export function validateQuota(input: unknown): Result<QuotaPolicy | null, InvalidInput> {
  if (input === null) return ok(null);
  const { limit, period } = (typeof input === 'object' ? input : {}) as Record<string, unknown>;
  if (
    typeof limit !== 'number' ||
    !Number.isSafeInteger(limit) ||
    limit < 1 ||
    limit > MAX_QUOTA ||
    (period !== 'day' && period !== 'month')
  ) {
    return err(
      errors.invalidInput(
        'quota',
        `quota must be null or { limit, period }: a limit of 1 to ${MAX_QUOTA} per 'day' or 'month' (UTC).`,
        'out_of_range',
      ),
    );
  }
  return ok({ limit, period });
}

/**
 * The checks of the access fields of a create or update input, one result
 * each (`undefined` for a field left out), for validation to combine with
 * the other fields' so that every invalid field is reported at once.
 */
export function accessFieldChecks(
  fields: Readonly<Record<string, unknown>>,
  access: ResolvedAccess,
): readonly [
  Result<string[] | undefined, InvalidInput>,
  Result<string[] | undefined, InvalidInput>,
  Result<RateLimitPolicy | null | undefined, InvalidInput>,
  Result<QuotaPolicy | null | undefined, InvalidInput>,
] {
  const { scopes, allowedIps, rateLimit, quota } = fields;
  return [
    scopes === undefined ? ok(undefined) : validateScopes(scopes, access),
    allowedIps === undefined ? ok(undefined) : validateAllowedIps(allowedIps),
    rateLimit === undefined ? ok(undefined) : validateRateLimit(rateLimit),
    quota === undefined ? ok(undefined) : validateQuota(quota),
  ];
}

/** Whether `fields` set any of an account's access (scopes, allowed addresses, rate limit, quota). */
export function setsAccess(fields: unknown): boolean {
  return isRecord(fields) && ACCESS_FIELDS.some((field) => fields[field] !== undefined);
}

const ACCESS_FIELDS = ['scopes', 'allowedIps', 'rateLimit', 'quota'] as const;

/**
 * What a new account gets for the access fields left out: the default
 * scopes (none set while the host declares no scopes), anywhere, the default
 * rate limit.
 */
export function initialAccess(
  given: {
    readonly scopes: readonly string[] | undefined;
    readonly allowedIps: readonly string[] | undefined;
    readonly rateLimit: RateLimitPolicy | null | undefined;
    readonly quota: QuotaPolicy | null | undefined;
  },
  access: ResolvedAccess,
): AccountAccess {
  return {
    scopes: given.scopes ?? (access.vocabulary.length === 0 ? null : access.defaultScopes),
    allowedIps: given.allowedIps ?? [],
    rateLimit: given.rateLimit ?? null,
    quota: given.quota ?? null,
  };
}

/**
 * The scopes an account holds: its own, or, never set (made before scopes,
 * or while the host declared none), every declared scope: scopes only take
 * away, and such an account had everything.
 */
export function effectiveScopes(
  scopes: readonly string[] | null,
  access: ResolvedAccess,
): readonly string[] {
  return scopes ?? access.vocabulary;
}
