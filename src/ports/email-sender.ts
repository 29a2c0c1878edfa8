import type { DeliveryError, SendOptions } from './delivery.js';

/**
 * An email to send, with a plain-text and an HTML body carrying the same content.
 *
 * @example
 * ```ts
 * const message: EmailMessage = { to: 'dev@partner.example', subject: 'Hi', text: 'Hi', html: '<p>Hi</p>' };
 * ```
 */
export interface EmailMessage {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

/**
 * Sends email. The claim link (with its single-use token) travels only through
 * this port.
 *
 * Guarantees an adapter must give:
 * - `send` resolves only once the message is accepted for delivery (for SMTP, the
 *   server's final `250`), and rejects or throws otherwise, preferably with a
 *   {@link DeliveryError} that says why and whether trying again may help.
 * - It stops when `options.signal` aborts (the core's timeout), where it can.
 * - It never logs the bodies: they hold a claim token.
 *
 * @example
 * ```ts
 * const email: EmailSender = {
 *   async send(message) {
 *     await transport.sendMail({ from: 'no-reply@box-office.example', ...message });
 *   },
 * };
 * ```
 */
export interface EmailSender {
  /** Hands `message` to the mail system; resolves once it is accepted for delivery, rejects otherwise. */
  send(message: EmailMessage, options?: SendOptions): Promise<void>;
}
