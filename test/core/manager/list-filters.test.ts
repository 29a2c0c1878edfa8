import type { AccountPage } from 'api-accounts';
import { describe, expect, it } from 'vitest';
import { accountInput, accountWithKey, admin, world, wrongCode } from '../../helpers.js';

const DAY = 86_400_000;

async function fourAccounts() {
  const w = world();
  const used = await accountWithKey(
    w,
    accountInput({ username: 'Bravo Box', email: 'api@bravo.example' }),
  );
  const idle = await accountWithKey(
    w,
    accountInput({ username: 'alpha arts', email: 'dev@alpha.example' }),
  );
  const pending = (
    await w.manager.createAccount(
      admin,
      accountInput({ username: 'Charlie', email: 'c@charlie.example' }),
    )
  )._unsafeUnwrap().account;
  const locked = (
    await w.manager.createAccount(
      admin,
      accountInput({ username: 'Delta', email: 'bravo-ops@delta.example', phone: '+447894123457' }),
    )
  )._unsafeUnwrap().account;
  const claim = w.lastClaim({ phone: locked.phone, email: locked.email });
  for (let i = 0; i < 5; i++)
    await w.manager.claimApiKey({ token: claim.token, code: wrongCode(claim.code) });
  await w.manager.verifyApiKey(idle.apiKey);
  w.ports.clock.advance(10 * DAY);
  await w.manager.verifyApiKey(used.apiKey);
  await w.manager.flushUsage();
  await w.manager.deactivateAccount(admin, idle.id);
  // The first claim expired in those ten days: a fresh one is pending.
  await w.manager.resendClaim(admin, pending.id);
  return { w, used, idle, pending, locked };
}

describe('listAccounts: filters, search, sort and total', () => {
  it('filters by switch, state and last use, and counts the matches on every page', async () => {
    const { w, used, idle, pending, locked } = await fourAccounts();
    const ids = async (query: Parameters<typeof w.manager.listAccounts>[1]) => {
      const page = (await w.manager.listAccounts(admin, query))._unsafeUnwrap();
      // The clock stood still while they were created: createdAt ties, so compare as sets.
      return { ids: page.items.map((a) => a.id).sort(), total: page.total };
    };
    expect(await ids({})).toEqual({
      ids: [used.id, idle.id, pending.id, locked.id].sort(),
      total: 4,
    });
    expect(await ids({ active: false })).toEqual({ ids: [idle.id], total: 1 });
    expect(await ids({ state: 'claim_pending' })).toEqual({ ids: [pending.id], total: 1 });
    expect(await ids({ state: 'no_key' })).toEqual({ ids: [locked.id], total: 1 });
    expect(await ids({ state: 'key_issued' })).toEqual({
      ids: [used.id, idle.id].sort(),
      total: 2,
    });
    const since = new Date(w.ports.clock.now().getTime() - DAY);
    expect(await ids({ unusedSince: since, state: 'key_issued' })).toEqual({
      ids: [idle.id],
      total: 1,
    });
    const first = (await w.manager.listAccounts(admin, { limit: 1 }))._unsafeUnwrap();
    const second = (
      await w.manager.listAccounts(admin, { limit: 1, cursor: first.nextCursor ?? '' })
    )._unsafeUnwrap();
    expect([first.total, second.total]).toEqual([4, 4]);
    const usedNow = (await w.manager.getAccount(admin, used.id))._unsafeUnwrap();
    expect(usedNow.lastUsedAt).toEqual(w.ports.clock.now());
  });

  it('searches a prefix of the username or the email, whatever the case', async () => {
    const { w, used, idle, locked } = await fourAccounts();
    const search = async (text: string) =>
      (await w.manager.listAccounts(admin, { search: text, sort: 'username' }))
        ._unsafeUnwrap()
        .items.map((a) => a.id);
    expect(await search('BRAVO')).toEqual([used.id, locked.id]);
    expect(await search('  Alpha A')).toEqual([idle.id]);
    expect(await search('DEV@')).toEqual([idle.id]);
    expect(await search('arts')).toEqual([]);
    expect(await search('   ')).toHaveLength(4);
  });

  it('sorts by username and by last use, never-used first, with a cursor for each', async () => {
    const { w, used, idle, pending, locked } = await fourAccounts();
    const all = async (sort: 'username' | 'lastUsedAt') => {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: AccountPage = (
          await w.manager.listAccounts(admin, { limit: 1, sort, ...(cursor ? { cursor } : {}) })
        )._unsafeUnwrap();
        seen.push(...page.items.map((a) => a.id));
        cursor = page.nextCursor;
      } while (cursor);
      return seen;
    };
    expect(await all('username')).toEqual([idle.id, used.id, pending.id, locked.id]);
    expect(await all('lastUsedAt')).toEqual([...[pending.id, locked.id].sort(), idle.id, used.id]);
    const byName = (
      await w.manager.listAccounts(admin, { limit: 1, sort: 'username' })
    )._unsafeUnwrap();
    expect(
      (
        await w.manager.listAccounts(admin, { sort: 'createdAt', cursor: byName.nextCursor ?? '' })
      )._unsafeUnwrapErr(),
    ).toMatchObject({ type: 'InvalidInput', field: 'cursor' });
  });

  it('says claimPending only while the claim can be completed', async () => {
    const { w, pending, locked } = await fourAccounts();
    const get = async (id: string) => (await w.manager.getAccount(admin, id))._unsafeUnwrap();
    expect((await get(locked.id)).claimPending).toBe(false);
    const fresh = (await w.manager.resendClaim(admin, pending.id))._unsafeUnwrap();
    expect(fresh.account.claimPending).toBe(true);
    w.ports.clock.advance(DAY);
    expect((await get(pending.id)).claimPending).toBe(false);
  });

  it.each([
    ['active', { active: 'yes' }],
    ['state', { state: 'pending' }],
    ['unusedSince', { unusedSince: '2026-01-01' }],
    ['unusedSince', { unusedSince: new Date(Number.NaN) }],
    ['search', { search: 42 }],
    ['search', { search: 'x'.repeat(257) }],
    ['sort', { sort: 'email' }],
  ])('refuses a bad %s', async (field, query) => {
    const w = world();
    expect((await w.manager.listAccounts(admin, query as never))._unsafeUnwrapErr()).toMatchObject({
      type: 'InvalidInput',
      field,
    });
  });
});
