import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { DeliveryError } from 'api-accounts';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hideFromSerialisation, redactSecrets } from '../../src/core/redact-secrets.js';

const CODE = '482913';
const TOKEN = 'Zz-YtMclWNsPqairtry3sne_ipr9p5JP5Q0emleukCPM';

describe('redactSecrets', () => {
  it('masks fields named like secrets and text shaped like keys, tokens and codes', () => {
    const key = randomBytes(32).toString('base64');
    const token = randomBytes(32).toString('base64url');
    const redacted = redactSecrets({
      apiKey: 'anything',
      authorization: 'Bearer x',
      nested: { token: 't', note: `key ${key} token ${token} code 123456 phone +447894123456` },
      error: Object.assign(new Error(`bad key ${key}`), { code: 'ECONNRESET' }),
    });
    expect(redacted).toEqual({
      apiKey: '[redacted]',
      authorization: '[redacted]',
      nested: {
        token: '[redacted]',
        note: 'key [redacted] token [redacted] code [redacted] phone +447894123456',
      },
      error: { name: 'Error', message: 'bad key [redacted]', code: 'ECONNRESET' },
    });
    expect(redactSecrets(`ak_live_${'a'.repeat(49)}`)).toBe('[redacted]');
  });

  it('masks every claim token, including those that begin or end with - or _', () => {
    for (const edge of ['-', '_']) {
      const leading = `${edge}${'a'.repeat(42)}`;
      const trailing = `${'b'.repeat(42)}${edge}`;
      expect(redactSecrets(`token ${leading} then ${trailing}.`)).toBe(
        'token [redacted] then [redacted].',
      );
    }
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (bytes) => {
        const token = Buffer.from(bytes).toString('base64url');
        const key = Buffer.from(bytes).toString('base64');
        const out = redactSecrets(`claim?token=${token} key ${key}`);
        expect(out).not.toContain(token);
        expect(out).not.toContain(key);
      }),
      { numRuns: 2_000 },
    );
  });

  it('survives cycles, depth and huge strings', () => {
    const cyclic: Record<string, unknown> = { name: 'x' };
    cyclic['self'] = cyclic;
    expect(redactSecrets(cyclic)).toEqual({ name: 'x', self: '[circular]' });
    const deep = { a: { b: { c: { d: { e: { f: 1 } } } } } };
    expect(JSON.stringify(redactSecrets(deep))).toContain('[deep]');
    expect((redactSecrets('x'.repeat(100_000)) as string).length).toBeLessThan(2_100);
  });
});

describe('redactSecrets, value by value', () => {
  it('names functions and symbols, writes dates as ISO, hides bytes, keeps numbers and booleans', () => {
    expect(
      redactSecrets({
        f: () => 1,
        s: Symbol('x'),
        at: new Date('2026-11-28T12:00:00Z'),
        bytes: new Uint8Array([1, 2, 3]),
        n: 42,
        yes: true,
        nothing: null,
      }),
    ).toEqual({
      f: '[function]',
      s: '[symbol]',
      at: '2026-11-28T12:00:00.000Z',
      bytes: '[bytes]',
      n: 42,
      yes: true,
      nothing: null,
    });
  });

  it('keeps an error code that is a string or a number, and redacts the cause too', () => {
    const key = randomBytes(32).toString('base64');
    const numbered = Object.assign(new Error('x'), { code: 550 });
    const odd = Object.assign(new Error('x'), { code: { nested: true } });
    const caused = new Error('outer', { cause: new Error(`inner ${key}`) });
    expect(redactSecrets(numbered)).toEqual({ name: 'Error', message: 'x', code: 550 });
    expect(redactSecrets(odd)).toEqual({ name: 'Error', message: 'x', code: { nested: true } });
    expect(redactSecrets(caused)).toEqual({
      name: 'Error',
      message: 'outer',
      cause: { name: 'Error', message: 'inner [redacted]' },
    });
  });

  it('redacts inside arrays, keeps at most 50 items, and truncates long text', () => {
    const key = randomBytes(32).toString('base64');
    const list = redactSecrets(
      Array.from({ length: 60 }, (_, i) => (i === 0 ? key : i)),
    ) as unknown[];
    expect(list).toHaveLength(50);
    expect(list[0]).toBe('[redacted]');
    expect(list[1]).toBe(1);
    expect(redactSecrets('x'.repeat(2_000))).toBe('x'.repeat(2_000));
    expect(redactSecrets('x'.repeat(2_001))).toBe(`${'x'.repeat(2_000)}…`);
  });
});

describe('redactSecrets, with the secrets it knows', () => {
  it('replaces every occurrence in text, in an error, its fields and its cause', () => {
    expect(redactSecrets(`${CODE} and ${CODE}, ?x=${TOKEN}`, [CODE, TOKEN])).toBe(
      '[redacted] and [redacted], ?x=[redacted]',
    );
    const error = new DeliveryError({
      reason: 'rejected',
      retryable: false,
      provider: 'relay',
      status: 554,
      detail: `quoted ${CODE}`,
    });
    Object.assign(error, { cause: new Error(`link ${TOKEN}x`) });
    const clean = redactSecrets(error, [CODE, TOKEN]);
    expect(clean).toMatchObject({
      name: 'DeliveryError',
      message: 'relay: rejected: quoted [redacted]',
      reason: 'rejected',
      status: 554,
      cause: { message: 'link [redacted]x' },
    });
    expect(JSON.stringify(clean)).not.toMatch(new RegExp(`${CODE}|${TOKEN}`));
    expect(error.message).toContain(CODE); // the original is left alone
  });

  it('replaces a number or field name that holds a known code, and leaves other numbers', () => {
    expect(
      redactSecrets({ sent: Number(CODE), big: BigInt(CODE), other: 42, [CODE]: 'sent' }, [CODE]),
    ).toEqual({ sent: '[redacted]', big: '[redacted]', other: 42, '[redacted]': 'sent' });
    expect(redactSecrets({ x: 4.795232e-89 }, ['795232'])).toEqual({ x: '[redacted]' });
    expect(redactSecrets({ n: 10n }, [CODE])).toEqual({ n: '10' });
  });

  it('reads a getter that gives a secret away, and survives one that throws', () => {
    const error = Object.defineProperties(new Error('refused'), {
      body: { get: () => `body ${CODE}`, enumerable: true },
      broken: {
        enumerable: true,
        get: () => {
          throw new Error('no');
        },
      },
    });
    expect(redactSecrets(error, [CODE])).toEqual({
      name: 'Error',
      message: 'refused',
      body: 'body [redacted]',
      broken: undefined,
    });
  });

  it('never overflows the stack on a value nested a hundred thousand deep', () => {
    let nested: Record<string, unknown> = { note: CODE };
    for (let i = 0; i < 100_000; i++) nested = { next: nested };
    expect(JSON.stringify(redactSecrets(nested, [CODE]))).not.toContain(CODE);
  });

  it('never lets a known secret through, whatever the shape', () => {
    fc.assert(
      fc.property(fc.anything(), fc.stringMatching(/^[1-9]\d{5}$/), (value, code) => {
        const planted = { value, message: `x${code}x`, nested: [value, { sent: code }] };
        expect(JSON.stringify(redactSecrets(planted, [code]))).not.toContain(code);
      }),
      { numRuns: 300 },
    );
  });
});

describe('hideFromSerialisation', () => {
  it('keeps property access but hides secrets from JSON and inspect', () => {
    const key = randomBytes(32).toString('base64');
    const value = hideFromSerialisation({ username: 'ACME', apiKey: key });
    expect(value.apiKey).toBe(key);
    expect(JSON.stringify(value)).toBe('{"username":"ACME","apiKey":"[redacted]"}');
    expect(inspect(value)).not.toContain(key);
    expect(Object.keys(value)).toEqual(['username', 'apiKey']);
    const secrets = hideFromSerialisation({ token: TOKEN, code: CODE });
    expect(JSON.stringify(secrets)).toBe('{"token":"[redacted]","code":"[redacted]"}');
  });
});
