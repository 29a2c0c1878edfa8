import { DeliveryError } from 'api-accounts';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { withoutSecrets } from '../../../src/core/delivery/without-secrets.js';

const CODE = '482913';
const TOKEN = 'Zz-YtMclWNsPqairtry3sne_ipr9p5JP5Q0emleukCPM';

describe('withoutSecrets', () => {
  it('replaces every occurrence in a string', () => {
    expect(withoutSecrets(`${CODE} and ${CODE}, ?token=${TOKEN}`, [CODE, TOKEN])).toBe(
      '[redacted] and [redacted], ?token=[redacted]',
    );
  });

  it('scrubs an error’s message, stack and own fields, keeping its class', () => {
    const error = new DeliveryError({
      reason: 'rejected',
      retryable: false,
      provider: 'relay',
      status: 554,
      detail: `quoted ${CODE}`,
    });
    const clean = withoutSecrets(error, [CODE]);
    expect(clean).not.toBe(error);
    expect(clean).toBeInstanceOf(DeliveryError);
    expect(clean).toMatchObject({ reason: 'rejected', retryable: false, status: 554 });
    expect(clean.message).toBe('relay: rejected: quoted [redacted]');
    expect(clean.stack).not.toContain(CODE);
    expect(clean.stack).toContain('[redacted]');
    expect(error.message).toContain(CODE); // the original is left alone
    // A scrubbed field keeps the shape of an error's own message: hidden from keys, writable.
    expect(Object.getOwnPropertyDescriptor(clean, 'message')).toEqual({
      value: 'relay: rejected: quoted [redacted]',
      enumerable: false,
      configurable: true,
      writable: true,
    });
  });

  it('follows causes, arrays and plain objects', () => {
    const inner = new Error(`link ${TOKEN}`);
    const outer = new Error('send failed', { cause: inner });
    const value = { outer, parts: ['fine', `code ${CODE}`], count: 2, when: new Date(0) };
    const clean = withoutSecrets(value, [CODE, TOKEN]);
    expect(clean.parts).toEqual(['fine', 'code [redacted]']);
    expect((clean.outer.cause as Error).message).toBe('link [redacted]');
    expect(clean.outer.message).toBe('send failed');
    expect(clean.count).toBe(2);
    expect(clean.when).toBe(value.when);
  });

  it('returns the very same value when it holds no secret', () => {
    const error = new Error('connection reset', { cause: { code: 'ECONNRESET' } });
    expect(withoutSecrets(error, [CODE, TOKEN])).toBe(error);
    const record = { a: [1, 2], b: { c: 'd' } };
    expect(withoutSecrets(record, [CODE])).toBe(record);
    expect(withoutSecrets(`no secret`, [])).toBe('no secret');
    expect(withoutSecrets(`${CODE}`, [''])).toBe(CODE);
  });

  it('handles cycles and depth without leaking or looping', () => {
    const cyclic: Record<string, unknown> = { note: `code ${CODE}` };
    cyclic['self'] = cyclic;
    const clean = withoutSecrets(cyclic, [CODE]);
    expect(clean['note']).toBe('code [redacted]');
    expect(clean['self']).toBe('[redacted]');

    const clean2 = { note: 'fine' } as Record<string, unknown>;
    clean2['self'] = clean2;
    expect(withoutSecrets(clean2, [CODE])).toBe(clean2);

    const deep = { a: { b: { c: { d: { e: `${CODE}` } } } } };
    expect(JSON.stringify(withoutSecrets(deep, [CODE]))).not.toContain(CODE);
  });

  it('replaces a number that holds the code, and leaves other numbers', () => {
    const clean = withoutSecrets(
      { code: Number(CODE), big: BigInt(CODE), other: 42, tiny: 4.8e-89 },
      [CODE],
    );
    expect(clean).toEqual({ code: '[redacted]', big: '[redacted]', other: 42, tiny: 4.8e-89 });
    expect(withoutSecrets({ code: Number(CODE) }, [TOKEN, CODE])).toEqual({ code: '[redacted]' });
    // Found by the property test below: a random float's digits held a random code.
    expect(withoutSecrets({ x: 4.795232e-89 }, ['795232'])).toEqual({ x: '[redacted]' });
  });

  it('renames a field whose name holds a secret', () => {
    const clean = withoutSecrets({ [CODE]: 'sent', plain: 1 }, [CODE]);
    expect(clean).toEqual({ '[redacted]': 'sent', plain: 1 });
  });

  it('gives an object reached twice the same scrubbed copy both times', () => {
    const shared = { note: `code ${CODE}` };
    const clean = withoutSecrets({ first: shared, second: shared }, [CODE]);
    expect(clean.first).toEqual({ note: 'code [redacted]' });
    expect(clean.second).toBe(clean.first);
  });

  it('replaces a getter that gives a secret away by its scrubbed value, and survives one that throws', () => {
    const error = Object.defineProperties(new Error('refused'), {
      body: { get: () => `text ${CODE}`, enumerable: true },
      broken: {
        get: () => {
          throw new Error('no');
        },
      },
    }) as Error & { body: string; broken: unknown };
    const clean = withoutSecrets(error, [CODE]);
    expect(clean.body).toBe('text [redacted]');
    expect(Object.keys(clean)).toEqual(['body']);
    expect(clean.message).toBe('refused');
  });

  it('drops whole anything past four levels that mentions a secret, and keeps what does not', () => {
    const deep = { a: { b: { c: { d: { e: `x ${CODE}` } } } } };
    expect(withoutSecrets(deep, [CODE]).a.b.c.d).toBe('[redacted]');
    const deepError = { a: { b: { c: { d: new Error(`x ${TOKEN}`) } } } };
    expect(withoutSecrets(deepError, [CODE, TOKEN]).a.b.c.d).toBe('[redacted]');
    const throwing = {
      a: {
        b: {
          c: {
            d: {
              toJSON: () => {
                throw new Error('no');
              },
            },
          },
        },
      },
    };
    expect(withoutSecrets(throwing, [CODE]).a.b.c.d).toBe('[redacted]');
    const clean = {
      a: { b: { c: { d: { n: null, big: 10n, e: new Error('fine'), list: [1] } } } },
    };
    expect(withoutSecrets(clean, [CODE, TOKEN])).toBe(clean);
  });

  it('never overflows the stack on a value nested a hundred thousand deep', () => {
    let nested: Record<string, unknown> = { code: CODE };
    for (let i = 0; i < 100_000; i++) nested = { next: nested };
    const clean = withoutSecrets(nested, [CODE]) as { next: { next: { next: { next: unknown } } } };
    expect(clean.next.next.next.next).toBe('[redacted]');
  });

  it('never lets a secret through, whatever the shape', () => {
    fc.assert(
      fc.property(fc.anything(), fc.stringMatching(/^\d{6}$/), (value, code) => {
        const planted = { value, message: `x${code}x`, nested: [value, { code }] };
        const clean = withoutSecrets(planted, [code]);
        const text = JSON.stringify(clean, (_k, v) => (typeof v === 'bigint' ? String(v) : v));
        expect(text).not.toContain(code);
      }),
      { numRuns: 300 },
    );
  });
});
