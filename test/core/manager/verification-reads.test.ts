import { randomBytes } from 'node:crypto';
import { type AccountStore, inMemoryPorts } from 'api-accounts';
import { describe, expect, it } from 'vitest';
import { accountWithKey, freshSealer, signedRequest, world } from '../../helpers.js';

type VerificationRead = 'findKeyHolder' | 'findSigner';

/**
 * The in-memory store, with one verification read answering the way `answer`
 * says, over the same data: a store is the host's code, and verification must
 * hold whatever it does.
 */
function storeAnswering(
  store: AccountStore,
  method: VerificationRead,
  answer: (real: unknown) => unknown,
): AccountStore {
  return new Proxy(store, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (property !== method || typeof value !== 'function') return value;
      return (...args: string[]) => answer(value.apply(target, args));
    },
  });
}

const answers = {
  'a value (synchronously)': (real: unknown) => real,
  'a promise': (real: unknown) => Promise.resolve(real),
  'a promise that settles later': (real: unknown) =>
    new Promise((resolve) => setTimeout(() => resolve(real), 1)),
};

async function verifiedBoth(method: VerificationRead, answer: (real: unknown) => unknown) {
  const ports = inMemoryPorts();
  const sealer = freshSealer();
  const setUp = world({ sealer }, ports);
  const account = await accountWithKey(setUp);
  const w = world({ sealer, store: storeAnswering(ports.store, method, answer) }, ports);
  const request = { method: 'GET', url: 'https://bo.example/api/v3/customers' };
  return {
    bearer: await w.manager.verifyApiKey(account.apiKey),
    signed: await w.manager.verifySignedRequest(
      await signedRequest(account, request, ports.clock.now()),
    ),
    unknown: await w.manager.verifyApiKey(randomBytes(32).toString('base64')),
  };
}

describe('verification reads, whatever the store answers', () => {
  for (const method of ['findKeyHolder', 'findSigner'] as const) {
    it.each(Object.entries(answers))(`${method} answering %s verifies alike`, async (_, answer) => {
      const { bearer, signed, unknown } = await verifiedBoth(method, answer);
      expect(bearer._unsafeUnwrap()).toMatchObject({ scheme: 'bearer', mode: 'system-owner' });
      expect(signed._unsafeUnwrap()).toMatchObject({ scheme: 'SpektrixAPI3' });
      expect(unknown._unsafeUnwrapErr()).toMatchObject({
        type: 'InvalidKey',
        reason: 'unknown_key',
      });
    });

    it.each([
      ['answers garbage synchronously', () => ({ accountId: 42 })],
      ['answers undefined synchronously', () => undefined],
      [
        'throws synchronously',
        () => {
          throw new Error('driver exploded');
        },
      ],
      ['rejects', () => Promise.reject(new Error('connection reset'))],
    ])(`${method} that %s is StoreUnavailable, never a throw`, async (_, answer) => {
      const { bearer, signed } = await verifiedBoth(method, answer);
      const failed = method === 'findKeyHolder' ? bearer : signed;
      const healthy = method === 'findKeyHolder' ? signed : bearer;
      expect(failed._unsafeUnwrapErr()).toMatchObject({ type: 'StoreUnavailable', port: 'store' });
      expect(healthy.isOk()).toBe(true);
    });
  }
});
