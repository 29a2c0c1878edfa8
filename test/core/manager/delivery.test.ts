import { inspect } from 'node:util';
import {
  DeliveryError,
  type DeliveryTimer,
  type EmailSender,
  inMemoryPorts,
  type SmsSender,
} from 'api-accounts';
import { describe, expect, it } from 'vitest';
import { accountInput, admin, world } from '../../helpers.js';

const noWait: DeliveryTimer = { now: () => 0, sleep: async () => undefined };

/** A sender that can be switched off, failing with `failure` while it is. */
function switchable<S extends SmsSender | EmailSender>(sender: S, failure: () => unknown) {
  let down = false;
  const wrapped = {
    send: (message: never) => (down ? Promise.reject(failure()) : sender.send(message)),
  } as unknown as S;
  return { sender: wrapped, setDown: (value: boolean) => (down = value) };
}

describe('claim delivery through the manager', () => {
  it('retries a retryable provider failure and reports the tries', async () => {
    const ports = inMemoryPorts();
    let failures = 2;
    const sms: SmsSender = {
      send: async (message) => {
        if (failures-- > 0) {
          throw new DeliveryError({ reason: 'rate_limited', retryable: true, provider: 'test' });
        }
        await ports.sms.send(message);
      },
    };
    const w = world({ sms, delivery: { timer: noWait } }, ports);
    const created = (await w.manager.createAccount(admin, accountInput()))._unsafeUnwrap();
    expect(created.delivery.sms).toEqual({ status: 'sent', attempts: 3 });
    expect(ports.sms.sent).toHaveLength(1);
  });

  it('reports the typed reason of a permanent failure after one try', async () => {
    const ports = inMemoryPorts();
    const sms: SmsSender = {
      send: async () => {
        throw new DeliveryError({
          reason: 'not_sms_capable',
          retryable: false,
          provider: 'test',
          providerCode: 21614,
        });
      },
    };
    const w = world({ sms, delivery: { timer: noWait } }, ports);
    const created = (await w.manager.createAccount(admin, accountInput()))._unsafeUnwrap();
    expect(created.delivery.sms).toMatchObject({
      status: 'failed',
      error: {
        type: 'DeliveryFailed',
        channel: 'sms',
        reason: 'not_sms_capable',
        retryable: false,
        attempts: 1,
      },
    });
    expect(created.delivery.sms.status === 'failed' && created.delivery.sms.error.message).toMatch(
      /not sms capable.*resend/,
    );
  });

  it('never waits on a provider that hangs longer than the timeout', async () => {
    const hanging: EmailSender = { send: () => new Promise<void>(() => {}) };
    const w = world({ email: hanging, delivery: { timeoutMs: 30, attempts: 2, timer: noWait } });
    const started = Date.now();
    const created = (await w.manager.createAccount(admin, accountInput()))._unsafeUnwrap();
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(created.delivery.email).toMatchObject({
      status: 'failed',
      error: { reason: 'timeout', attempts: 2 },
    });
    expect(created.delivery.sms).toEqual({ status: 'sent', attempts: 1 });
  });

  for (const channel of ['sms', 'email'] as const) {
    it(`loses nothing when the ${channel} channel is down on create, reset and resend`, async () => {
      const ports = inMemoryPorts();
      const down = switchable(
        ports[channel] as SmsSender | EmailSender,
        () => new DeliveryError({ reason: 'connection', retryable: true, provider: channel }),
      );
      const w = world({ [channel]: down.sender, delivery: { timer: noWait } }, ports);
      const other = channel === 'sms' ? 'email' : 'sms';
      down.setDown(true);

      const created = (await w.manager.createAccount(admin, accountInput()))._unsafeUnwrap();
      expect(created.delivery[channel]).toMatchObject({
        status: 'failed',
        error: { reason: 'connection', attempts: 3 },
      });
      expect(created.delivery[other].status).toBe('sent');
      const id = created.account.id;
      expect((await w.manager.getAccount(admin, id))._unsafeUnwrap()).toMatchObject({
        claimPending: true,
        active: true,
      });

      const resent = (await w.manager.resendClaim(admin, id))._unsafeUnwrap();
      expect(resent.delivery[channel].status).toBe('failed');

      down.setDown(false);
      const recovered = (await w.manager.resendClaim(admin, id))._unsafeUnwrap();
      expect(recovered.delivery).toEqual({
        sms: { status: 'sent', attempts: 1 },
        email: { status: 'sent', attempts: 1 },
      });
      const first = (await w.manager.claimApiKey(w.lastClaim()))._unsafeUnwrap();

      down.setDown(true);
      const reset = (await w.manager.resetApiKey(admin, id, { confirm: true }))._unsafeUnwrap();
      expect(reset.delivery[channel].status).toBe('failed');
      expect((await w.manager.verifyApiKey(first.apiKey)).isErr()).toBe(true);
      down.setDown(false);
      (await w.manager.resendClaim(admin, id))._unsafeUnwrap();
      const second = (await w.manager.claimApiKey(w.lastClaim()))._unsafeUnwrap();
      expect((await w.manager.verifyApiKey(second.apiKey))._unsafeUnwrap().accountId).toBe(id);
      const history = (await w.manager.accountHistory(admin, id))
        ._unsafeUnwrap()
        .items.map((e) => e.type);
      expect(history).toEqual([
        'account.created',
        'claim.resent',
        'claim.resent',
        'key.claimed',
        'key.reset',
        'claim.resent',
        'key.claimed',
      ]);
    });
  }

  it('keeps the code out of the email and the link out of the SMS', async () => {
    const w = world();
    await w.manager.createAccount(admin, accountInput());
    const { token, code } = w.lastClaim();
    const [sms] = w.ports.sms.sent;
    const [email] = w.ports.email.sent;
    expect(sms?.text).toContain(code);
    expect(sms?.text).not.toContain(token);
    expect(sms?.text).not.toMatch(/https?:/);
    for (const part of [email?.subject, email?.text, email?.html]) expect(part).not.toContain(code);
    expect(email?.text).toContain(token);
  });

  it('writes in the configured locale, overridable per call, and refuses a malformed locale', async () => {
    const ports = inMemoryPorts();
    const w = world({ messages: { locale: 'fr-FR', timeZone: 'Europe/Paris' } }, ports);
    const created = (await w.manager.createAccount(admin, accountInput()))._unsafeUnwrap();
    // No French texts ship: the default email is English, and says so.
    expect(ports.email.sent.at(-1)?.html).toContain('lang="en"');
    await w.manager.resendClaim(admin, created.account.id, { locale: 'de-DE' });
    expect(ports.email.sent.at(-1)?.html).toContain('lang="de-DE"');
    expect(ports.email.sent.at(-1)?.subject).toContain('abholen');
    const bad = await w.manager.createAccount(admin, accountInput(), { locale: 'not a locale!' });
    expect(bad._unsafeUnwrapErr()).toEqual({
      type: 'InvalidInput',
      field: 'locale',
      message: 'locale must be a BCP 47 language tag such as en-GB.',
    });
    expect(ports.store.snapshot().accounts).toHaveLength(1);
  });

  it('passes the locale to host templates', async () => {
    const seen: string[] = [];
    const w = world({
      messages: {
        sms: (context, code) => {
          seen.push(context.locale);
          return `${code}`;
        },
      },
    });
    await w.manager.createAccount(admin, accountInput(), { locale: 'cy-GB' });
    expect(seen).toEqual(['cy-GB']);
  });

  it('reports a host template that throws as a failed delivery (reason template), sending nothing on that channel', async () => {
    const w = world({
      messages: {
        email: () => {
          throw new Error('template bug');
        },
      },
    });
    const created = (await w.manager.createAccount(admin, accountInput()))._unsafeUnwrap();
    expect(created.delivery.sms).toMatchObject({ status: 'sent' });
    expect(created.delivery.email).toMatchObject({
      status: 'failed',
      error: { type: 'DeliveryFailed', channel: 'email', reason: 'template', attempts: 0 },
    });
    expect(w.ports.email.sent).toHaveLength(0);
  });

  it('takes the code and the token out of a sender’s error that quotes its message', async () => {
    const sent: string[] = [];
    const sms: SmsSender = {
      send: async ({ text }) => {
        sent.push(text);
        throw new Error(`gateway refused "${text}"`);
      },
    };
    const email: EmailSender = {
      send: async ({ text }) => {
        sent.push(text);
        throw new DeliveryError({
          reason: 'rejected',
          retryable: false,
          provider: 'relay',
          detail: `spam filter hit: ${text}`,
        });
      },
    };
    const w = world({ sms, email });
    const created = (await w.manager.createAccount(admin, accountInput()))._unsafeUnwrap();
    const code = /\b(\d{6})\b/.exec(sent[0] ?? '')?.[1] ?? 'no code';
    const token = /token=([\w-]{43})/.exec(sent[1] ?? '')?.[1] ?? 'no token';
    const { sms: smsOutcome, email: emailOutcome } = created.delivery;
    if (smsOutcome.status !== 'failed' || emailOutcome.status !== 'failed') {
      throw new Error('both channels should have failed');
    }
    expect(smsOutcome.error).toMatchObject({ reason: 'unknown', attempts: 1 });
    expect(String((smsOutcome.error.cause as Error).message)).toContain('[redacted]');
    // A plain copy: the host's error is still told apart by its name and fields.
    expect(emailOutcome.error.cause).toMatchObject({
      name: 'DeliveryError',
      reason: 'rejected',
      provider: 'relay',
    });
    for (const outcome of [smsOutcome, emailOutcome]) {
      const cause = outcome.error.cause as Error;
      const seen = [inspect(outcome, { depth: 10, showHidden: true }), JSON.stringify(cause)];
      for (const text of seen) {
        expect(text).not.toContain(code);
        expect(text).not.toContain(token);
      }
    }
  });

  it('takes the code out of a host template’s error', async () => {
    const w = world({
      messages: {
        sms: (_context, code) => {
          throw new Error(`cannot fit ${code}`);
        },
      },
    });
    const created = (await w.manager.createAccount(admin, accountInput()))._unsafeUnwrap();
    expect(created.delivery.sms).toMatchObject({
      status: 'failed',
      error: { reason: 'template', cause: { message: 'cannot fit [redacted]' } },
    });
  });

  it('hands back a sender’s error that holds no secret with its name, message and fields', async () => {
    const failure = new DeliveryError({ reason: 'server_error', retryable: false, provider: 'x' });
    const w = world({ sms: { send: () => Promise.reject(failure) } });
    const created = (await w.manager.createAccount(admin, accountInput()))._unsafeUnwrap();
    expect(created.delivery.sms).toMatchObject({ status: 'failed' });
    expect(created.delivery.sms.status === 'failed' && created.delivery.sms.error.cause).toEqual({
      name: 'DeliveryError',
      message: failure.message,
      reason: 'server_error',
      retryable: false,
      provider: 'x',
    });
  });

  it('rejects a misconfigured delivery or message option at construction', () => {
    expect(() => world({ delivery: { attempts: 0 } })).toThrow(/delivery.attempts/);
    expect(() => world({ messages: { timeZone: 'Mars/Olympus' } })).toThrow(/timeZone/);
    expect(() => world({ messages: { locale: '' } })).toThrow(/locale/);
  });
});
