import type { EmailMessage, EmailSender } from '../../ports/email-sender.js';
import type { SmsMessage, SmsSender } from '../../ports/sms-sender.js';

/**
 * An {@link SmsSender} that keeps every message in `sent`, for tests, demos and
 * development inboxes.
 *
 * @example
 * ```ts
 * const sms = inMemorySmsSender();
 * await sms.send({ to: '+447894123456', text: 'hello' });
 * sms.sent[0]?.text; // 'hello'
 * ```
 */
export interface InMemorySmsSender extends SmsSender {
  readonly sent: SmsMessage[];
}

/**
 * An {@link EmailSender} that keeps every message in `sent`.
 *
 * @example
 * ```ts
 * const email = inMemoryEmailSender();
 * email.sent.at(-1)?.subject;
 * ```
 */
export interface InMemoryEmailSender extends EmailSender {
  readonly sent: EmailMessage[];
}

/**
 * Creates an {@link InMemorySmsSender}.
 *
 * @example
 * ```ts
 * const { sms } = inMemoryPorts(); // or: const sms = inMemorySmsSender();
 * ```
 */
export function inMemorySmsSender(): InMemorySmsSender {
  const sent: SmsMessage[] = [];
  return {
    sent,
    async send(message) {
      sent.push({ to: message.to, text: message.text });
    },
  };
}

/**
 * Creates an {@link InMemoryEmailSender}.
 *
 * @example
 * ```ts
 * const email = inMemoryEmailSender();
 * ```
 */
export function inMemoryEmailSender(): InMemoryEmailSender {
  const sent: EmailMessage[] = [];
  return {
    sent,
    async send(message) {
      sent.push({
        to: message.to,
        subject: message.subject,
        text: message.text,
        html: message.html,
      });
    },
  };
}
