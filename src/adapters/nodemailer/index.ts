/**
 * Email through nodemailer: any transport the host configures (SMTP, SES,
 * sendmail). `nodemailer` is an optional peer dependency.
 *
 * @example
 * ```ts
 * import nodemailer from 'nodemailer';
 * import { nodemailerEmail } from 'api-accounts/nodemailer';
 * const email = nodemailerEmail(nodemailer.createTransport(process.env.SMTP_URL), { from: 'no-reply@box-office.example' });
 * ```
 *
 * @module api-accounts/nodemailer
 */
export {
  type MailTransportLike,
  type NodemailerEmailOptions,
  nodemailerEmail,
} from './nodemailer-email.js';
export { smtpFailure } from './smtp-failure.js';
