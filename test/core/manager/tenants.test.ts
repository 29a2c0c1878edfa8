import { randomBytes } from 'node:crypto';
import { type Actor, SETTINGS_ADMINISTRATOR } from 'api-accounts';
import { describe, expect, it } from 'vitest';
import {
  accountInput,
  accountMethodCalls,
  admin,
  freshSealer,
  signedRequest,
  type World,
  world,
} from '../../helpers.js';

const venueA: Actor = { id: 'casey', roles: [SETTINGS_ADMINISTRATOR], tenants: ['venue-a'] };
const everyVenue: Actor = { id: 'sam', roles: [SETTINGS_ADMINISTRATOR], tenants: '*' };

/** Creates an account in `tenant` as `actor` and claims its key. */
async function keyIn(w: World, tenant: string, input = accountInput(), actor = everyVenue) {
  const created = (await w.manager.createAccount(actor, { ...input, tenant }))._unsafeUnwrap();
  const claimed = (
    await w.manager.claimApiKey(w.lastClaim({ phone: input.phone, email: created.account.email }))
  )._unsafeUnwrap();
  return { id: created.account.id, username: claimed.username, apiKey: claimed.apiKey };
}

describe('tenants (SPEC section 9)', () => {
  it("puts accounts in 'default' unless told, and refuses a malformed tenant id", async () => {
    const w = world();
    const plain = (await w.manager.createAccount(admin, accountInput()))._unsafeUnwrap();
    expect(plain.account.tenant).toBe('default');
    for (const tenant of ['', 'a b', 'x'.repeat(65), 'venue/a', 'café', 7, null]) {
      const refused = await w.manager.createAccount(everyVenue, {
        ...accountInput(),
        tenant: tenant as string,
      });
      expect(refused._unsafeUnwrapErr()).toMatchObject({
        type: 'InvalidInput',
        field: 'tenant',
        message: 'tenant must be 1–64 characters of letters, digits, ".", "_" and "-".',
      });
    }
    // Every invalid field at once, the tenant among them.
    const several = await w.manager.createAccount(everyVenue, {
      ...accountInput({ email: 'nope' }),
      tenant: 'no spaces',
    });
    expect(several._unsafeUnwrapErr()).toMatchObject({ type: 'InvalidInput' });
    const fields = (several._unsafeUnwrapErr() as { fields?: { field: string }[] }).fields;
    expect(fields?.map((f) => f.field)).toEqual(['email', 'tenant']);
    expect(w.ports.store.snapshot().accounts).toHaveLength(1);
  });

  it('keeps usernames and emails unique within a tenant only, asking the directory per tenant', async () => {
    const w = world();
    const input = accountInput();
    const a = await w.manager.createAccount(everyVenue, { ...input, tenant: 'venue-a' });
    const b = await w.manager.createAccount(everyVenue, { ...input, tenant: 'venue-b' });
    expect([a.isOk(), b.isOk()]).toEqual([true, true]);
    const again = await w.manager.createAccount(everyVenue, {
      ...accountInput({ username: input.username.toUpperCase() }),
      tenant: 'venue-a',
    });
    expect(again._unsafeUnwrapErr().type).toBe('UsernameTaken');
    w.ports.directory.add('staff@venue-b.example', 'venue-b');
    const staff = accountInput({ email: 'staff@venue-b.example' });
    expect(
      (
        await w.manager.createAccount(everyVenue, { ...staff, tenant: 'venue-b' })
      )._unsafeUnwrapErr(),
    ).toMatchObject({ type: 'EmailTaken', takenBy: 'user-account' });
    expect(
      (await w.manager.createAccount(everyVenue, { ...staff, tenant: 'venue-a' })).isOk(),
    ).toBe(true);
  });

  it("answers another tenant's account as not found to every method, changing nothing", async () => {
    const w = world();
    const { id: theirs } = await keyIn(w, 'venue-b');
    const missing = `acct_${'0'.repeat(22)}`;
    const before = w.ports.store.snapshot();
    const sent = w.ports.sms.sent.length;
    const foreign = await Promise.all(accountMethodCalls(w.manager, venueA, theirs));
    const absent = await Promise.all(accountMethodCalls(w.manager, venueA, missing));
    for (const [i, result] of foreign.entries()) {
      const error = result._unsafeUnwrapErr();
      expect(error.type).toBe('AccountNotFound');
      // The same answer as for an account that does not exist, but for the id it echoes.
      expect(JSON.stringify(error).replaceAll(theirs, 'ID')).toBe(
        JSON.stringify(absent[i]?._unsafeUnwrapErr()).replaceAll(missing, 'ID'),
      );
    }
    expect(w.ports.store.snapshot()).toEqual(before);
    expect(w.ports.sms.sent.length).toBe(sent);
    // An actor without `tenants` administers 'default' only.
    expect((await w.manager.getAccount(admin, theirs))._unsafeUnwrapErr().type).toBe(
      'AccountNotFound',
    );
    expect((await w.manager.getAccount(everyVenue, theirs)).isOk()).toBe(true);
  });

  it('lists the tenants an actor administers, one tenant, or refuses one it does not', async () => {
    const w = world();
    const a = await keyIn(w, 'venue-a');
    const b = await keyIn(w, 'venue-b');
    const d = await keyIn(w, 'default');
    const ids = async (actor: Actor, query: object = {}) =>
      (await w.manager.listAccounts(actor, query))._unsafeUnwrap().items.map((item) => item.id);
    expect(await ids(venueA)).toEqual([a.id]);
    expect(await ids(admin)).toEqual([d.id]);
    expect((await ids(everyVenue)).sort()).toEqual([a.id, b.id, d.id].sort());
    expect(await ids(everyVenue, { tenant: 'venue-b' })).toEqual([b.id]);
    const two = { ...venueA, tenants: ['venue-a', 'venue-b'] };
    expect((await ids(two)).sort()).toEqual([a.id, b.id].sort());
    expect(
      (await w.manager.listAccounts(venueA, { tenant: 'venue-b' }))._unsafeUnwrapErr(),
    ).toMatchObject({
      type: 'Forbidden',
    });
    expect(
      (await w.manager.listAccounts(venueA, { tenant: 'not a tenant' }))._unsafeUnwrapErr(),
    ).toMatchObject({ type: 'InvalidInput', field: 'tenant' });
    // A malformed list of tenants administers nothing.
    const malformed = { ...venueA, tenants: ['venue-a', 'bad tenant'] };
    expect((await w.manager.listAccounts(malformed, {}))._unsafeUnwrapErr().type).toBe('Forbidden');
  });

  it("asks the host's authorize with the account's tenant, and only within the actor's tenants", async () => {
    const asked: unknown[][] = [];
    const w = world({
      authorize: (actor, action, accountId, tenant) => {
        asked.push([actor.id, action, accountId, tenant]);
        return true;
      },
    });
    const { id } = await keyIn(w, 'venue-a');
    await w.manager.getAccount(venueA, id);
    await w.manager.listAccounts(venueA, {});
    await w.manager.listAccounts(venueA, { tenant: 'venue-a' });
    expect(asked).toContainEqual(['sam', 'createAccount', undefined, 'venue-a']);
    expect(asked).toContainEqual(['casey', 'getAccount', id, 'venue-a']);
    expect(asked).toContainEqual(['casey', 'listAccounts', undefined, '*']);
    expect(asked).toContainEqual(['casey', 'listAccounts', undefined, 'venue-a']);
    asked.length = 0;
    // Outside the actor's tenants, authorize is never asked, and the answer is the same.
    expect(
      (
        await w.manager.createAccount(venueA, { ...accountInput(), tenant: 'venue-b' })
      )._unsafeUnwrapErr().type,
    ).toBe('Forbidden');
    expect(asked).toEqual([]);
  });

  it('accepts a bearer key of any tenant unless one is named; another tenant answers as an unknown key', async () => {
    for (const verifyCache of [undefined, { ttlMs: 60_000, singleInstance: true }]) {
      const w = world(verifyCache ? { verifyCache } : {});
      const a = await keyIn(w, 'venue-a');
      expect((await w.manager.verifyApiKey(a.apiKey))._unsafeUnwrap()).toMatchObject({
        accountId: a.id,
        tenant: 'venue-a',
      });
      expect(
        (await w.manager.verifyApiKey(a.apiKey, { tenant: 'venue-a' }))._unsafeUnwrap().tenant,
      ).toBe('venue-a');
      const elsewhere = await w.manager.verifyApiKey(a.apiKey, { tenant: 'venue-b' });
      const unknown = await w.manager.verifyApiKey(randomBytes(32).toString('base64'), {
        tenant: 'venue-b',
      });
      expect(elsewhere._unsafeUnwrapErr()).toEqual(unknown._unsafeUnwrapErr());
      expect(elsewhere._unsafeUnwrapErr()).toMatchObject({
        type: 'InvalidKey',
        reason: 'unknown_key',
      });
      // Refused as unknown: it counts as no use of the account's key.
      (await w.manager.flushUsage())._unsafeUnwrap();
      const usage = (
        await w.manager.accountUsage(everyVenue, a.id, { to: w.ports.clock.now() })
      )._unsafeUnwrap();
      expect(usage.items.map(({ accepted, refused }) => [accepted, refused])).toEqual([[2, 0]]);
    }
  });

  it("verifies a signed request against the username within the request's tenant", async () => {
    const w = world({ sealer: freshSealer() });
    const input = accountInput();
    const a = await keyIn(w, 'venue-a', input);
    const b = await keyIn(w, 'venue-b', input);
    const request = { method: 'GET', url: 'https://bo.example/venue-a/api/v3/customers' };
    const signedA = await signedRequest(a, request, w.ports.clock.now());
    const signedB = await signedRequest(b, request, w.ports.clock.now());
    expect(
      (await w.manager.verifySignedRequest({ ...signedA, tenant: 'venue-a' }))._unsafeUnwrap(),
    ).toMatchObject({
      accountId: a.id,
      tenant: 'venue-a',
    });
    expect(
      (await w.manager.verifySignedRequest({ ...signedB, tenant: 'venue-b' }))._unsafeUnwrap()
        .accountId,
    ).toBe(b.id);
    // B's signature under A's tenant is a wrong signature for A; nobody has that name in 'default'.
    expect(
      (await w.manager.verifySignedRequest({ ...signedB, tenant: 'venue-a' }))._unsafeUnwrapErr()
        .type,
    ).toBe('InvalidKey');
    const inDefault = await w.manager.verifySignedRequest(signedA);
    const nonsense = await w.manager.verifySignedRequest({ ...signedA, tenant: '../etc' });
    for (const refused of [inDefault, nonsense]) {
      expect(refused._unsafeUnwrapErr()).toMatchObject({
        type: 'InvalidKey',
        reason: 'unknown_user',
      });
    }
  });

  it('gives claimUrl and the message templates the tenant, and runs due tasks in every tenant', async () => {
    const urls: unknown[] = [];
    const contexts: unknown[] = [];
    const DAY = 86_400_000;
    const w = world({
      claimUrl: (token, context) => {
        urls.push(context);
        return `https://bo.example/${context.tenant}/claim?token=${token}`;
      },
      messages: {
        sms: (context, code) => {
          contexts.push(context.tenant);
          return `Code ${code}`;
        },
      },
      keyLifetime: { ms: 30 * DAY, reminders: [7 * DAY] },
    });
    const a = await keyIn(w, 'venue-a');
    const b = await keyIn(w, 'venue-b');
    expect(urls).toEqual([{ tenant: 'venue-a' }, { tenant: 'venue-b' }]);
    expect(contexts).toEqual(['venue-a', 'venue-b']);
    expect(w.ports.email.sent.at(-1)?.text).toContain('https://bo.example/venue-b/claim?token=');
    w.ports.clock.advance(24 * DAY);
    const due = (await w.manager.runDueTasks())._unsafeUnwrap();
    expect(due.remindersSent).toBe(2);
    for (const { id } of [a, b]) {
      const history = (await w.manager.accountHistory(everyVenue, id))._unsafeUnwrap().items;
      expect(history.at(-1)?.type).toBe('key.reminder_sent');
    }
  });
});
