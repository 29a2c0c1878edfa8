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
});
