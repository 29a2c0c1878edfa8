import { DeliveryError, type DeliveryTimer } from 'api-accounts';
import { describe, expect, it } from 'vitest';
import { backoffDelay, resolveRetryPolicy } from '../../../src/core/delivery/retry-policy.js';
import { sendWithRetry } from '../../../src/core/delivery/send-with-retry.js';

/** A timer whose waits take no real time but move its clock. */
function fakeTimer() {
  let now = 0;
  const waits: number[] = [];
  const timer: DeliveryTimer = {
    now: () => now,
    sleep: async (ms) => {
      waits.push(ms);
      now += ms;
    },
  };
  return { timer, waits, elapse: (ms: number) => (now += ms) };
}

const transient = () =>
  new DeliveryError({ reason: 'server_error', retryable: true, provider: 'test' });
const permanent = () =>
  new DeliveryError({ reason: 'invalid_number', retryable: false, provider: 'test' });

/** A sender that fails with `failures` in turn, then succeeds. */
function scripted(failures: unknown[]) {
  const calls: { signal: AbortSignal | undefined }[] = [];
  const send = async (_message: string, options: { signal?: AbortSignal }) => {
    calls.push({ signal: options.signal });
    const next = failures.shift();
    if (next !== undefined) throw next;
  };
  return { send, calls };
}

describe('sendWithRetry', () => {
  it('retries a retryable failure after a jittered wait and reports the tries', async () => {
    const { timer, waits } = fakeTimer();
    const policy = resolveRetryPolicy({ timer, random: () => 0.5, baseDelayMs: 400 });
    const sender = scripted([transient(), transient()]);
    const result = await sendWithRetry('sms', sender.send, policy)('m');
    expect(result._unsafeUnwrap()).toBe(3);
    expect(waits).toEqual([200, 400]); // half of 400, then half of 800
  });

  it('does not retry a permanent failure', async () => {
    const { timer, waits } = fakeTimer();
    const sender = scripted([permanent()]);
    const result = await sendWithRetry('sms', sender.send, resolveRetryPolicy({ timer }))('m');
    expect(result._unsafeUnwrapErr()).toMatchObject({
      type: 'DeliveryFailed',
      channel: 'sms',
      reason: 'invalid_number',
      retryable: false,
      attempts: 1,
    });
    expect(sender.calls).toHaveLength(1);
    expect(waits).toEqual([]);
  });

  it('does not retry a plain error: the sender may have delivered', async () => {
    const { timer } = fakeTimer();
    const sender = scripted([new Error('boom')]);
    const result = await sendWithRetry('email', sender.send, resolveRetryPolicy({ timer }))('m');
    expect(result._unsafeUnwrapErr()).toMatchObject({ reason: 'unknown', attempts: 1 });
    expect(sender.calls).toHaveLength(1);
  });

  it('stops after the configured attempts with the last reason', async () => {
    const { timer } = fakeTimer();
    const sender = scripted([transient(), transient(), transient(), transient()]);
    const policy = resolveRetryPolicy({ timer, attempts: 3 });
    const result = await sendWithRetry('sms', sender.send, policy)('m');
    expect(result._unsafeUnwrapErr()).toMatchObject({
      reason: 'server_error',
      attempts: 3,
      retryable: true,
    });
    expect(sender.calls).toHaveLength(3);
  });

  it('keeps every wait under the growing cap and maxDelayMs', async () => {
    const { timer, waits } = fakeTimer();
    const policy = resolveRetryPolicy({
      timer,
      attempts: 8,
      totalMs: 1_000_000,
      random: () => 0.999,
      baseDelayMs: 100,
      maxDelayMs: 1_000,
    });
    const sender = scripted(Array.from({ length: 7 }, transient));
    await sendWithRetry('sms', sender.send, policy)('m');
    expect(waits).toEqual([99, 199, 399, 799, 999, 999, 999]);
  });

  it('starts no retry that would overrun totalMs', async () => {
    const { timer, waits, elapse } = fakeTimer();
    const policy = resolveRetryPolicy({
      timer,
      attempts: 10,
      totalMs: 1_000,
      random: () => 0.999,
      baseDelayMs: 300,
    });
    const send = async () => {
      elapse(250);
      throw transient();
    };
    const result = await sendWithRetry('sms', send, policy)('m');
    // 250 + 299 + 250 = 799; the next wait (599) would end past 1000.
    expect(waits).toEqual([299]);
    expect(result._unsafeUnwrapErr().attempts).toBe(2);
  });

  it('honours a provider Retry-After longer than the jitter, up to maxDelayMs', async () => {
    const { timer, waits } = fakeTimer();
    const policy = resolveRetryPolicy({ timer, random: () => 0, maxDelayMs: 3_000 });
    const limited = (retryAfterMs: number) =>
      new DeliveryError({ reason: 'rate_limited', retryable: true, provider: 't', retryAfterMs });
    const sender = scripted([limited(1_500), limited(60_000)]);
    await sendWithRetry('sms', sender.send, policy)('m');
    expect(waits).toEqual([1_500, 3_000]);
  });

  it('abandons a try after timeoutMs, aborts its signal, and retries', async () => {
    const { timer } = fakeTimer();
    const signals: AbortSignal[] = [];
    let calls = 0;
    const send = (_m: string, options: { signal?: AbortSignal }) => {
      calls += 1;
      if (options.signal) signals.push(options.signal);
      return calls === 1 ? new Promise<void>(() => {}) : Promise.resolve();
    };
    const started = Date.now();
    const result = await sendWithRetry(
      'sms',
      send,
      resolveRetryPolicy({ timer, timeoutMs: 50 }),
    )('m');
    expect(result._unsafeUnwrap()).toBe(2);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(signals[0]?.aborted).toBe(true);
    expect(signals[0]?.reason).toMatchObject({ reason: 'timeout' });
    expect(signals[1]?.aborted).toBe(false);
  });

  it('reports a provider that never answers as timeout after the last try', async () => {
    const { timer } = fakeTimer();
    const never = () => new Promise<void>(() => {});
    const policy = resolveRetryPolicy({ timer, timeoutMs: 20, attempts: 2 });
    const result = await sendWithRetry('email', never, policy)('m');
    expect(result._unsafeUnwrapErr()).toMatchObject({
      reason: 'timeout',
      attempts: 2,
      channel: 'email',
    });
  });

  it('turns a synchronous throw and a rejection with no reason into typed failures', async () => {
    const { timer } = fakeTimer();
    const policy = resolveRetryPolicy({ timer });
    const throwing = () => {
      throw new TypeError('sync');
    };
    expect((await sendWithRetry('sms', throwing, policy)('m'))._unsafeUnwrapErr().reason).toBe(
      'unknown',
    );
    const empty = () => Promise.reject(undefined);
    expect(
      (await sendWithRetry('sms', empty, policy)('m'))._unsafeUnwrapErr().cause,
    ).toBeInstanceOf(Error);
  });

  it('reports, never rejects, when the injected timer itself throws', async () => {
    const timer: DeliveryTimer = {
      now: () => 0,
      sleep: () => Promise.reject(new Error('timer broke')),
    };
    const sender = scripted([transient()]);
    const result = await sendWithRetry('sms', sender.send, resolveRetryPolicy({ timer }))('m');
    expect(result._unsafeUnwrapErr().type).toBe('DeliveryFailed');
  });

  it('rejects nonsensical settings at construction', () => {
    expect(() => resolveRetryPolicy({ attempts: 0 })).toThrow(TypeError);
    expect(() => resolveRetryPolicy({ timeoutMs: 1.5 })).toThrow(TypeError);
    expect(() => resolveRetryPolicy({ maxDelayMs: -1 })).toThrow(TypeError);
  });
});

describe('backoffDelay', () => {
  const policy = resolveRetryPolicy({ random: () => 0.5, baseDelayMs: 400, maxDelayMs: 5_000 });

  it('ignores a missing, zero or negative Retry-After', () => {
    expect(backoffDelay(policy, 2, undefined)).toBe(200);
    expect(backoffDelay(policy, 2, 0)).toBe(200);
    expect(backoffDelay(policy, 2, -1_000)).toBe(200);
    expect(backoffDelay(policy, 2, 1_000)).toBe(1_000);
  });

  it('names the field a bad setting is in', () => {
    expect(() => resolveRetryPolicy({ totalMs: 0 })).toThrow(
      /delivery\.totalMs must be a whole number/,
    );
    expect(() => resolveRetryPolicy({ baseDelayMs: -1 })).toThrow(
      /delivery\.baseDelayMs must be a whole number of ms/,
    );
  });

  it('waits for real by default', async () => {
    const { timer } = resolveRetryPolicy();
    const started = performance.now();
    await timer.sleep(30);
    expect(performance.now() - started).toBeGreaterThanOrEqual(25);
  });
});
