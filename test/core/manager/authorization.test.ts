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
    for (const result of await Promise.all(calls)) {
      expect(result._unsafeUnwrapErr()).toEqual({
        type: 'Forbidden',
        message: expect.stringContaining('Settings Administrator'),
        actorId: 'clerk-1',
        requiredRole: 'Settings Administrator',
      });
    }
    expect(w.ports.store.snapshot()).toEqual(before);
    expect((await w.manager.verifyApiKey(apiKey)).isOk()).toBe(true);
  });

  it('refuses malformed actors the same way', async () => {
    const w = world();
    for (const actor of [
      null,
      undefined,
      {},
      { id: 'x' },
      { id: 'x', roles: 'Settings Administrator' },
      { id: 1, roles: [SETTINGS_ADMINISTRATOR] },
    ]) {
      const result = await w.manager.listAccounts(actor as never);
      expect(result._unsafeUnwrapErr().type).toBe('Forbidden');
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
