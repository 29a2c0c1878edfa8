import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import { DeliveryError } from 'api-accounts';
import { nodemailerEmail } from 'api-accounts/nodemailer';
import { emailSenderContract, runContractSuite } from 'api-accounts/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rejectionOf } from '../sms/provider-server.js';
import {
  BLOCKED_SENDER,
  HANGS,
  hangingUpServer,
  localSmtpServer,
  REFUSED,
  silentServer,
  transportTo,
} from './smtp-server.js';

const FROM = '"Théâtre Royal – Box Office" <no-reply@box-office.example>';

let smtp: Awaited<ReturnType<typeof localSmtpServer>>;
beforeAll(async () => {
  smtp = await localSmtpServer();
});
afterAll(() => smtp.close());

const sender = () => nodemailerEmail(transportTo(smtp.port), { from: FROM });
const message = {
  to: 'dev@partner.example',
  subject: 'Box Office: claim the API key of "Zoë & Søn"',
  text: 'Open https://bo.example/claim?token=abc',
  html: '<p>Open <a href="https://bo.example/claim?token=abc">the page</a></p>',
};

describe('nodemailerEmail against a real SMTP server', () => {
  runContractSuite(
    emailSenderContract(
      () => {
        const from = smtp.received.length;
        return { sender: sender(), delivered: () => smtp.delivered(from) };
      },
      {
        makeRefusingSender: () => nodemailerEmail(transportTo(smtp.port), { from: BLOCKED_SENDER }),
      },
    ),
    { describe, it },
  );

  it('hands the address to nodemailer as one recipient, never as a list to parse', async () => {
    // validateEmail refuses these; a host's own sender path must still not fan out.
    for (const to of ['dev,attacker@evil.example', 'a;attacker@evil.example']) {
      const from = smtp.received.length;
      await sender()
        .send({ ...message, to })
        .catch(() => undefined);
      const recipients = smtp.received.slice(from).flatMap((mail) => mail.envelopeTo);
      expect(
        recipients.some((address) => address === 'attacker@evil.example'),
        to,
      ).toBe(false);
      expect(recipients.length, to).toBeLessThanOrEqual(1);
    }
  });

  it('sends one message to the recipient with text and HTML parts and the From name encoded', async () => {
    const from = smtp.received.length;
    await sender().send(message);
    const [mail] = smtp.received.slice(from);
    expect(mail?.envelopeTo).toEqual(['dev@partner.example']);
    expect(mail?.parsed.from?.value[0]).toEqual({
      address: 'no-reply@box-office.example',
      name: 'Théâtre Royal – Box Office',
    });
    expect(mail?.parsed.subject).toBe(message.subject);
    expect(mail?.parsed.text?.trim()).toBe(message.text);
    expect(typeof mail?.parsed.html === 'string' && mail.parsed.html.trim()).toBe(message.html);
    // Non-ASCII travels encoded (RFC 2047 words in headers), never as raw 8-bit header bytes.
    const headers = mail?.raw.split(/\r?\n\r?\n/)[0] ?? '';
    expect(headers).toMatch(/^Subject: =\?UTF-8\?/m);
    expect([...headers].filter((char) => char.charCodeAt(0) > 127)).toEqual([]);
  });

  it('maps a refused recipient to recipient_refused, not retried', async () => {
    const error = await rejectionOf(() => sender().send({ ...message, to: REFUSED }));
    expect(error).toBeInstanceOf(DeliveryError);
    expect(error).toMatchObject({
      reason: 'recipient_refused',
      retryable: false,
      provider: 'smtp',
      status: 550,
    });
  });

  it('maps a refused sender to rejected, not retried', async () => {
    const error = await rejectionOf(() =>
      nodemailerEmail(transportTo(smtp.port), { from: BLOCKED_SENDER }).send(message),
    );
    expect(error).toMatchObject({ reason: 'rejected', retryable: false, status: 550 });
  });

  it('maps a server that closes the connection to a retryable connection failure', async () => {
    const server = await hangingUpServer();
    try {
      const error = await rejectionOf(() =>
        nodemailerEmail(transportTo(server.port), { from: FROM }).send(message),
      );
      expect(error).toMatchObject({ reason: 'connection', retryable: true });
    } finally {
      await server.close();
    }
  });

  it('maps a refused connection to a retryable connection failure', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const error = await rejectionOf(() =>
      nodemailerEmail(transportTo(port), { from: FROM }).send(message),
    );
    expect(error).toMatchObject({ reason: 'connection', retryable: true });
  });

  it('maps a server that never greets to a retryable timeout', async () => {
    const server = await silentServer();
    try {
      const error = await rejectionOf(() =>
        nodemailerEmail(transportTo(server.port, 200), { from: FROM }).send(message),
      );
      expect(error).toMatchObject({ reason: 'timeout', retryable: true });
    } finally {
      await server.close();
    }
  });

  it('maps a server that never answers DATA to a retryable timeout', async () => {
    const error = await rejectionOf(() =>
      nodemailerEmail(transportTo(smtp.port, 300), { from: FROM }).send({ ...message, to: HANGS }),
    );
    expect(error).toMatchObject({ reason: 'timeout', retryable: true });
  });

  it('refuses a transport without sendMail or an empty from', () => {
    expect(() => nodemailerEmail({} as never, { from: FROM })).toThrow(TypeError);
    expect(() => nodemailerEmail(transportTo(smtp.port), { from: '' })).toThrow(TypeError);
  });
});
