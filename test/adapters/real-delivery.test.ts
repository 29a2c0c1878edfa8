import { ApiAccountManager, type DeliveryTimer, inMemoryPorts } from 'api-accounts';
import { nodemailerEmail } from 'api-accounts/nodemailer';
import { twilioSms } from 'api-accounts/sms';
import { afterEach, describe, expect, it } from 'vitest';
import { accountInput, admin, CLAIM_BASE } from '../helpers.js';
import { localSmtpServer, transportTo } from './nodemailer/smtp-server.js';
import { providerServer } from './sms/provider-server.js';

const SID = 'AC0123456789abcdef0123456789abcdef';
const TOKEN = 'test-auth-token-0123456789';
const noWait: DeliveryTimer = { now: () => 0, sleep: async () => undefined };

/** The manager wired as the README shows: nodemailer over SMTP and Twilio, here on loopback. */
async function realDeliveryWorld() {
  const smtp = await localSmtpServer();
  let twilioDown = false;
  const twilioServer = await providerServer((request) => {
    if (twilioDown)
      return { status: 503, body: { code: 20503, message: 'Service Unavailable', status: 503 } };
    const form = new URLSearchParams(request.body);
    return { status: 201, body: { sid: 'SM1', to: form.get('To'), status: 'queued' } };
  });
  const ports = inMemoryPorts();
  const manager = new ApiAccountManager({
    ...ports,
    email: nodemailerEmail(transportTo(smtp.port), {
      from: '"Box Office" <no-reply@box-office.example>',
    }),
    sms: twilioSms({
      accountSid: SID,
      authToken: TOKEN,
      from: '+447700900123',
      baseUrl: twilioServer.url,
    }),
    claimUrl: (token) => `${CLAIM_BASE}${token}`,
    systemName: 'Riverside Theatre',
    delivery: { timer: noWait },
  });
  const lastSms = () => new URLSearchParams(twilioServer.received.at(-1)?.body).get('Body') ?? '';
  const lastEmail = () => smtp.received.at(-1);
  const claim = () => {
    const code = /\b(\d{6})\b/.exec(lastSms())?.[1] ?? '';
    const token =
      new URL(
        /https:\/\/\S+/.exec(lastEmail()?.parsed.text ?? '')?.[0] ?? 'https://x',
      ).searchParams.get('token') ?? '';
    return { token, code };
  };
  return {
    manager,
    ports,
    smtp,
    twilioServer,
    claim,
    lastEmail,
    setTwilioDown: (down: boolean) => (twilioDown = down),
    close: async () => {
      await smtp.close().catch(() => undefined);
      await twilioServer.close();
    },
  };
}

let current: Awaited<ReturnType<typeof realDeliveryWorld>> | undefined;
afterEach(async () => {
  await current?.close();
  current = undefined;
});

describe('claim delivery over SMTP and Twilio', () => {
  it('delivers the link by email and the code by SMS, each without the other, and the claim works', async () => {
    current = await realDeliveryWorld();
    const w = current;
    const created = (
      await w.manager.createAccount(admin, accountInput({ username: 'Zoë & Søn <Tickets>' }))
    )._unsafeUnwrap();
    expect(created.delivery).toEqual({
      sms: { status: 'sent', attempts: 1 },
      email: { status: 'sent', attempts: 1 },
    });
    const { token, code } = w.claim();
    expect(code).toMatch(/^\d{6}$/);
    const mail = w.lastEmail();
    expect(mail?.envelopeTo).toEqual([created.account.email]);
    expect(mail?.parsed.subject).toBe(
      'Riverside Theatre: claim the API key of "Zoë & Søn <Tickets>"',
    );
    expect(mail?.parsed.text).toContain(`${CLAIM_BASE}${token}`);
    expect(mail?.parsed.html).toContain('Zoë &amp; Søn &lt;Tickets&gt;');
    // Decoded parts too: base64 or quoted-printable would hide the code in the raw message.
    expect(mail?.raw).not.toContain(code);
    for (const part of [mail?.parsed.subject, mail?.parsed.text, mail?.parsed.html]) {
      expect(typeof part === 'string' && part.length > 0).toBe(true);
      expect(part).not.toContain(code);
    }
    const smsBody = new URLSearchParams(w.twilioServer.received.at(-1)?.body);
    expect(smsBody.get('To')).toBe(created.account.phone);
    expect(smsBody.get('Body')).not.toContain(token);
    const claimed = (await w.manager.claimApiKey({ token, code }))._unsafeUnwrap();
    expect((await w.manager.verifyApiKey(claimed.apiKey))._unsafeUnwrap().accountId).toBe(
      created.account.id,
    );
  });

  it('loses nothing when Twilio is down, and resend recovers', async () => {
    current = await realDeliveryWorld();
    const w = current;
    w.setTwilioDown(true);
    const created = (await w.manager.createAccount(admin, accountInput()))._unsafeUnwrap();
    expect(created.delivery.sms).toMatchObject({
      status: 'failed',
      error: { reason: 'server_error', retryable: true, attempts: 3 },
    });
    expect(created.delivery.email.status).toBe('sent');
    expect(w.ports.store.snapshot().accounts).toHaveLength(1);
    w.setTwilioDown(false);
    const resent = (await w.manager.resendClaim(admin, created.account.id))._unsafeUnwrap();
    expect(resent.delivery.sms.status).toBe('sent');
    expect((await w.manager.claimApiKey(w.claim())).isOk()).toBe(true);
  });

  it('loses nothing when the SMTP server is gone, and resend recovers once it is back', async () => {
    current = await realDeliveryWorld();
    const w = current;
    const created = (await w.manager.createAccount(admin, accountInput()))._unsafeUnwrap();
    await w.smtp.close();
    const reset = (
      await w.manager.resetApiKey(admin, created.account.id, { confirm: true })
    )._unsafeUnwrap();
    expect(reset.delivery.email).toMatchObject({
      status: 'failed',
      error: { reason: 'connection', retryable: true, attempts: 3 },
    });
    expect(reset.delivery.sms.status).toBe('sent');
    const account = (await w.manager.getAccount(admin, created.account.id))._unsafeUnwrap();
    expect(account).toMatchObject({ claimPending: true, keyIssuedAt: null });

    // A new mail server comes up; the manager is pointed at it as a host would redeploy.
    const smtp = await localSmtpServer();
    try {
      const manager = new ApiAccountManager({
        ...w.ports,
        email: nodemailerEmail(transportTo(smtp.port), { from: 'no-reply@box-office.example' }),
        sms: twilioSms({
          accountSid: SID,
          authToken: TOKEN,
          from: '+447700900123',
          baseUrl: w.twilioServer.url,
        }),
        claimUrl: (token) => `${CLAIM_BASE}${token}`,
      });
      const resent = (await manager.resendClaim(admin, created.account.id))._unsafeUnwrap();
      expect(resent.delivery.email.status).toBe('sent');
      const link = /https:\/\/\S+/.exec(smtp.received.at(-1)?.parsed.text ?? '')?.[0] ?? '';
      const token = new URL(link).searchParams.get('token') ?? '';
      const code =
        /\b(\d{6})\b/.exec(
          new URLSearchParams(w.twilioServer.received.at(-1)?.body).get('Body') ?? '',
        )?.[1] ?? '';
      expect((await manager.claimApiKey({ token, code })).isOk()).toBe(true);
    } finally {
      await smtp.close();
    }
  });
});
