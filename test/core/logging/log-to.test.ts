/**
 * `logTo`, the core's one way to write a log entry, and the digest that sums
 * up refused verifications: levels, redaction, a logger that fails or lacks a
 * level, Node's console on one line, and the digest's counts and summary.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { logTo } from '../../../src/core/logging/log-to.js';
import type { Logger, LogLevel } from '../../../src/core/logging/logger.js';
import { RefusalDigest } from '../../../src/core/logging/refusal-digest.js';

type Written = { level: LogLevel; fields: unknown; message: string };

function structured(): { logger: Logger; written: Written[] } {
  const written: Written[] = [];
  const at = (level: LogLevel) => (fields: unknown, message: string) =>
    written.push({ level, fields, message });
  return {
    logger: { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') },
    written,
  };
}

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('logTo', () => {
  it('is nothing without a logger', () => {
    expect(logTo(undefined)).toBeNull();
  });

  it('hands a structured logger its fields, marked and redacted, and the message', () => {
    const { logger, written } = structured();
    const log = logTo(logger);
    log?.('warn', 'store down', { method: 'getAccount', apiKey: 'k'.repeat(44), count: 3 });
    expect(written).toEqual([
      {
        level: 'warn',
        message: 'store down',
        fields: { lib: 'api-accounts', method: 'getAccount', apiKey: '[redacted]', count: 3 },
      },
    ]);
  });

  it('writes from minLevel up, and every level by default', () => {
    const { logger, written } = structured();
    const warnUp = logTo(logger, 'warn');
    const everything = logTo(logger);
    for (const level of ['debug', 'info', 'warn', 'error'] as const) {
      warnUp?.(level, `warnUp ${level}`, {});
      everything?.(level, `everything ${level}`, {});
    }
    expect(written.map(({ message }) => message)).toEqual([
      'everything debug',
      'everything info',
      'warnUp warn',
      'everything warn',
      'warnUp error',
      'everything error',
    ]);
    const infoUp = logTo(logger, 'info');
    written.length = 0;
    infoUp?.('debug', 'dropped', {});
    infoUp?.('info', 'kept', {});
    expect(written.map(({ message }) => message)).toEqual(['kept']);
  });

  it('calls the logger as a method, and survives one that throws or lacks the level', () => {
    const seen: unknown[] = [];
    const pinoLike = {
      name: 'pino-like',
      warn(this: { name: string }, fields: unknown) {
        seen.push([this.name, fields]);
      },
      error() {
        throw new Error('the logger broke');
      },
    };
    const log = logTo(pinoLike as unknown as Logger);
    expect(() => log?.('error', 'boom', {})).not.toThrow();
    expect(() => log?.('debug', 'no debug method', {})).not.toThrow();
    log?.('warn', 'kept', { a: 1 });
    expect(seen).toEqual([['pino-like', { lib: 'api-accounts', a: 1 }]]);
  });

  it("writes one line to Node's console: the message, then the fields as JSON, errors by name and message", () => {
    const lines: unknown[][] = [];
    vi.spyOn(console, 'warn').mockImplementation((...args: unknown[]) => void lines.push(args));
    const log = logTo(console as unknown as Logger);
    log?.('warn', 'delivery failed', { channel: 'sms', error: new RangeError('quota') });
    const cyclic: Record<string, unknown> = {};
    cyclic['self'] = cyclic;
    log?.('warn', 'odd fields', { cyclic, big: 10n });
    expect(lines[0]).toEqual([
      'delivery failed {"lib":"api-accounts","channel":"sms","error":{"name":"RangeError","message":"quota"}}',
    ]);
    expect(lines[1]).toHaveLength(1);
    expect(String(lines[1]?.[0]).startsWith('odd fields ')).toBe(true);
  });
});

describe('RefusalDigest', () => {
  it('covers the verifying methods only', () => {
    const digest = new RefusalDigest(() => undefined, 60_000);
    expect(digest.covers('verifyApiKey')).toBe(true);
    expect(digest.covers('verifySignedRequest')).toBe(true);
    expect(digest.covers('getAccount')).toBe(false);
    digest.close();
  });

  it('says which refusal is the first of its kind, sums up the rest once per interval, then starts again', () => {
    vi.useFakeTimers();
    const lines: { message: string; fields: Record<string, unknown> }[] = [];
    const digest = new RefusalDigest(
      (_level, message, fields) => lines.push({ message, fields }),
      90_000,
    );
    const firsts = [
      digest.note('verifyApiKey', 'InvalidKey'),
      digest.note('verifyApiKey', 'InvalidKey'),
      digest.note('verifyApiKey', 'InvalidKey'),
      digest.note('verifyApiKey', 'AccountInactive'),
      digest.note('verifySignedRequest', 'InvalidKey'),
    ];
    expect(firsts).toEqual([true, false, false, true, true]);
    vi.advanceTimersByTime(89_999);
    expect(lines).toEqual([]);
    vi.advanceTimersByTime(1);
    // Only kinds seen more than once have refusals left to tell; a method with none writes nothing.
    expect(lines).toEqual([
      {
        message: 'api-accounts verifyApiKey refused 2 more time(s) in the last 90 s (InvalidKey 3)',
        fields: { method: 'verifyApiKey', refusals: { InvalidKey: 3, AccountInactive: 1 } },
      },
    ]);
    // A new interval: the first of a kind is the first again.
    expect(digest.note('verifyApiKey', 'InvalidKey')).toBe(true);
    lines.length = 0;
    vi.advanceTimersByTime(90_000);
    expect(lines).toEqual([]);
    digest.note('verifyApiKey', 'InvalidKey');
    digest.note('verifyApiKey', 'InvalidKey');
    // close() writes what is left, and stops the timer.
    digest.close();
    expect(lines.map(({ message }) => message)).toEqual([
      'api-accounts verifyApiKey refused 1 more time(s) in the last 90 s (InvalidKey 2)',
    ]);
    vi.advanceTimersByTime(180_000);
    expect(lines).toHaveLength(1);
  });
});
