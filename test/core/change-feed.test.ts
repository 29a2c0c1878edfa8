import type { InvalidationBus } from 'api-accounts';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { changeFeed } from '../../src/core/change-feed.js';
import { accountWithKey, admin, world } from '../helpers.js';

/** A bus whose publishes fail `failures` times, then succeed after `delayMs`. */
function flakyBus(failures: number, delayMs = 0) {
  const published: string[] = [];
  let calls = 0;
  const bus: InvalidationBus = {
    async publish(accountId) {
      calls += 1;
      if (calls <= failures) throw new Error('Redis connection refused');
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      published.push(accountId);
    },
    subscribe: async () => async () => undefined,
  };
  return { bus, published, calls: () => calls };
}

function capturingLogger() {
  const warnings: string[] = [];
  const ignore = () => undefined;
  return {
    warnings,
    logger: {
      debug: ignore,
      info: ignore,
      error: ignore,
      warn: (_fields: Record<string, unknown>, message: string) => warnings.push(message),
    },
  };
}

describe('announcing changes to other instances', () => {
  it('tries a failed publish again, and is quiet when it gets through', async () => {
    const flaky = flakyBus(2);
    const { logger, warnings } = capturingLogger();
    const w = world({ invalidations: flaky.bus, logger });
    const { id } = await accountWithKey(w);
    const before = flaky.calls();
    await w.manager.deactivateAccount(admin, id);
    await w.manager.close();
    expect(flaky.calls() - before).toBeGreaterThanOrEqual(1);
    expect(flaky.published).toContain(id);
    expect(warnings.filter((m) => m.includes('could not tell other instances'))).toEqual([]);
  });

  it('logs a warning when every try fails', async () => {
    const dead = flakyBus(Number.POSITIVE_INFINITY);
    const { logger, warnings } = capturingLogger();
    const w = world({ invalidations: dead.bus, logger });
    const created = (
      await w.manager.createAccount(admin, {
        username: 'Down Ltd',
        email: 'down@partner.example',
        phone: '+447894123456',
      })
    )._unsafeUnwrap();
    await w.manager.close();
    expect(dead.calls()).toBe(3);
    expect(warnings.some((m) => m.includes('could not tell other instances'))).toBe(true);
    expect(created.account.id).toMatch(/^acct_/);
  });

  it('close() waits for publishes still under way', async () => {
    const slow = flakyBus(0, 300);
    const w = world({ invalidations: slow.bus });
    const { id } = await accountWithKey(w);
    await w.manager.deactivateAccount(admin, id);
    expect(slow.published).not.toContain(id);
    await w.manager.close();
    expect(slow.published).toContain(id);
  });
});

describe('changeFeed: its tries', () => {
  afterEach(() => vi.useRealTimers());

  it('tries three times, 100 ms then 200 ms apart, then logs the account and the cause once', async () => {
    vi.useFakeTimers();
    const tries: number[] = [];
    const failure = new Error('bus down');
    const bus: InvalidationBus = {
      publish: async () => {
        tries.push(Date.now());
        throw failure;
      },
      subscribe: async () => async () => undefined,
    };
    const logged: unknown[][] = [];
    const feed = changeFeed({
      onEvent: undefined,
      cache: null,
      bus,
      log: (...entry) => logged.push(entry),
    });
    const start = Date.now();
    feed.invalidate('acct_1');
    const drained = feed.drain();
    await vi.advanceTimersByTimeAsync(300);
    await drained;
    expect(tries.map((at) => at - start)).toEqual([0, 100, 300]);
    expect(logged).toEqual([
      [
        'warn',
        'api-accounts: could not tell other instances of a change; they catch up from the store',
        { accountId: 'acct_1', cause: failure },
      ],
    ]);
  });

  it('gives up quietly without a logger', async () => {
    vi.useFakeTimers();
    const bus: InvalidationBus = {
      publish: async () => {
        throw new Error('bus down');
      },
      subscribe: async () => async () => undefined,
    };
    const feed = changeFeed({ onEvent: undefined, cache: null, bus });
    feed.invalidate('acct_1');
    const drained = feed.drain();
    await vi.advanceTimersByTimeAsync(300);
    await expect(drained).resolves.toBeUndefined();
  });
});
