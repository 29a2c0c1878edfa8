import type { EmailSender } from '../../ports/email-sender.js';
import type { SmsSender } from '../../ports/sms-sender.js';

/**
 * Options of {@link consoleSenders}.
 *
 * @example
 * ```ts
 * const senders = consoleSenders({ write: (block) => process.stderr.write(`${block}\n`) });
 * ```
 */
export interface ConsoleSendersOptions {
  /** Where each message goes, as one block of text. Default `console.log`. */
  readonly write?: (block: string) => void;
}

/** Says on every message, where it is seen, that nothing was sent. */
const NOT_SENT =
  'DEVELOPMENT ONLY (api-accounts consoleSenders): nothing was sent; not for production';

/**
 * An SMS and an email sender for local development that send nothing: each
 * claim message is printed whole, the SMS with its code and the email with
 * its link, under a banner saying it was not sent. So a developer can claim
 * a key without an SMS provider or a mail server. They print one-time codes
 * and claim links in clear: never use them in production.
 *
 * @example
 * ```ts
 * import { ApiAccountManager, consoleSenders } from 'api-accounts';
 *
 * const manager = new ApiAccountManager({
 *   store, directory, ...consoleSenders(),
 *   claimUrl: (token) => `http://localhost:3000/api-access/claim?token=${token}`,
 * });
 * ```
 */
export function consoleSenders(options: ConsoleSendersOptions = {}): {
  readonly sms: SmsSender;
  readonly email: EmailSender;
} {
  const write = options.write ?? ((block: string) => console.log(block));
  const print = (channel: string, to: string, body: string) =>
    write([`──── ${channel} to ${to} ── ${NOT_SENT} ────`, body, '────'].join('\n'));
  return {
    sms: {
      async send({ to, text }) {
        print('SMS', to, text);
      },
    },
    email: {
      async send({ to, subject, text }) {
        print('Email', to, `Subject: ${subject}\n\n${text}`);
      },
    },
  };
}
