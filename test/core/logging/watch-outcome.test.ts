/**
 * `watchOutcome`: each public method's outcome logged at the level it
 * deserves, failed deliveries reported, refused verifications summed up, and
 * nothing at all done without a logger.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Log, LogLevel } from '../../../src/core/logging/logger.js';
import { RefusalDigest } from '../../../src/core/logging/refusal-digest.js';
import { watchOutcome } from '../../../src/core/logging/watch-outcome.js';
import { errAsync, okAsync } from '../../../src/core/result.js';

type Entry = { level: LogLevel; message: string; fields: Record<string, unknown> };

function recording(): { log: Log; entries: Entry[] } {
  const entries: Entry[] = [];
  return { log: (level, message, fields) => entries.push({ level, message, fields }), entries };
}

const digests: RefusalDigest[] = [];
afterEach(() => {
  for (const digest of digests.splice(0)) digest.close();
});

describe('watchOutcome', () => {
  it('hands back the very result, untouched, without a logger', () => {
    const result = errAsync({ type: 'StoreUnavailable' });
    expect(watchOutcome(null, 'getAccount', result)).toBe(result);
  });

  it('logs an error at its level: InternalError error, port failures warn, refusals debug', async () => {
    const { log, entries } = recording();
    for (const type of ['InternalError', 'StoreUnavailable', 'PortFailed', 'EmailTaken']) {
      const error = { type };
      expect((await watchOutcome(log, 'createAccount', errAsync(error)))._unsafeUnwrapErr()).toBe(
        error,
      );
    }
    expect(entries.map(({ level, message }) => [level, message])).toEqual([
      ['error', 'api-accounts createAccount failed: InternalError'],
      ['warn', 'api-accounts createAccount failed: StoreUnavailable'],
      ['warn', 'api-accounts createAccount failed: PortFailed'],
      ['debug', 'api-accounts createAccount failed: EmailTaken'],
    ]);
    expect(entries[0]?.fields).toEqual({
      method: 'createAccount',
      error: { type: 'InternalError' },
    });
  });

  it("reports each channel a claim's message could not go through, and nothing for one that went", async () => {
    const { log, entries } = recording();
    const failure = { type: 'DeliveryFailed', channel: 'email' };
    const value = {
      delivery: { sms: { status: 'sent' }, email: { status: 'failed', error: failure } },
    };
    expect((await watchOutcome(log, 'resetApiKey', okAsync(value)))._unsafeUnwrap()).toBe(value);
    expect(entries).toEqual([
      {
        level: 'warn',
        message: 'api-accounts resetApiKey: the email could not be sent',
        fields: { method: 'resetApiKey', channel: 'email', error: failure },
      },
    ]);
  });

  it("counts a due-task run's failed messages, and reads odd successes without a word", async () => {
    const { log, entries } = recording();
    await watchOutcome(log, 'runDueTasks', okAsync({ deliveryFailures: 2 }));
    expect(entries).toEqual([
      {
        level: 'warn',
        message: 'api-accounts runDueTasks: 2 message(s) could not be sent',
        fields: { method: 'runDueTasks', failures: 2 },
      },
    ]);
    entries.length = 0;
    for (const value of [
      { deliveryFailures: 0 },
      { deliveryFailures: '2' },
      { delivery: null },
      { delivery: 'sent' },
      { delivery: { sms: null, email: { status: 'sent' } } },
      null,
      undefined,
      42,
    ]) {
      expect((await watchOutcome(log, 'runDueTasks', okAsync(value))).isOk()).toBe(true);
    }
    expect(entries).toEqual([]);
  });

  it("logs the first refused verification of each kind, and leaves the rest to the digest's summary", async () => {
    const { log, entries } = recording();
    const digest = new RefusalDigest(log, 60_000);
    digests.push(digest);
    const refuse = (method: string, type: string) =>
      watchOutcome(log, method, errAsync({ type }), digest);
    await refuse('verifyApiKey', 'InvalidKey');
    await refuse('verifyApiKey', 'InvalidKey');
    await refuse('verifyApiKey', 'AccountInactive');
    // A port failure is always logged, and a method the digest does not cover logs every refusal.
    await refuse('verifyApiKey', 'StoreUnavailable');
    await refuse('verifyApiKey', 'StoreUnavailable');
    await refuse('getAccount', 'AccountNotFound');
    await refuse('getAccount', 'AccountNotFound');
    expect(entries.map(({ level, message }) => `${level} ${message}`)).toEqual([
      'debug api-accounts verifyApiKey failed: InvalidKey',
      'debug api-accounts verifyApiKey failed: AccountInactive',
      'warn api-accounts verifyApiKey failed: StoreUnavailable',
      'warn api-accounts verifyApiKey failed: StoreUnavailable',
      'debug api-accounts getAccount failed: AccountNotFound',
      'debug api-accounts getAccount failed: AccountNotFound',
    ]);
    entries.length = 0;
    digest.flush();
    expect(entries.map(({ message }) => message)).toEqual([
      'api-accounts verifyApiKey refused 1 more time(s) in the last 60 s (InvalidKey 2)',
    ]);
  });
});
