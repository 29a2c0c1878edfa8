import { describe, expect, it } from 'vitest';
import { fromPortCall } from '../../src/core/result.js';

const failed = (cause: unknown) => ({ type: 'Failed' as const, cause });

describe('fromPortCall', () => {
  it('accepts any answer when given no check, whether it comes at once or in a promise', async () => {
    for (const answer of [null, 0, '', { any: 'thing' }]) {
      expect((await fromPortCall(() => answer, failed)())._unsafeUnwrap()).toBe(answer);
      expect((await fromPortCall(async () => answer, failed)())._unsafeUnwrap()).toBe(answer);
    }
  });

  it('turns an answer the check refuses into the error, saying why', async () => {
    const call = fromPortCall(
      (n: number) => n,
      failed,
      (n) => n > 0,
    );
    expect((await call(1))._unsafeUnwrap()).toBe(1);
    const error = (await call(-1))._unsafeUnwrapErr();
    expect(error.cause).toBeInstanceOf(TypeError);
    expect((error.cause as Error).message).toBe('the port answered with data of the wrong shape');
  });

  it('turns a throw, a rejection and a rejecting thenable into the error', async () => {
    const boom = new Error('boom');
    const calls = [
      () => {
        throw boom;
      },
      () => Promise.reject(boom),
      // A thenable that is not a Promise, as some drivers return: deliberately.
      // biome-ignore lint/suspicious/noThenProperty: the point of the case
      () => ({ then: (_: unknown, reject: (e: unknown) => void) => reject(boom) }),
    ];
    for (const call of calls) {
      expect((await fromPortCall(call, failed)())._unsafeUnwrapErr()).toEqual(failed(boom));
    }
  });
});
