import { describe, expect, it } from 'vitest';
import { errAsync, okAsync, ResultAsync } from '../../src/core/result.js';
import { guarded } from '../../src/core/verification/verifier.js';

describe('guarded', () => {
  it('passes results through', async () => {
    expect((await guarded(() => okAsync(1)))._unsafeUnwrap()).toBe(1);
    expect((await guarded(() => errAsync('typed')))._unsafeUnwrapErr()).toBe('typed');
  });

  it('turns a synchronous throw into InternalError', async () => {
    const boom = new Error('defect');
    const result = await guarded((): ResultAsync<number, never> => {
      throw boom;
    });
    expect(result._unsafeUnwrapErr()).toEqual({
      type: 'InternalError',
      message: expect.any(String),
      cause: boom,
    });
  });

  it('turns a rejected promise into InternalError', async () => {
    const result = await guarded(
      () => new ResultAsync<number, never>(Promise.reject(new Error('defect'))),
    );
    expect(result._unsafeUnwrapErr()).toMatchObject({ type: 'InternalError' });
  });
});
