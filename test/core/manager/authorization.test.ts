import { SETTINGS_ADMINISTRATOR } from 'api-accounts';
import { describe, expect, it } from 'vitest';
import {
  accountInput,
  accountMethodCalls,
  accountWithKey,
  admin,
  clerk,
  world,
} from '../../helpers.js';

describe('authorization (R1)', () => {
  it('names the role Settings Administrator', () => {
    expect(SETTINGS_ADMINISTRATOR).toBe('Settings Administrator');
  });

  it('refuses every administrative method to an actor without the role, changing nothing', async () => {
    const w = world();
    const { id, apiKey } = await accountWithKey(w);
    const before = w.ports.store.snapshot();
    const calls = [
      w.manager.createAccount(clerk, accountInput()),
      w.manager.listAccounts(clerk, {}),
      ...accountMethodCalls(w.manager, clerk, id),
    ];
    const actions = [
      'createAccount',
      'listAccounts',
      'getAccount',
      'updateAccount',
      'deactivateAccount',
      'reactivateAccount',
      'resetApiKey',
      'resendClaim',
      'accountHistory',
      'rotateApiKey',
      'endGracePeriod',
      'accountUsage',
      'quotaStatus',
      'deleteAccount',
    ];
    const results = await Promise.all(calls);
    expect(results).toHaveLength(actions.length);
    results.forEach((result, i) => {
      expect(result._unsafeUnwrapErr()).toEqual({
        type: 'Forbidden',
        message: expect.stringContaining('Settings Administrator'),
        actorId: 'clerk-1',
        requiredRole: 'Settings Administrator',
        action: actions[i],
      });
    });
    expect(w.ports.store.snapshot()).toEqual(before);
    expect((await w.manager.verifyApiKey(apiKey)).isOk()).toBe(true);
  });

  it('refuses malformed actors the same way', async () => {
    const w = world();
    for (const [actor, actorId] of [
      [null, ''],
      [undefined, ''],
      [{}, ''],
      [{ id: 'x' }, 'x'],
      [{ id: 'x', roles: 'Settings Administrator' }, 'x'],
      [{ id: 1, roles: [SETTINGS_ADMINISTRATOR] }, ''],
      // An id from the prototype is not the actor's own: the refusal names nobody.
      [Object.assign(Object.create({ id: 'proto' }), { roles: [] }), ''],
    ] as const) {
      const result = await w.manager.listAccounts(actor as never);
      expect(result._unsafeUnwrapErr()).toMatchObject({ type: 'Forbidden', actorId });
    }
  });

  it('counts only roles the actor holds itself, never ones inherited through its prototype', async () => {
    const w = world();
    const template = { id: 'clerk-1', roles: [SETTINGS_ADMINISTRATOR] };
    const inherited = [
      Object.create(template),
      Object.assign(Object.create({ roles: [SETTINGS_ADMINISTRATOR] }), { id: 'clerk-1' }),
      Object.assign(Object.create({ id: 'clerk-1' }), { roles: [SETTINGS_ADMINISTRATOR] }),
    ];
    for (const actor of inherited) {
      const result = await w.manager.createAccount(actor, accountInput());
      expect(result._unsafeUnwrapErr().type).toBe('Forbidden');
    }
    expect(w.ports.store.snapshot().accounts).toHaveLength(0);
  });

  it('lets an administrator with other roles too', async () => {
    const w = world();
    const result = await w.manager.listAccounts({
      id: 'a',
      roles: ['Box Office', SETTINGS_ADMINISTRATOR],
    });
    expect(result.isOk()).toBe(true);
    expect((await w.manager.createAccount(admin, accountInput())).isOk()).toBe(true);
  });
});

describe("authorize: the host's own authorization", () => {
  const auditor = { id: 'auditor-1', roles: ['Auditor'] };
  const readOnly = new Set([
    'listAccounts',
    'getAccount',
    'accountHistory',
    'accountUsage',
    'quotaStatus',
  ]);

  it('replaces the role check: asked with the actor, the method and the account id', async () => {
    const asked: unknown[][] = [];
    const w = world({
      authorize: async (actor, action, accountId) => {
        asked.push([actor.id, action, accountId]);
        return actor.roles.includes('Auditor')
          ? readOnly.has(action)
          : actor.roles.includes(SETTINGS_ADMINISTRATOR);
      },
    });
    const { id } = await accountWithKey(w);
    expect((await w.manager.getAccount(auditor, id)).isOk()).toBe(true);
    expect((await w.manager.listAccounts(auditor, {}))._unsafeUnwrap().total).toBe(1);
    const refused = (
      await w.manager.resetApiKey(auditor, id, { confirm: true })
    )._unsafeUnwrapErr();
    expect(refused).toEqual({
      type: 'Forbidden',
      message: 'This user may not resetApiKey here.',
      actorId: 'auditor-1',
      requiredRole: null,
      action: 'resetApiKey',
    });
    expect(asked).toContainEqual(['auditor-1', 'getAccount', id]);
    expect(asked).toContainEqual(['auditor-1', 'listAccounts', undefined]);
    expect(asked).toContainEqual(['auditor-1', 'resetApiKey', id]);
    expect((await w.manager.resetApiKey(admin, id, { confirm: true })).isOk()).toBe(true);
  });

  it('lets a call through only on true, and answers PortFailed when it throws, changing nothing', async () => {
    let answer: () => unknown = () => true;
    const w = world({ authorize: () => answer() as boolean });
    const { id } = await accountWithKey(w);
    const stored = w.ports.store.snapshot().accounts;
    for (const value of [1, 'yes', {}, undefined, null, false]) {
      answer = () => value;
      expect((await w.manager.listAccounts(admin, {}))._unsafeUnwrapErr().type).toBe('Forbidden');
    }
    answer = () => {
      throw new Error('RBAC service down');
    };
    expect((await w.manager.getAccount(admin, id))._unsafeUnwrapErr()).toMatchObject({
      type: 'PortFailed',
      port: 'authorize',
    });
    answer = () => Promise.reject(new Error('timeout'));
    expect((await w.manager.createAccount(admin, accountInput()))._unsafeUnwrapErr().type).toBe(
      'PortFailed',
    );
    expect(w.ports.store.snapshot().accounts).toEqual(stored);
  });

  it('still needs a well-formed actor, and a function', async () => {
    const w = world({ authorize: () => true });
    expect(
      (await w.manager.listAccounts({ id: 7, roles: [] } as never, {}))._unsafeUnwrapErr().type,
    ).toBe('Forbidden');
    expect(() => world({ authorize: true as never })).toThrow(TypeError);
  });
});

describe('authorize is asked for everything a call does (#23)', () => {
  /** A support role: may edit profiles and read, nothing more. */
  const support = { id: 'support-1', roles: ['Support'] };
  const supportMay = new Set(['getAccount', 'listAccounts', 'updateAccount']);
  const hostAuthorize =
    (asked: unknown[][]) => (actor: { id: string; roles: readonly string[] }, action: string) => {
      asked.push([actor.id, action]);
      return actor.roles.includes(SETTINGS_ADMINISTRATOR) || supportMay.has(action);
    };

  it('refuses an update that switches the account back on to a role that may not reactivate, changing nothing', async () => {
    const asked: unknown[][] = [];
    const w = world({ authorize: hostAuthorize(asked) });
    const { id, apiKey } = await accountWithKey(w);
    (await w.manager.deactivateAccount(admin, id))._unsafeUnwrap();
    const before = w.ports.store.snapshot();
    const refused = (
      await w.manager.updateAccount(support, id, { active: true })
    )._unsafeUnwrapErr();
    expect(refused).toMatchObject({
      type: 'Forbidden',
      action: 'reactivateAccount',
      actorId: 'support-1',
    });
    expect(asked).toContainEqual(['support-1', 'updateAccount']);
    expect(asked).toContainEqual(['support-1', 'reactivateAccount']);
    expect(w.ports.store.snapshot()).toEqual(before);
    expect((await w.manager.verifyApiKey(apiKey))._unsafeUnwrapErr().type).toBe('AccountInactive');
    const history = (await w.manager.accountHistory(admin, id))._unsafeUnwrap().items;
    expect(history.map((event) => event.type)).not.toContain('account.reactivated');
  });

  it('refuses switching off through an update the same way', async () => {
    const w = world({ authorize: hostAuthorize([]) });
    const { id, apiKey } = await accountWithKey(w);
    const refused = (
      await w.manager.updateAccount(support, id, { active: false })
    )._unsafeUnwrapErr();
    expect(refused).toMatchObject({ type: 'Forbidden', action: 'deactivateAccount' });
    expect((await w.manager.verifyApiKey(apiKey)).isOk()).toBe(true);
  });

  it('asks updateAccess for scopes, allowed addresses and the rate limit, and refuses the whole patch', async () => {
    const w = world({
      authorize: hostAuthorize([]),
      scopes: { 'customers:read': 'Read', 'orders:write': 'Write' },
      defaultScopes: ['customers:read'],
    });
    const { id } = await accountWithKey(w);
    for (const patch of [
      { scopes: ['customers:read', 'orders:write'] },
      { allowedIps: ['203.0.113.0/24'] },
      { rateLimit: { limit: 10, windowMs: 1_000 } },
      { username: 'Renamed Ltd', scopes: ['orders:write'] },
    ]) {
      const before = w.ports.store.snapshot();
      const refused = (await w.manager.updateAccount(support, id, patch))._unsafeUnwrapErr();
      expect(refused).toMatchObject({ type: 'Forbidden', action: 'updateAccess' });
      expect(w.ports.store.snapshot()).toEqual(before);
    }
    // The profile alone is the support role's to edit.
    const renamed = (
      await w.manager.updateAccount(support, id, { username: 'Renamed Ltd' })
    )._unsafeUnwrap();
    expect(renamed.username).toBe('Renamed Ltd');
    // An access field sent as it already is changes nothing, and needs nothing more.
    const same = (
      await w.manager.updateAccount(support, id, { scopes: ['customers:read'], active: true })
    )._unsafeUnwrap();
    expect(same.version).toBe(renamed.version);
  });

  it('asks updateAccess when an account is created with its own access', async () => {
    const asked: unknown[][] = [];
    const creator = { id: 'creator-1', roles: ['Creator'] };
    const w = world({
      authorize: (actor, action) => {
        asked.push([actor.id, action]);
        return actor.roles.includes(SETTINGS_ADMINISTRATOR) || action === 'createAccount';
      },
      scopes: { 'customers:read': 'Read', 'orders:write': 'Write' },
      defaultScopes: ['customers:read'],
    });
    expect((await w.manager.createAccount(creator, accountInput())).isOk()).toBe(true);
    const refused = (
      await w.manager.createAccount(creator, accountInput({ scopes: ['orders:write'] }))
    )._unsafeUnwrapErr();
    expect(refused).toMatchObject({ type: 'Forbidden', action: 'updateAccess' });
    expect(w.ports.store.snapshot().accounts).toHaveLength(1);
    expect(asked.filter(([, action]) => action === 'updateAccess')).toHaveLength(1);
  });

  it('lets an administrator do all of it under the default authorization', async () => {
    const w = world({ scopes: { 'customers:read': 'Read' } });
    const { id } = await accountWithKey(w);
    const updated = (
      await w.manager.updateAccount(admin, id, { active: false, allowedIps: ['203.0.113.9'] })
    )._unsafeUnwrap();
    expect(updated).toMatchObject({ active: false, allowedIps: ['203.0.113.9'] });
  });
});
