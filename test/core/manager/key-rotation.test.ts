import { describe, expect, it } from 'vitest';
import {
  accountInput,
  accountWithKey,
  admin,
  clerk,
  freshSealer,
  signedRequest,
  type World,
  world,
} from '../../helpers.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

async function rotated(w: World, options: { graceMs?: number; maxGraceMs?: number } = {}) {
  const holder = await accountWithKey(w, accountInput({ username: 'ACME' }));
  const rotation = (
    await w.manager.rotateApiKey(admin, holder.id, { confirm: true, ...options })
  )._unsafeUnwrap();
  return { ...holder, rotation, rotatedAt: w.ports.clock.now() };
}

const claimNew = async (w: World) =>
  (await w.manager.claimApiKey(w.lastClaim()))._unsafeUnwrap().apiKey;

const types = async (w: World, id: string) =>
  (await w.manager.accountHistory(admin, id))._unsafeUnwrap().items.map((e) => e.type);

describe('rotateApiKey: a planned rotation', () => {
  it('opens a claim as reset does, while the current key works on as the previous key', async () => {
    const w = world();
    const { id, apiKey, rotation, rotatedAt } = await rotated(w);
    expect(rotation.account).toMatchObject({
      claimPending: true,
      keyIssuedAt: null,
      previousKeyEndsAt: new Date(rotatedAt.getTime() + 14 * DAY),
    });
    expect(rotation.delivery).toMatchObject({ sms: { status: 'sent' }, email: { status: 'sent' } });
    expect(w.ports.email.sent.at(-1)?.text).toContain('current key keeps working');
    const principal = (await w.manager.verifyApiKey(apiKey))._unsafeUnwrap();
    expect(principal).toMatchObject({
      accountId: id,
      keyState: 'previous',
      keyExpiresAt: new Date(rotatedAt.getTime() + 14 * DAY),
      deprecatedAt: rotatedAt,
    });
    const rotationEvent = (await w.manager.accountHistory(admin, id))._unsafeUnwrap().items.at(-1);
    expect(rotationEvent).toMatchObject({
      type: 'key.rotation_opened',
      actorId: admin.id,
      until: new Date(rotatedAt.getTime() + 14 * DAY),
    });
  });

  it('keeps the previous key for graceMs after the new key is claimed, then refuses it', async () => {
    const w = world();
    const { id, apiKey } = await rotated(w, { graceMs: 2 * HOUR });
    w.ports.clock.advance(3 * HOUR);
    const newKey = await claimNew(w);
    const claimedAt = w.ports.clock.now().getTime();
    expect((await w.manager.verifyApiKey(newKey))._unsafeUnwrap()).toMatchObject({
      keyState: 'current',
      keyExpiresAt: null,
      deprecatedAt: null,
    });
    const account = (await w.manager.getAccount(admin, id))._unsafeUnwrap();
    expect(account.previousKeyEndsAt).toEqual(new Date(claimedAt + 2 * HOUR));
    w.ports.clock.advance(2 * HOUR - 1);
    expect((await w.manager.verifyApiKey(apiKey))._unsafeUnwrap().keyState).toBe('previous');
    w.ports.clock.advance(1);
    expect((await w.manager.verifyApiKey(apiKey))._unsafeUnwrapErr()).toMatchObject({
      type: 'InvalidKey',
      reason: 'unknown_key',
    });
    // The account no longer says the previous key works, before runDueTasks records its end.
    expect((await w.manager.getAccount(admin, id))._unsafeUnwrap().previousKeyEndsAt).toBeNull();
    expect((await w.manager.verifyApiKey(newKey)).isOk()).toBe(true);
  });

  it('ends the previous key at maxGraceMs when the new key is never claimed', async () => {
    const w = world();
    const { apiKey } = await rotated(w, { maxGraceMs: 5 * DAY });
    w.ports.clock.advance(5 * DAY - 1);
    expect((await w.manager.verifyApiKey(apiKey)).isOk()).toBe(true);
    w.ports.clock.advance(1);
    expect((await w.manager.verifyApiKey(apiKey)).isErr()).toBe(true);
  });

  it('never lets the grace outlast maxGraceMs from the rotation, even for a late claim', async () => {
    const w = world();
    const { id } = await rotated(w, { graceMs: 2 * DAY, maxGraceMs: DAY });
    const rotatedAt = w.ports.clock.now().getTime();
    w.ports.clock.advance(12 * HOUR);
    await claimNew(w);
    const account = (await w.manager.getAccount(admin, id))._unsafeUnwrap();
    expect(account.previousKeyEndsAt).toEqual(new Date(rotatedAt + DAY));
  });

  it('rotating again while the claim is pending keeps the previous key and its deadline, and replaces the claim', async () => {
    const w = world();
    const { id, apiKey, rotation } = await rotated(w);
    const firstLink = w.lastClaim();
    w.ports.clock.advance(DAY);
    const again = (await w.manager.rotateApiKey(admin, id, { confirm: true }))._unsafeUnwrap();
    expect(again.account.previousKeyEndsAt).toEqual(rotation.account.previousKeyEndsAt);
    expect((await w.manager.verifyApiKey(apiKey))._unsafeUnwrap().keyState).toBe('previous');
    expect((await w.manager.claimApiKey(firstLink))._unsafeUnwrapErr().type).toBe('ClaimNotFound');
    expect((await w.manager.claimApiKey(w.lastClaim())).isOk()).toBe(true);
  });

  it('rotating after the new key was claimed supersedes it, and the older key dies: at most one previous key', async () => {
    const w = world();
    const { id, apiKey } = await rotated(w);
    const second = await claimNew(w);
    (await w.manager.rotateApiKey(admin, id, { confirm: true }))._unsafeUnwrap();
    expect((await w.manager.verifyApiKey(apiKey)).isErr()).toBe(true);
    expect((await w.manager.verifyApiKey(second))._unsafeUnwrap().keyState).toBe('previous');
  });

  it('is a reset when no key is live', async () => {
    const w = world();
    const created = (await w.manager.createAccount(admin, accountInput()))._unsafeUnwrap();
    const result = (
      await w.manager.rotateApiKey(admin, created.account.id, { confirm: true })
    )._unsafeUnwrap();
    expect(result.account.previousKeyEndsAt).toBeNull();
    expect(await types(w, created.account.id)).toEqual(['account.created', 'key.reset']);
    expect(w.ports.email.sent.at(-1)?.text).toContain('was reset');
  });

  it('needs confirmation and sane grace values, and the role', async () => {
    const w = world();
    const { id } = await accountWithKey(w);
    const refused = async (options: unknown) =>
      // biome-ignore lint/suspicious/noExplicitAny: hostile input on purpose
      (await w.manager.rotateApiKey(admin, id, options as any))._unsafeUnwrapErr();
    expect((await refused({})).type).toBe('ConfirmationRequired');
    expect((await refused(undefined)).type).toBe('ConfirmationRequired');
    for (const bad of [0, -1, 1.5, Number.NaN, '1000', 91 * DAY, Number.POSITIVE_INFINITY]) {
      expect(await refused({ confirm: true, graceMs: bad })).toMatchObject({
        type: 'InvalidInput',
        field: 'graceMs',
      });
      expect(await refused({ confirm: true, maxGraceMs: bad })).toMatchObject({
        type: 'InvalidInput',
        field: 'maxGraceMs',
      });
    }
    expect(
      (await w.manager.rotateApiKey(clerk, id, { confirm: true }))._unsafeUnwrapErr().type,
    ).toBe('Forbidden');
    expect(await types(w, id)).not.toContain('key.rotation_opened');
  });

  it('honours the configured defaults and limit', async () => {
    const w = world({ rotation: { graceMs: HOUR, maxGraceMs: 2 * DAY, limitMs: 3 * DAY } });
    const { rotation, rotatedAt } = await rotated(w);
    expect(rotation.account.previousKeyEndsAt).toEqual(new Date(rotatedAt.getTime() + 2 * DAY));
    const { id } = await accountWithKey(w);
    expect(
      (
        await w.manager.rotateApiKey(admin, id, { confirm: true, graceMs: 4 * DAY })
      )._unsafeUnwrapErr().type,
    ).toBe('InvalidInput');
    expect(() => world({ rotation: { graceMs: 4 * DAY, limitMs: 3 * DAY } })).toThrow(TypeError);
    expect(() => world({ rotation: { maxGraceMs: 0 } })).toThrow(TypeError);
  });
});

describe('endGracePeriod, reset and switch-off during a rotation', () => {
  it('endGracePeriod stops the previous key at once and records it; without one it changes nothing', async () => {
    const w = world({ verifyCache: { ttlMs: 60_000 } });
    const { id, apiKey } = await rotated(w);
    await new Promise((resolve) => setTimeout(resolve, 10)); // the cache turns on once subscribed
    expect((await w.manager.verifyApiKey(apiKey)).isOk()).toBe(true); // now cached
    const ended = (await w.manager.endGracePeriod(admin, id))._unsafeUnwrap();
    expect(ended.previousKeyEndsAt).toBeNull();
    expect((await w.manager.verifyApiKey(apiKey))._unsafeUnwrapErr().type).toBe('InvalidKey');
    const again = (await w.manager.endGracePeriod(admin, id))._unsafeUnwrap();
    expect(again.version).toBe(ended.version);
    expect((await types(w, id)).filter((t) => t === 'key.grace_ended')).toHaveLength(1);
  });

  it('reset during a rotation kills both keys', async () => {
    const w = world();
    const { id, apiKey } = await rotated(w);
    const second = await claimNew(w);
    (await w.manager.resetApiKey(admin, id, { confirm: true }))._unsafeUnwrap();
    expect((await w.manager.verifyApiKey(apiKey)).isErr()).toBe(true);
    expect((await w.manager.verifyApiKey(second)).isErr()).toBe(true);
    expect((await w.manager.getAccount(admin, id))._unsafeUnwrap().previousKeyEndsAt).toBeNull();
  });

  it('a switched-off account refuses its previous key too, and a switched-on one accepts it again', async () => {
    const w = world();
    const { id, apiKey } = await rotated(w);
    await w.manager.deactivateAccount(admin, id);
    expect((await w.manager.verifyApiKey(apiKey))._unsafeUnwrapErr().type).toBe('AccountInactive');
    await w.manager.reactivateAccount(admin, id);
    expect((await w.manager.verifyApiKey(apiKey)).isOk()).toBe(true);
  });
});

describe('signed requests during a rotation', () => {
  it('verify with the previous key during the grace, and with the new key after the claim', async () => {
    const w = world({ sealer: freshSealer() });
    const { username, apiKey, id } = await rotated(w, { graceMs: HOUR });
    const url = 'https://box-office.example/api/v3/customers';
    const request = (key: string) =>
      signedRequest({ username, apiKey: key }, { method: 'GET', url }, w.ports.clock.now());
    expect(
      (await w.manager.verifySignedRequest(await request(apiKey)))._unsafeUnwrap(),
    ).toMatchObject({
      accountId: id,
      scheme: 'SpektrixAPI3',
      keyState: 'previous',
    });
    const newKey = await claimNew(w);
    expect(
      (await w.manager.verifySignedRequest(await request(newKey)))._unsafeUnwrap().keyState,
    ).toBe('current');
    expect((await w.manager.verifySignedRequest(await request(apiKey))).isOk()).toBe(true);
    w.ports.clock.advance(HOUR);
    expect(
      (await w.manager.verifySignedRequest(await request(apiKey)))._unsafeUnwrapErr(),
    ).toMatchObject({
      type: 'InvalidKey',
      reason: 'bad_signature',
    });
    expect((await w.manager.verifySignedRequest(await request(newKey))).isOk()).toBe(true);
  });

  it('keeps the previous secret sealed in the store, never in clear', async () => {
    const w = world({ sealer: freshSealer() });
    const { id, apiKey } = await rotated(w);
    const stored = JSON.stringify(w.ports.store.snapshot());
    expect(stored).not.toContain(apiKey);
    const record = w.ports.store.snapshot().accounts.find((a) => a.id === id);
    expect(record?.previousKey?.sealedSecret).toMatch(/^k1\./);
  });
});
