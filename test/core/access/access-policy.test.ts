import { describe, expect, it } from 'vitest';
import {
  accessFieldChecks,
  effectiveScopes,
  initialAccess,
  resolveAccess,
  setsAccess,
  validateQuota,
  validateRateLimit,
  validateScopes,
} from '../../../src/core/access/access-policy.js';

const access = resolveAccess({
  scopes: { 'customers:read': 'Read customers', 'orders:write': 'Create orders', 'x!~': 'Edge' },
  defaultScopes: ['customers:read', 'customers:read'],
});

const refusal = (result: { isErr(): boolean; _unsafeUnwrapErr(): unknown }) =>
  result._unsafeUnwrapErr() as { field: string; reason: string; message: string };

describe('the access policy', () => {
  it('resolves the options once: the vocabulary in order, default scopes without repeats', () => {
    expect(access).toEqual({
      vocabulary: ['customers:read', 'orders:write', 'x!~'],
      defaultScopes: ['customers:read'],
      rateLimit: null,
      quota: null,
    });
    expect(resolveAccess({})).toEqual({
      vocabulary: [],
      defaultScopes: [],
      rateLimit: null,
      quota: null,
    });
    const quota = { limit: 5, period: 'day' as const, extra: 1 };
    expect(resolveAccess({ quota }).quota).toEqual({ limit: 5, period: 'day' });
  });

  it.each([
    ['scopes that are not an object', { scopes: [] as never }, 'scopes must be an object'],
    ['a scope with a space', { scopes: { 'a b': '' } }, 'scope "a b" must be 1–64 printable'],
    ['a scope with a quote', { scopes: { 'a"b': '' } }, 'scope "a\\"b" must be'],
    ['a scope of 65 characters', { scopes: { ['s'.repeat(65)]: '' } }, 'must be 1–64'],
    ['default scopes not a list', { defaultScopes: 'a' as never }, 'defaultScopes must be a list'],
    [
      'an undeclared default scope',
      { scopes: { a: '' }, defaultScopes: ['a', 'b', 'c'] },
      '(unknown: b, c)',
    ],
    [
      'a rate limit past its bounds',
      { rateLimit: { limit: 0, windowMs: 1000 } },
      'rateLimit must be',
    ],
    ['a quota past its bounds', { quota: { limit: 1, period: 'week' as never } }, 'quota must be'],
  ])('refuses %s at construction', (_, options, message) => {
    expect(() => resolveAccess(options)).toThrow(TypeError);
    expect(() => resolveAccess(options)).toThrow(message);
  });

  it('takes declared scopes in the host order, once each, and names unknown ones', () => {
    expect(
      validateScopes(['orders:write', 'customers:read', 'orders:write'], access)._unsafeUnwrap(),
    ).toEqual(['customers:read', 'orders:write']);
    expect(validateScopes([], access)._unsafeUnwrap()).toEqual([]);
    expect(refusal(validateScopes('customers:read', access))).toMatchObject({
      field: 'scopes',
      reason: 'not_a_list',
      message: 'scopes must be a list of scope names.',
    });
    const unknown = refusal(
      validateScopes(['a', 'b', 'c', 'd', 'e', 'f', 7, `${'z'.repeat(80)}`], access),
    );
    expect(unknown).toMatchObject({ field: 'scopes', reason: 'unknown_scope' });
    expect(unknown.message).toBe(
      'Unknown scope "a", "b", "c", "d", "e" (declared: customers:read, orders:write, x!~).',
    );
    expect(refusal(validateScopes([7, 'z'.repeat(80)], access)).message).toBe(
      `Unknown scope [not text], "${'z'.repeat(64)}" (declared: customers:read, orders:write, x!~).`,
    );
    expect(refusal(validateScopes(['a'], resolveAccess({}))).message).toBe(
      'Unknown scope "a" (none are declared).',
    );
  });

  it('takes a rate limit of 1 to a million per whole seconds from 1 s to a day, or null', () => {
    for (const ok of [
      { limit: 1, windowMs: 1000 },
      { limit: 1_000_000, windowMs: 86_400_000 },
    ]) {
      expect(validateRateLimit({ ...ok, extra: true })._unsafeUnwrap()).toEqual(ok);
    }
    expect(validateRateLimit(null)._unsafeUnwrap()).toBeNull();
    for (const bad of [
      { limit: 0, windowMs: 1000 },
      { limit: 1_000_001, windowMs: 1000 },
      { limit: 1.5, windowMs: 1000 },
      { limit: '10', windowMs: 1000 },
      { limit: 10, windowMs: 999 },
      { limit: 10, windowMs: 86_401_000 },
      { limit: 10, windowMs: 1500 },
      {},
      'ten per second',
      undefined,
    ]) {
      expect(refusal(validateRateLimit(bad))).toMatchObject({
        field: 'rateLimit',
        reason: 'out_of_range',
        message:
          'rateLimit must be null or { limit, windowMs }: a limit of 1 to 1000000 per window of whole seconds from 1 s to 1 day (windowMs in ms).',
      });
    }
  });

  it('takes a quota of 1 to a trillion per day or month, or null', () => {
    for (const ok of [
      { limit: 1, period: 'day' },
      { limit: 1_000_000_000_000, period: 'month' },
    ]) {
      expect(validateQuota({ ...ok, extra: true })._unsafeUnwrap()).toEqual(ok);
    }
    expect(validateQuota(null)._unsafeUnwrap()).toBeNull();
    for (const bad of [
      { limit: 0, period: 'day' },
      { limit: 1_000_000_000_001, period: 'day' },
      { limit: 2.5, period: 'day' },
      { limit: '5', period: 'day' },
      { limit: 5, period: 'week' },
      { limit: 5 },
      42,
    ]) {
      expect(refusal(validateQuota(bad))).toMatchObject({
        field: 'quota',
        reason: 'out_of_range',
        message:
          "quota must be null or { limit, period }: a limit of 1 to 1000000000000 per 'day' or 'month' (UTC).",
      });
    }
  });

  it('checks only the access fields given, and says whether any was', () => {
    const left = accessFieldChecks({}, access).map((result) => result._unsafeUnwrap());
    expect(left).toEqual([undefined, undefined, undefined, undefined]);
    const given = accessFieldChecks(
      {
        scopes: ['orders:write'],
        allowedIps: ['203.0.113.0/24'],
        rateLimit: null,
        quota: { limit: 3, period: 'day' },
      },
      access,
    ).map((result) => result._unsafeUnwrap());
    expect(given).toEqual([
      ['orders:write'],
      ['203.0.113.0/24'],
      null,
      { limit: 3, period: 'day' },
    ]);
    expect(setsAccess({ username: 'a' })).toBe(false);
    expect(setsAccess(null)).toBe(false);
    for (const field of ['scopes', 'allowedIps', 'rateLimit', 'quota']) {
      expect(setsAccess({ [field]: null })).toBe(true);
    }
  });

  it('gives a new account the defaults for what it leaves out', () => {
    const none = {
      scopes: undefined,
      allowedIps: undefined,
      rateLimit: undefined,
      quota: undefined,
    };
    expect(initialAccess(none, access)).toEqual({
      scopes: ['customers:read'],
      allowedIps: [],
      rateLimit: null,
      quota: null,
    });
    // A host that declares no scopes stores none: the account holds whatever is declared later.
    expect(initialAccess(none, resolveAccess({})).scopes).toBeNull();
    expect(effectiveScopes(null, access)).toEqual(['customers:read', 'orders:write', 'x!~']);
    expect(effectiveScopes(['orders:write'], access)).toEqual(['orders:write']);
  });
});
