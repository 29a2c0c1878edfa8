import { inMemorySmsSender } from 'api-accounts';
import { injectFaults } from 'api-accounts/testing';
import { describe, expect, it } from 'vitest';

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
});
