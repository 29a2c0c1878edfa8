import { inMemoryPorts } from 'api-accounts';
import type { UsageCount } from 'api-accounts/ports';
import { describe, expect, it } from 'vitest';
import {
  accountInput,
  accountWithKey,
  admin,
  capturingLogger,
  clerk,
  freshSealer,
  signedRequest,
  world,
} from '../../helpers.js';

const DAY = 86_400_000;

/** In-memory ports whose store records every usage batch it is given. */
function countingPorts(fail = () => false) {
  const ports = inMemoryPorts();
  const batches: UsageCount[][] = [];
  const record = ports.store.recordUsage.bind(ports.store);
  const store: typeof ports.store = Object.assign(
    Object.create(ports.store) as typeof ports.store,
    {
      recordUsage: async (counts: readonly UsageCount[]) => {
        if (fail()) throw new Error('store down');
        batches.push([...counts]);
        return record(counts);
      },
    },
  );
  return { ports: { ...ports, store }, batches, memory: ports.store };
}

const range = (from: Date, days = 1) => ({ from, to: new Date(from.getTime() + days * DAY) });

describe('usage: counted in memory, written in batches', () => {
  it('writes nothing per verification, then one batch with one count per account and day', async () => {
    const { ports, batches } = countingPorts();
    ports.clock.set(new Date('2026-12-02T10:00:00Z'));
    const w = world({}, ports);
    const a = await accountWithKey(w);
    const b = await accountWithKey(w);
    for (let i = 0; i < 500; i++) await w.manager.verifyApiKey(a.apiKey);
    await w.manager.verifyApiKey(b.apiKey);
    expect(batches).toHaveLength(0);
    (await w.manager.flushUsage())._unsafeUnwrap();
    expect(batches).toHaveLength(1);
    expect(batches[0]).toEqual(
      expect.arrayContaining([
        {
          accountId: a.id,
          day: '2026-12-02',
          accepted: 500,
          refused: 0,
          lastUsedAt: ports.clock.now(),
        },
        {
          accountId: b.id,
          day: '2026-12-02',
          accepted: 1,
          refused: 0,
          lastUsedAt: ports.clock.now(),
        },
      ]),
    );
    expect(batches[0]).toHaveLength(2);
    (await w.manager.flushUsage())._unsafeUnwrap();
    expect(batches).toHaveLength(1);
    expect((await w.manager.getAccount(admin, a.id))._unsafeUnwrap().lastUsedAt).toEqual(
      ports.clock.now(),
    );
  });

  it('counts refusals of known keys (switched off, expired), and nothing for unknown keys', async () => {
    const w = world({ keyLifetime: { ms: 10 * DAY } });
    const from = w.ports.clock.now();
    const { id, apiKey } = await accountWithKey(w);
    await w.manager.verifyApiKey(apiKey);
    await w.manager.deactivateAccount(admin, id);
    await w.manager.verifyApiKey(apiKey);
    await w.manager.verifyApiKey('bm90IGEga2V5IG9mIGFueSBhY2NvdW50IGF0IGFsbCAhIQ==');
    await w.manager.reactivateAccount(admin, id);
    w.ports.clock.advance(10 * DAY);
    await w.manager.verifyApiKey(apiKey);
    const usage = (await w.manager.accountUsage(admin, id, range(from, 11)))._unsafeUnwrap();
    expect(usage.items).toEqual([
      { day: from.toISOString().slice(0, 10), accepted: 1, refused: 1 },
      { day: w.ports.clock.now().toISOString().slice(0, 10), accepted: 0, refused: 1 },
    ]);
  });

  it('splits counts at midnight UTC and includes unflushed counts in accountUsage', async () => {
    const ports = inMemoryPorts();
    ports.clock.set(new Date('2026-12-02T23:59:59Z'));
    const w = world({}, ports);
    const { id, apiKey } = await accountWithKey(w);
    await w.manager.verifyApiKey(apiKey);
    ports.clock.advance(2000);
    await w.manager.verifyApiKey(apiKey);
    await w.manager.verifyApiKey(apiKey);
    const from = new Date('2026-12-01T00:00:00Z');
    const before = (await w.manager.accountUsage(admin, id, range(from, 3)))._unsafeUnwrap();
    await w.manager.flushUsage();
    const after = (await w.manager.accountUsage(admin, id, range(from, 3)))._unsafeUnwrap();
    expect(before).toEqual(after);
    expect(after.items).toEqual([
      { day: '2026-12-02', accepted: 1, refused: 0 },
      { day: '2026-12-03', accepted: 2, refused: 0 },
    ]);
    const onlyFirst = (
      await w.manager.accountUsage(admin, id, { from, to: new Date('2026-12-02T12:00:00Z') })
    )._unsafeUnwrap();
    expect(onlyFirst.items).toEqual([{ day: '2026-12-02', accepted: 1, refused: 0 }]);
  });

  it('counts signed requests: a right signature, not a wrong one', async () => {
    const w = world({ sealer: freshSealer() });
    const holder = await accountWithKey(w, accountInput());
    const url = 'https://box-office.example/api/v3/events';
    const good = await signedRequest(holder, { method: 'GET', url }, w.ports.clock.now());
    const bad = await signedRequest(
      { username: holder.username, apiKey: 'dGhpcyBpcyBub3QgdGhlIGtleSBvZiB0aGlzIGFjY291bnQ=' },
      { method: 'GET', url },
      w.ports.clock.now(),
    );
    await w.manager.verifySignedRequest(good);
    await w.manager.verifySignedRequest(bad);
    const { items } = (
      await w.manager.accountUsage(admin, holder.id, range(w.ports.clock.now()))
    )._unsafeUnwrap();
    expect(items).toEqual([{ day: expect.any(String), accepted: 1, refused: 0 }]);
  });

  it('counts cache hits too', async () => {
    const w = world({ verifyCache: { ttlMs: 60_000 } });
    const { id, apiKey } = await accountWithKey(w);
    await new Promise((resolve) => setTimeout(resolve, 10));
    for (let i = 0; i < 3; i++) await w.manager.verifyApiKey(apiKey);
    const { items } = (
      await w.manager.accountUsage(admin, id, range(w.ports.clock.now()))
    )._unsafeUnwrap();
    expect(items[0]?.accepted).toBe(3);
  });

  it('keeps the counts of a failed write for the next flush, and says so once', async () => {
    let down = true;
    const { ports, batches } = countingPorts(() => down);
    const { logger, entries } = capturingLogger();
    const w = world({ logger }, ports);
    const { id, apiKey } = await accountWithKey(w);
    await w.manager.verifyApiKey(apiKey);
    await w.manager.flushUsage();
    await w.manager.verifyApiKey(apiKey);
    expect(entries.filter((e) => e.message.includes('usage'))).toHaveLength(1);
    down = false;
    await w.manager.flushUsage();
    expect(batches.flat()).toEqual([expect.objectContaining({ accountId: id, accepted: 2 })]);
  });

  it('is bounded: past maxAccounts a flush starts and new accounts wait for it', async () => {
    const { ports, batches } = countingPorts();
    const w = world({ usage: { maxAccounts: 2 } }, ports);
    const holders = [await accountWithKey(w), await accountWithKey(w), await accountWithKey(w)];
    for (const holder of holders) await w.manager.verifyApiKey(holder.apiKey);
    await w.manager.flushUsage();
    const written = batches.flat();
    expect(written.map((c) => c.accountId).sort()).toEqual([holders[0]?.id, holders[1]?.id].sort());
  });

  it('flushes on its own timer, and on close()', async () => {
    const { ports, batches } = countingPorts();
    const w = world({ usage: { flushIntervalMs: 20 } }, ports);
    const { apiKey } = await accountWithKey(w);
    await w.manager.verifyApiKey(apiKey);
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(batches).toHaveLength(1);
    await w.manager.verifyApiKey(apiKey);
    await w.manager.close();
    expect(batches).toHaveLength(2);
  });

  it('counts nothing with usage: false', async () => {
    const { ports, batches } = countingPorts();
    const w = world({ usage: false }, ports);
    const { id, apiKey } = await accountWithKey(w);
    await w.manager.verifyApiKey(apiKey);
    await w.manager.flushUsage();
    expect(batches).toHaveLength(0);
    const { items } = (
      await w.manager.accountUsage(admin, id, range(ports.clock.now()))
    )._unsafeUnwrap();
    expect(items).toEqual([]);
  });

  it('reads the last 30 days by default, oldest first, leaving out unflushed days outside the range', async () => {
    const ports = inMemoryPorts();
    const today = new Date('2026-12-31T12:00:00Z');
    const w = world({}, ports);
    const { id, apiKey } = await accountWithKey(w);
    const verifyOn = async (daysAgo: number) => {
      ports.clock.set(new Date(today.getTime() - daysAgo * DAY));
      await w.manager.verifyApiKey(apiKey);
    };
    await verifyOn(2);
    await w.manager.flushUsage();
    // Counted after the flush, days out of order: only the sort puts them in place.
    for (const daysAgo of [0, 30, 29, 5]) await verifyOn(daysAgo);
    ports.clock.set(today);
    const items = (await w.manager.accountUsage(admin, id))._unsafeUnwrap().items;
    expect(items.map((item) => item.day)).toEqual([
      '2026-12-02',
      '2026-12-26',
      '2026-12-29',
      '2026-12-31',
    ]);
    const middle = {
      from: new Date('2026-12-03T00:00:00Z'),
      to: new Date('2026-12-30T00:00:00Z'),
    };
    const inside = (await w.manager.accountUsage(admin, id, middle))._unsafeUnwrap().items;
    expect(inside.map((item) => item.day)).toEqual(['2026-12-26', '2026-12-29']);
  });

  it('names the field and the rule a range breaks', async () => {
    const w = world();
    const { id } = await accountWithKey(w);
    const now = w.ports.clock.now();
    const refusal = async (r: unknown) => {
      // biome-ignore lint/suspicious/noExplicitAny: hostile input on purpose
      const error = (await w.manager.accountUsage(admin, id, r as any))._unsafeUnwrapErr();
      return error.type === 'InvalidInput' ? [error.field, error.message] : error.type;
    };
    expect(await refusal({ from: 'yesterday', to: now })).toEqual([
      'from',
      'from must be a valid Date.',
    ]);
    expect(await refusal({ from: now, to: 'today' })).toEqual(['to', 'to must be a valid Date.']);
    expect(await refusal({ from: now, to: new Date(now.getTime() - 1) })).toEqual([
      'to',
      'to must not be before from.',
    ]);
    expect(await refusal({ from: now, to: new Date(now.getTime() + 366 * DAY + 1) })).toEqual([
      'to',
      'a range covers at most 366 days.',
    ]);
    // Date.UTC reads years 0–99 as 1900–1999: set the year on its own.
    const inYear = (y: number) => new Date(new Date(0).setUTCFullYear(y, 0, 1));
    expect(await refusal({ from: inYear(0), to: inYear(0) })).toEqual([
      'from',
      'from must be a valid Date.',
    ]);
    expect(await refusal({ from: inYear(10_000), to: inYear(10_000) })).toEqual([
      'from',
      'from must be a valid Date.',
    ]);
    for (const edge of [
      { from: now, to: new Date(now.getTime() + 366 * DAY) },
      { from: inYear(1), to: inYear(1) },
      { from: inYear(9999), to: inYear(9999) },
    ]) {
      // biome-ignore lint/suspicious/noExplicitAny: a range at its bounds
      expect((await w.manager.accountUsage(admin, id, edge as any)).isOk()).toBe(true);
    }
  });

  it('checks the actor, the account and the range', async () => {
    const w = world();
    const { id } = await accountWithKey(w);
    const now = w.ports.clock.now();
    const usage = (actor = admin, account = id, r: unknown = range(now)) =>
      // biome-ignore lint/suspicious/noExplicitAny: hostile input on purpose
      w.manager.accountUsage(actor, account, r as any);
    expect((await usage(clerk))._unsafeUnwrapErr().type).toBe('Forbidden');
    expect((await usage(admin, `acct_${'Z'.repeat(22)}`))._unsafeUnwrapErr().type).toBe(
      'AccountNotFound',
    );
    // Left out, `to` is now and `from` 29 days before it (#23).
    for (const defaulted of [null, {}, { from: now }, { to: now }]) {
      expect((await usage(admin, id, defaulted)).isOk()).toBe(true);
    }
    for (const bad of [
      { from: 'yesterday', to: now },
      { to: 'today' },
      { from: now, to: new Date(now.getTime() - 1) },
      { from: now, to: new Date(now.getTime() + 400 * DAY) },
      { from: new Date(Number.NaN), to: now },
      { from: new Date('+275760-09-13T00:00:00Z'), to: new Date('+275760-09-13T00:00:00Z') },
    ]) {
      expect((await usage(admin, id, bad))._unsafeUnwrapErr().type).toBe('InvalidInput');
    }
    expect(() => world({ usage: { flushIntervalMs: 0 } })).toThrow(TypeError);
    expect(() => world({ usage: { maxAccounts: 1.5 } })).toThrow(TypeError);
  });
});
