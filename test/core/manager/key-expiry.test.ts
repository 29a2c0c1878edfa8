import type { ApiAccountManagerOptions } from 'api-accounts';
import { describe, expect, it } from 'vitest';
import {
  accountInput,
  accountWithKey,
  admin,
  capturingLogger,
  freshSealer,
  signedRequest,
  type World,
  world,
} from '../../helpers.js';

const DAY = 24 * 3_600_000;
const lifetime = (
  overrides: Partial<NonNullable<ApiAccountManagerOptions['keyLifetime']>> = {},
): Partial<ApiAccountManagerOptions> => ({
  keyLifetime: { ms: 365 * DAY, reminders: [30 * DAY, 7 * DAY], ...overrides },
});

const types = async (w: World, id: string) =>
  (await w.manager.accountHistory(admin, id))._unsafeUnwrap().items.map((e) => e.type);

describe('keyLifetime: keys that expire', () => {
  it('gives each claimed key an expiry, and refuses it from then on with KeyExpired', async () => {
    const w = world(lifetime());
    const { id, apiKey } = await accountWithKey(w);
    const claimedAt = w.ports.clock.now().getTime();
    const expiresAt = new Date(claimedAt + 365 * DAY);
    expect((await w.manager.getAccount(admin, id))._unsafeUnwrap().keyExpiresAt).toEqual(expiresAt);
    expect((await w.manager.verifyApiKey(apiKey))._unsafeUnwrap()).toMatchObject({
      keyState: 'current',
      keyExpiresAt: expiresAt,
      deprecatedAt: null,
    });
    w.ports.clock.set(new Date(expiresAt.getTime() - 1));
    expect((await w.manager.verifyApiKey(apiKey)).isOk()).toBe(true);
    w.ports.clock.set(expiresAt);
    expect((await w.manager.verifyApiKey(apiKey))._unsafeUnwrapErr()).toEqual({
      type: 'KeyExpired',
      message: expect.any(String),
      accountId: id,
      expiredAt: expiresAt,
    });
  });

  it('marks a key inside its reminder window as deprecated from the first reminder on', async () => {
    const w = world(lifetime());
    const { apiKey } = await accountWithKey(w);
    const expiresAt = w.ports.clock.now().getTime() + 365 * DAY;
    w.ports.clock.set(new Date(expiresAt - 30 * DAY - 1));
    expect((await w.manager.verifyApiKey(apiKey))._unsafeUnwrap().deprecatedAt).toBeNull();
    w.ports.clock.advance(1);
    expect((await w.manager.verifyApiKey(apiKey))._unsafeUnwrap().deprecatedAt).toEqual(
      new Date(expiresAt - 30 * DAY),
    );
  });

  it('refuses an expired key in signed requests too', async () => {
    const w = world({ ...lifetime(), sealer: freshSealer() });
    const holder = await accountWithKey(w);
    w.ports.clock.advance(365 * DAY);
    const request = await signedRequest(
      holder,
      { method: 'GET', url: 'https://box-office.example/api/v3/events' },
      w.ports.clock.now(),
    );
    expect((await w.manager.verifySignedRequest(request))._unsafeUnwrapErr().type).toBe(
      'KeyExpired',
    );
  });

  it('keeps keys claimed before keyLifetime was configured working, without an expiry', async () => {
    const w = world();
    const { apiKey } = await accountWithKey(w);
    const later = world(lifetime(), w.ports);
    expect((await later.manager.verifyApiKey(apiKey))._unsafeUnwrap().keyExpiresAt).toBeNull();
  });

  it('refuses a key with a deadline when the clock fails, and still lets one without through', async () => {
    const w = world(lifetime());
    const expiring = await accountWithKey(w);
    const plain = world({}, w.ports);
    const forever = await accountWithKey(plain);
    const broken = world(
      {
        ...lifetime(),
        clock: {
          now: () => {
            throw new Error('clock down');
          },
        },
      },
      w.ports,
    );
    expect((await broken.manager.verifyApiKey(expiring.apiKey))._unsafeUnwrapErr()).toMatchObject({
      type: 'PortFailed',
    });
    expect((await broken.manager.verifyApiKey(forever.apiKey)).isOk()).toBe(true);
  });

  it('rejects a misconfiguration at construction', () => {
    expect(() => world({ keyLifetime: { ms: 0 } })).toThrow(TypeError);
    expect(() => world({ keyLifetime: { ms: DAY, reminders: [DAY] } })).toThrow(TypeError);
    expect(() => world({ keyLifetime: { ms: DAY, reminders: [-1] } })).toThrow(TypeError);
    expect(() => world({ keyLifetime: { ms: DAY, autoRotate: true } })).toThrow(TypeError);
  });
});

describe('runDueTasks', () => {
  it('sends each reminder once, when it is due, and records it', async () => {
    const w = world(lifetime());
    const { id, account } = await accountWithKey(w);
    const expiresAt = w.ports.clock.now().getTime() + 365 * DAY;
    const sentBefore = w.ports.email.sent.length;
    w.ports.clock.set(new Date(expiresAt - 31 * DAY));
    expect((await w.manager.runDueTasks())._unsafeUnwrap().remindersSent).toBe(0);
    w.ports.clock.set(new Date(expiresAt - 30 * DAY));
    expect((await w.manager.runDueTasks())._unsafeUnwrap()).toMatchObject({
      remindersSent: 1,
      rotationsOpened: 0,
    });
    expect((await w.manager.runDueTasks())._unsafeUnwrap().remindersSent).toBe(0);
    const reminder = w.ports.email.sent.at(-1);
    expect(w.ports.email.sent).toHaveLength(sentBefore + 1);
    expect(reminder).toMatchObject({ to: account.email });
    expect(reminder?.subject).toContain('expires');
    w.ports.clock.set(new Date(expiresAt - 7 * DAY));
    expect((await w.manager.runDueTasks())._unsafeUnwrap().remindersSent).toBe(1);
    w.ports.clock.set(new Date(expiresAt));
    expect((await w.manager.runDueTasks())._unsafeUnwrap()).toMatchObject({ keysExpired: 1 });
    expect((await w.manager.runDueTasks())._unsafeUnwrap()).toMatchObject({ keysExpired: 0 });
    expect(await types(w, id)).toEqual([
      'account.created',
      'key.claimed',
      'key.reminder_sent',
      'key.reminder_sent',
      'key.expired',
    ]);
    expect(w.ports.sms.sent).toHaveLength(1); // the claim code only: reminders by SMS are opt-in
  });

  it('takes reminders in any order, once each: the earliest opens the window', async () => {
    const w = world(lifetime({ reminders: [7 * DAY, 30 * DAY, 7 * DAY] }));
    const { apiKey } = await accountWithKey(w);
    const expiresAt = w.ports.clock.now().getTime() + 365 * DAY;
    w.ports.clock.set(new Date(expiresAt - 30 * DAY));
    expect((await w.manager.runDueTasks())._unsafeUnwrap().remindersSent).toBe(1);
    expect((await w.manager.verifyApiKey(apiKey))._unsafeUnwrap().deprecatedAt).toEqual(
      new Date(expiresAt - 30 * DAY),
    );
    w.ports.clock.set(new Date(expiresAt - 7 * DAY));
    expect((await w.manager.runDueTasks())._unsafeUnwrap().remindersSent).toBe(1);
    w.ports.clock.set(new Date(expiresAt - 1));
    expect((await w.manager.runDueTasks())._unsafeUnwrap().remindersSent).toBe(0);
  });

  it('sends only the latest due reminder when runs were missed, and texts when asked', async () => {
    const w = world(lifetime({ remindBySms: true }));
    const { id } = await accountWithKey(w);
    const expiresAt = w.ports.clock.now().getTime() + 365 * DAY;
    w.ports.clock.set(new Date(expiresAt - DAY));
    expect((await w.manager.runDueTasks())._unsafeUnwrap().remindersSent).toBe(1);
    expect(await types(w, id)).toEqual(['account.created', 'key.claimed', 'key.reminder_sent']);
    expect(w.ports.sms.sent.at(-1)?.text).toContain('expires');
  });

  it('five concurrent runs send one email per due reminder', async () => {
    const w = world(lifetime());
    const holders = [await accountWithKey(w), await accountWithKey(w), await accountWithKey(w)];
    const before = w.ports.email.sent.length;
    w.ports.clock.advance(340 * DAY);
    const managers = [w, ...Array.from({ length: 4 }, () => world(lifetime(), w.ports))];
    const runs = await Promise.all(managers.map((m) => m.manager.runDueTasks()));
    const total = runs.reduce((sum, run) => sum + run._unsafeUnwrap().remindersSent, 0);
    expect(total).toBe(3);
    expect(w.ports.email.sent.length - before).toBe(3);
    for (const holder of holders) {
      expect((await types(w, holder.id)).filter((t) => t === 'key.reminder_sent')).toHaveLength(1);
    }
  });

  it('autoRotate opens a rotation with the first reminder; the old key works until it expires', async () => {
    const w = world(lifetime({ autoRotate: true }));
    const { id, apiKey } = await accountWithKey(w);
    const expiresAt = w.ports.clock.now().getTime() + 365 * DAY;
    w.ports.clock.set(new Date(expiresAt - 30 * DAY));
    expect((await w.manager.runDueTasks())._unsafeUnwrap()).toMatchObject({
      remindersSent: 1,
      rotationsOpened: 1,
    });
    const account = (await w.manager.getAccount(admin, id))._unsafeUnwrap();
    expect(account).toMatchObject({ claimPending: true, previousKeyEndsAt: new Date(expiresAt) });
    expect(w.ports.email.sent.at(-2)?.text).toContain('ready to claim');
    expect(w.ports.email.sent.at(-1)?.text).toContain('separate email');
    const newKey = (await w.manager.claimApiKey(w.lastClaim()))._unsafeUnwrap().apiKey;
    expect((await w.manager.verifyApiKey(apiKey))._unsafeUnwrap()).toMatchObject({
      keyState: 'previous',
      keyExpiresAt: new Date(expiresAt),
    });
    w.ports.clock.set(new Date(expiresAt));
    expect((await w.manager.verifyApiKey(apiKey)).isErr()).toBe(true);
    expect((await w.manager.verifyApiKey(newKey)).isOk()).toBe(true);
    expect((await w.manager.runDueTasks())._unsafeUnwrap()).toMatchObject({ graceEnded: 1 });
    expect((await w.manager.getAccount(admin, id))._unsafeUnwrap().previousKeyEndsAt).toBeNull();
  });

  it('ends grace periods that ran out, without keyLifetime', async () => {
    const w = world();
    const { id } = await accountWithKey(w, accountInput());
    await w.manager.rotateApiKey(admin, id, { confirm: true, maxGraceMs: DAY });
    expect((await w.manager.runDueTasks())._unsafeUnwrap().graceEnded).toBe(0);
    w.ports.clock.advance(DAY);
    expect((await w.manager.runDueTasks())._unsafeUnwrap().graceEnded).toBe(1);
    expect((await types(w, id)).at(-1)).toBe('key.grace_ended');
  });

  it('reports progress after each page of accounts, and a failing listener stops nothing', async () => {
    const w = world(lifetime());
    for (let i = 0; i < 150; i++) await accountWithKey(w);
    w.ports.clock.advance(335 * DAY);
    const seen: number[] = [];
    const done = await w.manager.runDueTasks({
      onProgress: (progress) => {
        seen.push(progress.accountsChecked);
        throw new Error('a broken progress bar');
      },
    });
    expect(done._unsafeUnwrap().remindersSent).toBe(150);
    // Pages of 100: what each page brought, then the rest.
    expect(seen).toEqual([100, 150]);
  });

  it('takes a Date as now, and refuses anything else', async () => {
    const w = world(lifetime());
    await accountWithKey(w);
    const later = new Date(w.ports.clock.now().getTime() + 340 * DAY);
    expect((await w.manager.runDueTasks({ now: later }))._unsafeUnwrap().remindersSent).toBe(1);
    // biome-ignore lint/suspicious/noExplicitAny: hostile input on purpose
    const bad = await w.manager.runDueTasks({ now: 'tomorrow' as any });
    expect(bad._unsafeUnwrapErr()).toMatchObject({ type: 'InvalidInput', field: 'now' });
  });

  it("counts an automatic rotation's claim that could not be texted, besides the reminder", async () => {
    const w = world(lifetime({ autoRotate: true }));
    const { id } = await accountWithKey(w);
    w.ports.clock.advance(335 * DAY);
    const failingSms = world(
      {
        ...lifetime({ autoRotate: true }),
        sms: {
          send: async () => {
            throw new Error('gateway down');
          },
        },
        delivery: { attempts: 1 },
      },
      w.ports,
    );
    expect((await failingSms.manager.runDueTasks())._unsafeUnwrap()).toEqual({
      remindersSent: 1,
      rotationsOpened: 1,
      graceEnded: 0,
      keysExpired: 0,
      deliveryFailures: 1,
    });
    // The rotation's claim went out by email, and the reminder names the key's expiry.
    const expiresAt = (await w.manager.getAccount(admin, id))._unsafeUnwrap().previousKeyEndsAt;
    expect(w.ports.email.sent.at(-2)?.text).toContain('ready to claim');
    expect(w.ports.email.sent.at(-1)?.subject).toContain(String(expiresAt?.getUTCFullYear()));
  });

  it('goes past an account whose change keeps losing its race, and stops when the store fails', async () => {
    const w = world(lifetime());
    const first = await accountWithKey(w);
    await accountWithKey(w);
    w.ports.clock.advance(340 * DAY);
    const apply = w.ports.store.applyAccountChange.bind(w.ports.store);
    let failWith: 'conflict' | 'throw' = 'conflict';
    w.ports.store.applyAccountChange = async (change) => {
      if (change.accountId !== first.id) return apply(change);
      if (failWith === 'throw') throw new Error('the database is down');
      return { outcome: 'version_conflict' };
    };
    expect((await w.manager.runDueTasks())._unsafeUnwrap().remindersSent).toBe(1);
    failWith = 'throw';
    expect((await w.manager.runDueTasks())._unsafeUnwrapErr().type).toBe('StoreUnavailable');
  });

  it('counts a reminder that could not be sent, and does not send it again', async () => {
    const w = world(lifetime());
    await accountWithKey(w);
    w.ports.clock.advance(340 * DAY);
    const { logger, entries } = capturingLogger();
    const failing = world(
      {
        ...lifetime(),
        logger,
        email: {
          send: async () => {
            throw new Error('smtp down');
          },
        },
        delivery: { attempts: 1 },
      },
      w.ports,
    );
    expect((await failing.manager.runDueTasks())._unsafeUnwrap()).toMatchObject({
      remindersSent: 1,
      deliveryFailures: 1,
    });
    expect(entries).toContainEqual(
      expect.objectContaining({
        level: 'warn',
        message: 'api-accounts runDueTasks: 1 message(s) could not be sent',
      }),
    );
    expect((await w.manager.runDueTasks())._unsafeUnwrap().remindersSent).toBe(0);
  });
});
