import {
  aesGcmSealer,
  createVerifier,
  inMemoryPorts,
  type RateLimiter,
  signRequest,
} from 'api-accounts';
import { inMemoryRateLimiter } from 'api-accounts/testing';
import { describe, expect, it } from 'vitest';
import { accountInput, accountWithKey, admin, world } from '../../helpers.js';

const SCOPES = {
  'customers:read': 'Read customer records',
  'orders:write': 'Create orders',
  'events:read': 'Read events',
} as const;

const scoped = (overrides = {}) =>
  world({ scopes: SCOPES, defaultScopes: ['customers:read'], ...overrides });

describe('scopes (SPEC section 7)', () => {
  it('gives a new account the default scopes, or the ones asked for, in the host order', async () => {
    const w = scoped();
    const plain = (await w.manager.createAccount(admin, accountInput()))._unsafeUnwrap();
    expect(plain.account.scopes).toEqual(['customers:read']);
    const chosen = (
      await w.manager.createAccount(
        admin,
        accountInput({ scopes: ['events:read', 'customers:read', 'events:read'] }),
      )
    )._unsafeUnwrap();
    expect(chosen.account.scopes).toEqual(['customers:read', 'events:read']);
  });

  it('refuses unknown scopes at create and update with InvalidInput, storing nothing', async () => {
    const w = scoped();
    const refused = await w.manager.createAccount(
      admin,
      accountInput({ scopes: ['customers:read', 'payments:take'] }),
    );
    expect(refused._unsafeUnwrapErr()).toMatchObject({
      type: 'InvalidInput',
      field: 'scopes',
      reason: 'unknown_scope',
    });
    expect(refused._unsafeUnwrapErr().message).toContain('payments:take');
    expect((await w.manager.listAccounts(admin, { limit: 10 }))._unsafeUnwrap().total).toBe(0);
    const { id } = await accountWithKey(w);
    const update = await w.manager.updateAccount(admin, id, { scopes: ['orders:*'] });
    expect(update._unsafeUnwrapErr()).toMatchObject({ type: 'InvalidInput', field: 'scopes' });
    for (const bad of ['customers:read', [42], null]) {
      const answer = await w.manager.updateAccount(admin, id, { scopes: bad as never });
      expect(answer._unsafeUnwrapErr()).toMatchObject({ type: 'InvalidInput', field: 'scopes' });
    }
  });

  it('reports bad scopes, addresses and rate limit with the other invalid fields, all at once', async () => {
    const w = scoped();
    const error = (
      await w.manager.createAccount(admin, {
        username: '',
        email: 'x',
        phone: '+447894123456',
        scopes: ['nope'],
        allowedIps: ['10.0.0.0/33'],
        rateLimit: { limit: 0, windowMs: 60_000 },
      })
    )._unsafeUnwrapErr();
    expect(error.type).toBe('InvalidInput');
    expect(error.type === 'InvalidInput' && error.fields?.map((f) => [f.field, f.reason])).toEqual([
      ['username', 'empty'],
      ['email', 'missing_at'],
      ['scopes', 'unknown_scope'],
      ['allowedIps', 'prefix_out_of_range'],
      ['rateLimit', 'out_of_range'],
    ]);
  });

  it('records a change of scopes with before and after, and nothing when they are the same', async () => {
    const w = scoped();
    const { id } = await accountWithKey(w);
    const same = (
      await w.manager.updateAccount(admin, id, { scopes: ['customers:read'] })
    )._unsafeUnwrap();
    const changed = (
      await w.manager.updateAccount(admin, id, { scopes: ['orders:write', 'customers:read'] })
    )._unsafeUnwrap();
    expect(changed.scopes).toEqual(['customers:read', 'orders:write']);
    expect(changed.version).toBe(same.version + 1);
    const history = (await w.manager.accountHistory(admin, id))._unsafeUnwrap().items;
    const event = history.at(-1);
    expect(event).toMatchObject({
      type: 'account.scopes_changed',
      actorId: admin.id,
      changes: {
        scopes: { before: ['customers:read'], after: ['customers:read', 'orders:write'] },
      },
    });
    expect(history.filter((e) => e.type === 'account.scopes_changed')).toHaveLength(1);
  });

  it('puts the scopes in the principal, and a change reaches a cached verdict at once', async () => {
    const w = scoped({ verifyCache: { ttlMs: 60_000, singleInstance: true } });
    const { id, apiKey } = await accountWithKey(w);
    expect((await w.manager.verifyApiKey(apiKey))._unsafeUnwrap().scopes).toEqual([
      'customers:read',
    ]);
    await w.manager.updateAccount(admin, id, { scopes: ['events:read'] });
    expect((await w.manager.verifyApiKey(apiKey))._unsafeUnwrap().scopes).toEqual(['events:read']);
  });

  it('an account whose scopes were never set holds every declared scope, as it held everything before', async () => {
    const ports = inMemoryPorts();
    const before = world({}, ports);
    const { id, apiKey } = await accountWithKey(before);
    expect((await before.manager.getAccount(admin, id))._unsafeUnwrap().scopes).toEqual([]);
    // The host declares scopes later, over the same store: the account keeps its full access.
    const after = world({ scopes: SCOPES, defaultScopes: [] }, ports);
    expect((await after.manager.verifyApiKey(apiKey))._unsafeUnwrap().scopes).toEqual(
      Object.keys(SCOPES),
    );
    // Narrowing it is a recorded change from everything to the new list.
    await after.manager.updateAccount(admin, id, { scopes: ['events:read'] });
    expect(
      (await after.manager.accountHistory(admin, id))._unsafeUnwrap().items.at(-1),
    ).toMatchObject({
      changes: { scopes: { before: Object.keys(SCOPES), after: ['events:read'] } },
    });
  });

  it('refuses a misdeclared vocabulary at construction', () => {
    expect(() => world({ scopes: { 'has space': 'x' } })).toThrow(TypeError);
    expect(() => world({ scopes: SCOPES, defaultScopes: ['payments:take'] })).toThrow(
      /defaultScopes/,
    );
    expect(() => world({ rateLimit: { limit: 10, windowMs: 1500 } })).toThrow(/rateLimit/);
  });
});

describe('allowed addresses (SPEC section 7)', () => {
  it('normalises the list on input and records its change', async () => {
    const w = scoped();
    const created = (
      await w.manager.createAccount(admin, accountInput({ allowedIps: ['2001:DB8::/32'] }))
    )._unsafeUnwrap();
    expect(created.account.allowedIps).toEqual(['2001:db8::/32']);
    const updated = (
      await w.manager.updateAccount(admin, created.account.id, {
        allowedIps: ['::ffff:203.0.113.0/120', '2001:db8::/32'],
      })
    )._unsafeUnwrap();
    expect(updated.allowedIps).toEqual(['203.0.113.0/24', '2001:db8::/32']);
    const history = (await w.manager.accountHistory(admin, created.account.id))._unsafeUnwrap();
    expect(history.items.at(-1)).toMatchObject({
      type: 'account.access_changed',
      changes: {
        allowedIps: { before: ['2001:db8::/32'], after: ['203.0.113.0/24', '2001:db8::/32'] },
      },
    });
  });

  it.each([
    ['10.0.0.0/33', 'prefix_out_of_range'],
    ['::1/129', 'prefix_out_of_range'],
    ['1.2.3', 'malformed_address'],
    ['10.1.2.3/8', 'host_bits_set'],
  ])('refuses %s as InvalidInput (%s)', async (range, reason) => {
    const w = scoped();
    const answer = await w.manager.createAccount(admin, accountInput({ allowedIps: [range] }));
    expect(answer._unsafeUnwrapErr()).toMatchObject({
      type: 'InvalidInput',
      field: 'allowedIps',
      reason,
    });
  });

  it('lets in only addresses inside the list, IPv4-mapped ones too, and never an unknown one', async () => {
    const w = scoped({ verifyCache: { ttlMs: 60_000, singleInstance: true } });
    const { id, apiKey } = await accountWithKey(
      w,
      accountInput({ allowedIps: ['203.0.113.0/24', '2001:db8::/32'] }),
    );
    const verify = (clientIp?: string) =>
      w.manager.verifyApiKey(apiKey, clientIp === undefined ? {} : { clientIp });
    expect((await verify('203.0.113.9')).isOk()).toBe(true);
    expect((await verify('::ffff:203.0.113.9')).isOk()).toBe(true);
    expect((await verify('2001:db8::7')).isOk()).toBe(true);
    for (const outside of ['198.51.100.1', '2001:db9::1', 'not an address', '', undefined]) {
      expect((await verify(outside))._unsafeUnwrapErr(), String(outside)).toEqual({
        type: 'IpNotAllowed',
        message: expect.any(String),
        accountId: id,
      });
    }
    // Emptying the list lets it in from anywhere, at once, cache or not.
    await w.manager.updateAccount(admin, id, { allowedIps: [] });
    expect((await verify('198.51.100.1')).isOk()).toBe(true);
    expect((await verify()).isOk()).toBe(true);
  });

  it('applies to signed requests through their clientIp', async () => {
    const ports = inMemoryPorts();
    const sealer = aesGcmSealer({ keys: { k1: new Uint8Array(32).fill(7) }, current: 'k1' });
    const w = world({ sealer }, ports);
    const { username, apiKey } = await accountWithKey(
      w,
      accountInput({ allowedIps: ['203.0.113.9'] }),
    );
    const url = 'https://box-office.example/api/v3/customers';
    const signed = signRequest({ method: 'GET', url, username, apiKey, date: ports.clock.now() });
    const headers = {
      authorization: signed._unsafeUnwrap().authorization,
      date: signed._unsafeUnwrap().date,
    };
    const from = (clientIp?: string) =>
      w.manager.verifySignedRequest({
        method: 'GET',
        url,
        headers,
        ...(clientIp ? { clientIp } : {}),
      });
    expect((await from('203.0.113.9')).isOk()).toBe(true);
    expect((await from('203.0.113.10'))._unsafeUnwrapErr().type).toBe('IpNotAllowed');
    expect((await from())._unsafeUnwrapErr().type).toBe('IpNotAllowed');
  });
});

describe('rate limits (SPEC section 7)', () => {
  it('applies no limit unless one is set, by default or on the account', async () => {
    const w = world();
    const { apiKey } = await accountWithKey(w);
    for (let i = 0; i < 50; i++) expect((await w.manager.verifyApiKey(apiKey)).isOk()).toBe(true);
    expect((await w.manager.verifyApiKey(apiKey))._unsafeUnwrap().rateLimit).toBeNull();
  });

  it('refuses over the limit with RateLimited, says when to retry, and refills on the clock', async () => {
    const ports = inMemoryPorts();
    const w = world({ rateLimit: { limit: 3, windowMs: 60_000 } }, ports);
    const { id, apiKey } = await accountWithKey(w);
    const statuses = [];
    for (let i = 0; i < 3; i++)
      statuses.push((await w.manager.verifyApiKey(apiKey))._unsafeUnwrap().rateLimit);
    expect(statuses.map((s) => s?.remaining)).toEqual([2, 1, 0]);
    expect(statuses[0]).toEqual({ limit: 3, windowMs: 60_000, remaining: 2, resetAfterMs: 20_000 });
    expect((await w.manager.verifyApiKey(apiKey))._unsafeUnwrapErr()).toEqual({
      type: 'RateLimited',
      message: expect.stringContaining('3 requests per 60 s'),
      accountId: id,
      limit: 3,
      windowMs: 60_000,
      retryAfterMs: 20_000,
    });
    ports.clock.advance(20_000);
    expect((await w.manager.verifyApiKey(apiKey)).isOk()).toBe(true);
    expect((await w.manager.verifyApiKey(apiKey)).isErr()).toBe(true);
  });

  it("uses the account's own limit over the default, and the default again after null", async () => {
    const w = world({ rateLimit: { limit: 100, windowMs: 60_000 } });
    const { id, apiKey } = await accountWithKey(
      w,
      accountInput({ rateLimit: { limit: 1, windowMs: 1_000 } }),
    );
    expect((await w.manager.verifyApiKey(apiKey))._unsafeUnwrap().rateLimit?.limit).toBe(1);
    expect((await w.manager.verifyApiKey(apiKey))._unsafeUnwrapErr().type).toBe('RateLimited');
    const reset = (await w.manager.updateAccount(admin, id, { rateLimit: null }))._unsafeUnwrap();
    expect(reset.rateLimit).toBeNull();
    const history = (await w.manager.accountHistory(admin, id))._unsafeUnwrap().items;
    expect(history.at(-1)).toMatchObject({
      type: 'account.access_changed',
      changes: { rateLimit: { before: { limit: 1, windowMs: 1_000 }, after: null } },
    });
    expect((await w.manager.verifyApiKey(apiKey))._unsafeUnwrap().rateLimit?.limit).toBe(100);
  });

  it('spends nothing on refusals: a switched-off key, a wrong address, an unknown key', async () => {
    const w = world({ rateLimit: { limit: 2, windowMs: 60_000 } });
    const { id, apiKey } = await accountWithKey(w, accountInput({ allowedIps: ['203.0.113.9'] }));
    for (let i = 0; i < 20; i++) {
      expect((await w.manager.verifyApiKey(apiKey, { clientIp: '198.51.100.1' })).isErr()).toBe(
        true,
      );
    }
    await w.manager.deactivateAccount(admin, id);
    for (let i = 0; i < 20; i++)
      expect((await w.manager.verifyApiKey(apiKey, { clientIp: '203.0.113.9' })).isErr()).toBe(
        true,
      );
    await w.manager.reactivateAccount(admin, id);
    const fromHome = () => w.manager.verifyApiKey(apiKey, { clientIp: '203.0.113.9' });
    expect((await fromHome()).isOk()).toBe(true);
    expect((await fromHome()).isOk()).toBe(true);
    expect((await fromHome())._unsafeUnwrapErr().type).toBe('RateLimited');
  });

  it('counts refusals by address and by rate limit as refused usage', async () => {
    const w = world({ rateLimit: { limit: 1, windowMs: 60_000 } });
    const { id, apiKey } = await accountWithKey(w, accountInput({ allowedIps: ['203.0.113.9'] }));
    await w.manager.verifyApiKey(apiKey, { clientIp: '203.0.113.9' }); // accepted
    await w.manager.verifyApiKey(apiKey, { clientIp: '203.0.113.9' }); // rate limited
    await w.manager.verifyApiKey(apiKey, { clientIp: '198.51.100.1' }); // address
    const now = w.ports.clock.now();
    const usage = (await w.manager.accountUsage(admin, id, { from: now, to: now }))._unsafeUnwrap();
    expect(usage.items).toEqual([{ day: now.toISOString().slice(0, 10), accepted: 1, refused: 2 }]);
  });

  it('refuses by address, switch and rate limit alike with usage counting off', async () => {
    const w = scoped({ usage: false, rateLimit: { limit: 1, windowMs: 60_000 } });
    const { id, apiKey } = await accountWithKey(
      w,
      accountInput({ allowedIps: ['203.0.113.0/24'] }),
    );
    const from = (clientIp: string) => w.manager.verifyApiKey(apiKey, { clientIp });
    expect((await from('203.0.113.9')).isOk()).toBe(true);
    expect((await from('203.0.113.9'))._unsafeUnwrapErr()).toMatchObject({
      type: 'RateLimited',
      accountId: id,
    });
    expect((await from('198.51.100.1'))._unsafeUnwrapErr()).toEqual({
      type: 'IpNotAllowed',
      message: expect.any(String),
      accountId: id,
    });
    (await w.manager.deactivateAccount(admin, id))._unsafeUnwrap();
    expect((await from('203.0.113.9'))._unsafeUnwrapErr().type).toBe('AccountInactive');
  });

  it('refuses (503-style PortFailed) when the limiter fails, never lets in unlimited', async () => {
    const broken: RateLimiter = {
      consume: async () => {
        throw new Error('limiter down');
      },
    };
    const confused = { consume: async () => ({ allowed: 'yes' }) } as unknown as RateLimiter;
    for (const rateLimiter of [broken, confused]) {
      const w = world({ rateLimit: { limit: 5, windowMs: 60_000 }, rateLimiter });
      const { apiKey } = await accountWithKey(w);
      expect((await w.manager.verifyApiKey(apiKey))._unsafeUnwrapErr()).toMatchObject({
        type: 'PortFailed',
        port: 'rateLimiter',
      });
    }
  });

  it('takes only a well-formed decision from the limiter: anything else is PortFailed, never a pass', async () => {
    const answers: [unknown, string][] = [
      [null, 'PortFailed'],
      ['yes', 'PortFailed'],
      [{ allowed: true }, 'PortFailed'],
      [{ allowed: true, remaining: 1 }, 'PortFailed'],
      [{ allowed: true, resetAfterMs: 1 }, 'PortFailed'],
      [{ allowed: true, remaining: -1, resetAfterMs: 0 }, 'PortFailed'],
      [{ allowed: true, remaining: 1, resetAfterMs: Number.NaN }, 'PortFailed'],
      [{ allowed: true, remaining: Number.POSITIVE_INFINITY, resetAfterMs: 0 }, 'PortFailed'],
      [{ allowed: true, remaining: '1', resetAfterMs: 0 }, 'PortFailed'],
      [{ allowed: 'true', remaining: 1, resetAfterMs: 0 }, 'PortFailed'],
      [{ allowed: false }, 'PortFailed'],
      [{ allowed: false, retryAfterMs: -5 }, 'PortFailed'],
      [{ remaining: 1, resetAfterMs: 0, retryAfterMs: 5 }, 'PortFailed'],
      [{ allowed: true, remaining: 0, resetAfterMs: 0 }, 'accepted'],
      [{ allowed: false, retryAfterMs: 0 }, 'RateLimited'],
    ];
    for (const [answer, expected] of answers) {
      const rateLimiter = { consume: async () => answer } as unknown as RateLimiter;
      const w = world({ rateLimit: { limit: 5, windowMs: 60_000 }, rateLimiter });
      const { apiKey } = await accountWithKey(w);
      const result = await w.manager.verifyApiKey(apiKey);
      const outcome = result.isOk() ? 'accepted' : result.error.type;
      expect(outcome, JSON.stringify(answer)).toBe(expected);
      if (outcome === 'PortFailed')
        expect(result._unsafeUnwrapErr()).toMatchObject({ port: 'rateLimiter' });
    }
  });

  it('is one budget for several instances sharing a limiter, exact under 40 concurrent requests', async () => {
    const ports = inMemoryPorts();
    const rateLimiter = inMemoryRateLimiter();
    const options = { rateLimit: { limit: 10, windowMs: 60_000 }, rateLimiter };
    const a = world(options, ports);
    const { apiKey } = await accountWithKey(a);
    const b = createVerifier({ store: ports.store, clock: ports.clock, ...options });
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, i) => (i % 2 ? a.manager : b).verifyApiKey(apiKey)),
    );
    expect(answers.filter((r) => r.isOk())).toHaveLength(10);
    expect(new Set(answers.filter((r) => r.isErr()).map((r) => r._unsafeUnwrapErr().type))).toEqual(
      new Set(['RateLimited']),
    );
  });
});
