import { DeliveryError } from '../../ports/delivery.js';
import type { EmailMessage, EmailSender } from '../../ports/email-sender.js';
import { smtpFailure } from './smtp-failure.js';

/**
 * The part of a nodemailer `Transporter` this adapter uses, typed structurally
 * so that `nodemailer` stays an optional peer dependency. Any transport works:
 * SMTP, SES, sendmail.
 *
 * @example
 * ```ts
 * import nodemailer from 'nodemailer';
 * const transport: MailTransportLike = nodemailer.createTransport({ host: 'smtp.example', port: 587 });
 * ```
 */
export interface MailTransportLike {
  /** Sends one message; resolves with what the server accepted and rejected. */
  sendMail(mail: {
    from: string;
    /** Structured, so that nodemailer never parses the address as a list. */
    to: { readonly name: string; readonly address: string };
    subject: string;
    text: string;
    html: string;
    replyTo?: string;
    headers?: Record<string, string>;
  }): Promise<{ readonly accepted?: readonly unknown[]; readonly rejected?: readonly unknown[] }>;
}

/**
 * The sender's address and optional extras for {@link nodemailerEmail}.
 *
 * @example
 * ```ts
 * const options: NodemailerEmailOptions = { from: '"Box Office" <no-reply@box-office.example>' };
 * ```
 */
export interface NodemailerEmailOptions {
  /** The `From` header, e.g. `"Box Office" <no-reply@box-office.example>`. */
  readonly from: string;
  readonly replyTo?: string;
  /** Extra headers for every message. */
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * An {@link EmailSender} over a nodemailer transport the host configures.
 * `send` resolves once the transport accepted the message (for SMTP, the
 * server's final 250) and rejects with a `DeliveryError` otherwise: a
 * refused recipient, refused credentials, a closed connection or a timeout,
 * each with its reason (temporary failures marked retryable). Set the
 * transport's own `connectionTimeout`, `greetingTimeout` and `socketTimeout`;
 * the core's per-try timeout stops waiting, but nodemailer cannot be aborted.
 *
 * @example
 * ```ts
 * import nodemailer from 'nodemailer';
 * import { nodemailerEmail } from 'api-accounts/nodemailer';
 * const email = nodemailerEmail(
 *   nodemailer.createTransport({ host: 'smtp.example', port: 587, auth: { user, pass }, socketTimeout: 10_000 }),
 *   { from: '"Box Office" <no-reply@box-office.example>' },
 * );
 * ```
 */
export function nodemailerEmail(
  transport: MailTransportLike,
  options: NodemailerEmailOptions,
): EmailSender {
  if (typeof transport?.sendMail !== 'function') {
    throw new TypeError('nodemailerEmail: transport must have sendMail (a nodemailer Transporter)');
  }
  if (typeof options?.from !== 'string' || options.from.length === 0) {
    throw new TypeError('nodemailerEmail: from is required');
  }
  return {
    async send(message: EmailMessage) {
      let info: Awaited<ReturnType<MailTransportLike['sendMail']>>;
      try {
        info = await transport.sendMail({
          from: options.from,
          // As a raw string, `dev,attacker@evil.example` would be read as a list and
          // mailed to attacker@evil.example; as a structured address it is one recipient.
          to: { name: '', address: message.to },
          subject: message.subject,
          text: message.text,
          html: message.html,
          ...(options.replyTo ? { replyTo: options.replyTo } : {}),
          ...(options.headers ? { headers: { ...options.headers } } : {}),
        });
      } catch (cause) {
        throw smtpFailure(cause);
      }
      if ((info?.rejected?.length ?? 0) > 0) {
        throw new DeliveryError({
          reason: 'recipient_refused',
          retryable: false,
          provider: 'smtp',
          detail: 'the server refused the recipient',
        });
      }
    },
  };
}
