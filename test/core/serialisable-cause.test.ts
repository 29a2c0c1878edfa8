import { describe, expect, it } from 'vitest';
import { describeCause } from '../../src/core/serialisable-cause.js';
import { accountInput, admin, world } from '../helpers.js';

describe('errors with a cause survive JSON', () => {
  it('a StoreUnavailable written as JSON keeps its cause, and the cause stays the original error', async () => {
    const w = world();
    const failure = Object.assign(new Error('connection refused'), { code: 'ECONNREFUSED' });
    w.ports.store.findAccountById = async () => {
      throw failure;
    };
    const error = (await w.manager.getAccount(admin, `acct_${'A'.repeat(22)}`))._unsafeUnwrapErr();
    expect(error).toEqual({
      type: 'StoreUnavailable',
      message: expect.any(String),
      port: 'store',
      cause: failure,
    });
    expect(error.type === 'StoreUnavailable' && error.cause).toBe(failure);
    expect(JSON.parse(JSON.stringify(error))).toEqual({
      type: 'StoreUnavailable',
      message: 'The API account store is not available; nothing was changed.',
      port: 'store',
      cause: { name: 'Error', message: 'connection refused', code: 'ECONNREFUSED' },
    });
  });

  it('PortFailed and InternalError too', async () => {
    const w = world({
      clock: {
        now: () => {
          throw new RangeError('clock broke');
        },
      },
    });
    const error = (await w.manager.createAccount(admin, accountInput()))._unsafeUnwrapErr();
    expect(JSON.parse(JSON.stringify(error))).toMatchObject({
      type: 'PortFailed',
      port: 'clock',
      cause: { name: 'RangeError', message: 'clock broke' },
    });
  });

  it('describes nested, odd and hostile causes without throwing', () => {
    const inner = new TypeError('inner');
    const outer = new Error('outer', { cause: inner });
    expect(describeCause(outer, 0)).toEqual({
      name: 'Error',
      message: 'outer',
      cause: { name: 'TypeError', message: 'inner' },
    });
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic['self'] = cyclic;
    expect(describeCause(cyclic, 0)).toBe('[unserialisable cause]');
    const hostile = {
      get message(): string {
        throw new Error('no');
      },
    };
    expect(describeCause(hostile, 0)).toBe('[unserialisable cause]');
    expect(describeCause(10n, 0)).toBe('10');
    expect(describeCause({ plain: 'data' }, 0)).toEqual({ plain: 'data' });
    let deep: Error = new Error('level 0');
    for (let i = 1; i < 6; i++) deep = new Error(`level ${i}`, { cause: deep });
    expect(JSON.stringify(describeCause(deep, 0))).toContain('[cause]');
  });

  it('keeps primitives as they are and writes what JSON cannot hold as text', () => {
    expect(describeCause('refused', 0)).toBe('refused');
    expect(describeCause(42, 0)).toBe(42);
    expect(describeCause(undefined, 0)).toBeUndefined();
    expect(describeCause(null, 0)).toBeNull();
    expect(describeCause(Symbol('s'), 0)).toBe('Symbol(s)');
    // A function is written as its source, whatever the printer made of it.
    expect(describeCause(function named() {}, 0)).toMatch(/^function named\(\) \{\s*\}$/);
  });

  it("writes an error's name, message and a string or numeric code, and nothing else of it", () => {
    const withCode = (code: unknown) => Object.assign(new RangeError('r'), { code, secret: 'x' });
    expect(describeCause(withCode('ECONNRESET'), 0)).toEqual({
      name: 'RangeError',
      message: 'r',
      code: 'ECONNRESET',
    });
    expect(describeCause(withCode(57), 0)).toEqual({ name: 'RangeError', message: 'r', code: 57 });
    expect(describeCause(withCode({ nested: true }), 0)).toEqual({
      name: 'RangeError',
      message: 'r',
    });
    // Error-like objects: a message makes one; a missing name is Error's.
    expect(describeCause({ message: 'like an error', name: 7 }, 0)).toEqual({
      name: 'Error',
      message: 'like an error',
    });
    const odd = Object.assign(new Error('x'), { name: 5, message: 9 });
    expect(describeCause(odd, 0)).toEqual({ name: 'Error', message: '' });
  });

  it('goes three causes deep, then names the rest', () => {
    const chain = (depth: number): Error =>
      depth === 0 ? new Error('root') : new Error(`level ${depth}`, { cause: chain(depth - 1) });
    expect(describeCause(chain(2), 0)).toEqual({
      name: 'Error',
      message: 'level 2',
      cause: { name: 'Error', message: 'level 1', cause: { name: 'Error', message: 'root' } },
    });
    expect(describeCause(chain(3), 0)).toEqual({
      name: 'Error',
      message: 'level 3',
      cause: {
        name: 'Error',
        message: 'level 2',
        cause: { name: 'Error', message: 'level 1', cause: '[cause]' },
      },
    });
  });
});
