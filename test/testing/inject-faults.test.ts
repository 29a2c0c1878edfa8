import {
  injectFaults,
  inMemoryAccountStore,
  inMemorySmsSender,
  settableClock,
} from 'api-accounts/testing';
import { describe, expect, it } from 'vitest';
import { cryptoKeyGenerator } from '../../src/core/system/crypto-key-generator.js';
import { everyAccount } from '../../src/testing/store-fixtures.js';

const message = { to: '+447894123456', text: 'hi' };

describe('injectFaults', () => {
  it('fails only the nth call', async () => {
    const sms = inMemorySmsSender();
    const faulty = injectFaults(sms, { when: { nth: 2 } });
    await faulty.send(message);
    await expect(faulty.send(message)).rejects.toThrow('injected fault');
    await faulty.send(message);
    expect(sms.sent).toHaveLength(2);
  });

  it('fails from the nth call on, synchronously when asked', () => {
    const faulty = injectFaults(inMemorySmsSender(), {
      when: { from: 1 },
      how: 'throw',
      error: () => new RangeError('boom'),
    });
    expect(() => faulty.send(message)).toThrow(RangeError);
  });

  it('leaves other methods and properties alone', async () => {
    const sms = inMemorySmsSender();
    const faulty = injectFaults(sms, { methods: ['send'], when: 'always' });
    expect(faulty.sent).toBe(sms.sent);
    await expect(faulty.send(message)).rejects.toThrow();
  });

  it('fails with a seeded probability, the same calls for the same seed', async () => {
    const run = async (seed: number) => {
      const faulty = injectFaults(inMemorySmsSender(), { when: { probability: 0.3, seed } });
      const outcomes: boolean[] = [];
      for (let i = 0; i < 200; i++) {
        outcomes.push(
          await faulty.send(message).then(
            () => true,
            () => false,
          ),
        );
      }
      return outcomes;
    };
    const first = await run(7);
    expect(await run(7)).toEqual(first);
    expect(await run(8)).not.toEqual(first);
    const failed = first.filter((ok) => !ok).length;
    expect(failed).toBeGreaterThan(30);
    expect(failed).toBeLessThan(90);
  });

  it('delays, then calls through', async () => {
    const sms = inMemorySmsSender();
    const faulty = injectFaults(sms, { when: 'always', how: 'delay', delayMs: 40 });
    const started = performance.now();
    await faulty.send(message);
    expect(performance.now() - started).toBeGreaterThanOrEqual(35);
    expect(sms.sent).toHaveLength(1);
  });

  it('answers malformed data after calling through, synchronously for synchronous ports', async () => {
    const clock = injectFaults(settableClock(new Date(0)), {
      when: 'always',
      how: 'malformed',
      malformed: () => 'noon',
    });
    expect(clock.now()).toBe('noon');
    const store = inMemoryAccountStore();
    const faulty = injectFaults(store, {
      methods: ['listAccounts'],
      when: 'always',
      how: 'malformed',
    });
    expect(await faulty.listAccounts(everyAccount(1))).toEqual({ malformed: true });
  });

  it('loses the answer of a call that took effect', async () => {
    const sms = inMemorySmsSender();
    const faulty = injectFaults(sms, { when: 'always', how: 'lose-answer' });
    await expect(faulty.send(message)).rejects.toThrow('injected fault');
    expect(sms.sent).toEqual([message]);
    const keys = injectFaults(cryptoKeyGenerator(), { when: 'always', how: 'lose-answer' });
    expect(() => keys.randomBytes(4)).toThrow('injected fault');
  });

  it('fires only while enabled, and reports each fault', async () => {
    let enabled = false;
    const log: string[] = [];
    const faulty = injectFaults(inMemorySmsSender(), {
      when: 'always',
      how: ['reject', 'lose-answer'],
      enabled: () => enabled,
      onFault: (method, kind) => log.push(`${method}:${kind}`),
    });
    await faulty.send(message);
    enabled = true;
    await expect(faulty.send(message)).rejects.toThrow();
    expect(log).toHaveLength(1);
    expect(log[0]).toMatch(/^send:(reject|lose-answer)$/);
  });
});
