/** The bus's reaction to its connection's events, with a stand-in connection. */
import { EventEmitter } from 'node:events';
import { redisInvalidations } from 'api-accounts/redis';
import { describe, expect, it } from 'vitest';

class FakeSubscriber extends EventEmitter {
  readonly channels = new Set<string>();
  async subscribe(channel: string) {
    this.channels.add(channel);
  }
  async unsubscribe(channel: string) {
    this.channels.delete(channel);
  }
}

describe('redisInvalidations (connection events)', () => {
  it('delivers messages of its channel only, and reports drops and recoveries', async () => {
    const subscriber = new FakeSubscriber();
    const published: [string, string][] = [];
    const bus = redisInvalidations({
      publisher: { publish: async (channel, message) => published.push([channel, message]) },
      subscriber,
      channel: 'c1',
    });
    const seen: string[] = [];
    const stop = await bus.subscribe({
      invalidate: (id) => seen.push(`invalidate ${id}`),
      interrupted: () => seen.push('interrupted'),
      resumed: () => seen.push('resumed'),
    });
    expect(subscriber.channels.has('c1')).toBe(true);
    subscriber.emit('message', 'c1', 'acct_1');
    subscriber.emit('message', 'other', 'acct_2');
    subscriber.emit('close');
    subscriber.emit('ready');
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(seen).toEqual(['invalidate acct_1', 'interrupted', 'resumed']);
    await bus.publish('acct_3');
    expect(published).toEqual([['c1', 'acct_3']]);
    await stop();
    expect(subscriber.channels.has('c1')).toBe(false);
    expect(subscriber.listenerCount('message')).toBe(0);
  });

  it('fails subscribe when the connection cannot subscribe, leaving no listeners behind', async () => {
    const subscriber = new FakeSubscriber();
    subscriber.subscribe = async () => {
      throw new Error('NOAUTH');
    };
    const bus = redisInvalidations({ publisher: { publish: async () => 0 }, subscriber });
    await expect(
      bus.subscribe({ invalidate() {}, interrupted() {}, resumed() {} }),
    ).rejects.toThrow('NOAUTH');
    expect(subscriber.listenerCount('message')).toBe(0);
  });
});
