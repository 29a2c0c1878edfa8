import type { UsageCount } from 'api-accounts/ports';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Log } from '../../../src/core/logging/logger.js';
import { UsageCounter, utcDay } from '../../../src/core/usage/usage-counter.js';

const DAY = 86_400_000;
const at = (iso: string) => Date.parse(iso);

/** A counter whose writes the test sees, and may fail or hold. */
function counter(options: { maxAccounts?: number; flushIntervalMs?: number } = {}) {
  const written: UsageCount[][] = [];
  const logged: [string, string, Record<string, unknown>][] = [];
  let fail = false;
  let hold: Promise<void> | null = null;
  const write = async (counts: readonly UsageCount[]) => {
    if (hold) await hold;
    if (fail) throw new Error('the database is down');
    written.push([...counts]);
  };
  const log: Log = (level, message, fields) => logged.push([level, message, fields]);
  const usage = new UsageCounter(write, options, log);
  return {
    usage,
    written,
    logged,
    failWrites: (value: boolean) => {
      fail = value;
    },
    holdWrites: () => {
      let release = () => undefined as void;
      hold = new Promise<void>((resolve) => {
        release = () => {
          hold = null;
          resolve();
        };
      });
      return release;
    },
  };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('UsageCounter', () => {
  it('counts per account and UTC day, and writes them in one batch with the last accepted use', async () => {
    const { usage, written } = counter();
    usage.count('a', at('2026-12-01T23:59:59.999Z'), true);
    usage.count('a', at('2026-12-02T00:00:00.000Z'), false);
    usage.count('a', at('2026-12-02T10:00:00.000Z'), true);
    usage.count('a', at('2026-12-02T11:00:00.000Z'), false);
    // A count that arrives late (an earlier day) goes to its own day.
    usage.count('a', at('2026-12-01T08:00:00.000Z'), true);
    usage.count('b', at('2026-12-02T09:00:00.000Z'), false);
    usage.count('c', Number.NaN, true);
    expect(usage.pendingFor('a')).toEqual([
      { day: '2026-12-01', accepted: 2, refused: 0 },
      { day: '2026-12-02', accepted: 1, refused: 2 },
    ]);
    expect(usage.pendingFor('c')).toEqual([]);
    await usage.flush();
    expect(written).toEqual([
      [
        {
          accountId: 'a',
          day: '2026-12-01',
          accepted: 2,
          refused: 0,
          lastUsedAt: new Date('2026-12-02T10:00:00.000Z'),
        },
        {
          accountId: 'a',
          day: '2026-12-02',
          accepted: 1,
          refused: 2,
          lastUsedAt: new Date('2026-12-02T10:00:00.000Z'),
        },
        { accountId: 'b', day: '2026-12-02', accepted: 0, refused: 1, lastUsedAt: null },
      ],
    ]);
    expect(usage.pendingFor('a')).toEqual([]);
    await usage.flush();
    expect(written).toHaveLength(1);
    await usage.close();
  });

  it('keeps the counts of a failed write, adds what came meanwhile, and says so', async () => {
    const { usage, written, logged, failWrites, holdWrites } = counter();
    const t = at('2026-12-02T10:00:00.000Z');
    usage.count('a', t, true);
    usage.count('b', t, false);
    failWrites(true);
    const release = holdWrites();
    const flushing = usage.flush();
    // Counted while the failing write is under way.
    usage.count('a', t + 1000, true);
    usage.count('a', t - DAY, false);
    release();
    await flushing;
    expect(written).toEqual([]);
    expect(logged).toEqual([
      [
        'warn',
        'api-accounts could not write usage counts; keeping them for the next flush',
        { accounts: 2, error: expect.any(Error) },
      ],
    ]);
    failWrites(false);
    await usage.flush();
    expect(written).toEqual([
      [
        {
          accountId: 'a',
          day: '2026-12-02',
          accepted: 2,
          refused: 0,
          lastUsedAt: new Date(t + 1000),
        },
        {
          accountId: 'a',
          day: '2026-12-01',
          accepted: 0,
          refused: 1,
          lastUsedAt: new Date(t + 1000),
        },
        { accountId: 'b', day: '2026-12-02', accepted: 0, refused: 1, lastUsedAt: null },
      ],
    ]);
    await usage.close();
  });

  it('keeps the later of two last uses when it restores a failed batch', async () => {
    const { usage, written, failWrites, holdWrites } = counter();
    const t = at('2026-12-02T10:00:00.000Z');
    usage.count('a', t + 5000, true);
    failWrites(true);
    const release = holdWrites();
    const flushing = usage.flush();
    usage.count('a', t, true);
    release();
    await flushing;
    failWrites(false);
    await usage.flush();
    expect(written[0]?.[0]?.lastUsedAt).toEqual(new Date(t + 5000));
    await usage.close();
  });

  it('never runs two writes at once: a flush during one writes what came meanwhile after it', async () => {
    const { usage, written, holdWrites } = counter();
    const t = at('2026-12-02T10:00:00.000Z');
    usage.count('a', t, true);
    const release = holdWrites();
    const first = usage.flush();
    usage.count('b', t, true);
    const second = usage.flush();
    await new Promise((resolve) => setImmediate(resolve));
    expect(written).toEqual([]);
    release();
    await Promise.all([first, second]);
    expect(written.map((batch) => batch.map((count) => count.accountId))).toEqual([['a'], ['b']]);
    await usage.close();
  });

  it('counts at most maxAccounts between flushes: a new account past it starts a flush and is dropped, once logged', async () => {
    const { usage, written, logged } = counter({ maxAccounts: 2 });
    const t = at('2026-12-02T10:00:00.000Z');
    usage.count('a', t, true);
    usage.count('b', t, true);
    usage.count('a', t, true);
    usage.count('c', t, true);
    // The flush 'c' started took the full batch away: 'd' is counted for the next one.
    usage.count('d', t, true);
    await usage.flush();
    expect(written.map((batch) => batch.map((count) => [count.accountId, count.accepted]))).toEqual(
      [
        [
          ['a', 2],
          ['b', 1],
        ],
        [['d', 1]],
      ],
    );
    expect(logged).toContainEqual([
      'warn',
      'api-accounts dropped usage counts: more accounts than usage.maxAccounts between flushes',
      { dropped: 1 },
    ]);
    usage.count('e', t, true);
    await usage.flush();
    expect(logged.filter(([, message]) => message.includes('dropped'))).toHaveLength(1);
    await usage.close();
  });

  it('restores a failed batch only up to maxAccounts', async () => {
    const { usage, written, failWrites, holdWrites } = counter({ maxAccounts: 2 });
    const t = at('2026-12-02T10:00:00.000Z');
    usage.count('a', t, true);
    usage.count('b', t, true);
    failWrites(true);
    const release = holdWrites();
    const flushing = usage.flush();
    usage.count('c', t, true);
    usage.count('d', t, true);
    release();
    await flushing;
    failWrites(false);
    await usage.flush();
    expect(written[0]?.map((count) => count.accountId)).toEqual(['c', 'd']);
    await usage.close();
  });

  it('flushes on its timer, and close() stops it after writing what is left', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const { usage, written } = counter({ flushIntervalMs: 1000 });
    const t = at('2026-12-02T10:00:00.000Z');
    usage.count('a', t, true);
    vi.advanceTimersByTime(999);
    await Promise.resolve();
    expect(written).toHaveLength(0);
    vi.advanceTimersByTime(1);
    await vi.waitFor(() => expect(written).toHaveLength(1));
    usage.count('b', t, true);
    await usage.close();
    expect(written).toHaveLength(2);
    usage.count('c', t, true);
    vi.advanceTimersByTime(5000);
    await new Promise((resolve) => setImmediate(resolve));
    expect(written).toHaveLength(2);
  });

  it('names a UTC day as YYYY-MM-DD', () => {
    expect(utcDay(new Date('2026-12-31T23:59:59.999+00:00'))).toBe('2026-12-31');
    expect(utcDay(new Date('2027-01-01T00:30:00+01:00'))).toBe('2026-12-31');
  });
});
