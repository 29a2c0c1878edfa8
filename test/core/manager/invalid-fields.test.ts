import { describe, expect, it } from 'vitest';
import { startDemo } from '../../examples/demo-app.js';
import { accountInput, accountWithKey, admin, world } from '../../helpers.js';

describe('every invalid field at once', () => {
  it('createAccount({}) names username, email and phone together', async () => {
    const w = world();
    const error = (await w.manager.createAccount(admin, {} as never))._unsafeUnwrapErr();
    expect(error).toMatchObject({
      type: 'InvalidInput',
      field: 'username',
      message: '3 fields are invalid: username, email, phone.',
    });
    expect(
      error.type === 'InvalidInput' ? error.fields?.map((f) => [f.field, f.reason]) : null,
    ).toEqual([
      ['username', 'not_a_string'],
      ['email', expect.any(String)],
      ['phone', expect.any(String)],
    ]);
    expect(w.ports.store.snapshot().accounts).toHaveLength(0);
  });

  it('keeps the single-field error when only one field is wrong', async () => {
    const w = world();
    const one = (
      await w.manager.createAccount(admin, accountInput({ phone: '+441632960000' }))
    )._unsafeUnwrapErr();
    expect(one).toMatchObject({ type: 'InvalidPhone', reason: expect.any(String) });
    expect('fields' in one).toBe(false);
  });

  it('updateAccount reports a bad email and a bad switch together, and changes nothing', async () => {
    const w = world();
    const { id } = await accountWithKey(w);
    const before = (await w.manager.getAccount(admin, id))._unsafeUnwrap();
    const error = (
      await w.manager.updateAccount(admin, id, { email: 'not-an-email', active: 'no' } as never)
    )._unsafeUnwrapErr();
    expect(error).toMatchObject({
      type: 'InvalidInput',
      fields: [
        { field: 'email', reason: expect.any(String), message: expect.any(String) },
        { field: 'active', reason: 'InvalidInput', message: 'active must be true or false.' },
      ],
    });
    expect((await w.manager.getAccount(admin, id))._unsafeUnwrap()).toEqual(before);
  });

  it('the demo form marks every invalid field', async () => {
    const demo = await startDemo();
    const response = await demo('/settings/api-accounts/new', {
      method: 'POST',
      headers: { cookie: 'demo_user=sam' },
      body: new URLSearchParams({ username: '', email: 'nope', phone: '123' }),
    });
    expect(response.status).toBe(422);
    const page = await response.text();
    for (const field of ['username', 'email', 'phone']) {
      expect(page, field).toContain(`id="${field}-error"`);
      expect(page, field).toContain(`id="${field}" name="${field}"`);
    }
    expect(page.match(/aria-invalid="true"/g)).toHaveLength(3);
  });
});
