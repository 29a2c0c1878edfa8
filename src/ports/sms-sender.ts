import type { DeliveryError, SendOptions } from './delivery.js';

/**
 * An SMS to send: the recipient in E.164 and the message text.
 *
 * @example
 * ```ts
 * const message: SmsMessage = { to: '+447894123456', text: 'Your code is 123456' };
 * ```
 */
export interface SmsMessage {
  readonly to: string;
  readonly text: string;
}

/**
 * Sends text messages. The claim code travels only through this port.
 *
 * Guarantees an adapter must give:
 * - `send` resolves only once the provider has accepted the message, and rejects
 *   (or throws) when it has not; the manager reports the failure per channel and
 *   keeps the account and its claim, so nothing is lost. Rejecting with a
 *   {@link DeliveryError} says why, and whether trying again may help.
 * - It stops when `options.signal` aborts (the core's timeout), where it can.
 * - It never logs the text: it holds a one-time code.
 *
 * @example
 * ```ts
 * const sms: SmsSender = {
 *   async send({ to, text }) {
 *     await myProvider.messages.create({ to, body: text });
 *   },
 * };
 * ```
 */
export interface SmsSender {
  /** Hands `message` to the provider; resolves once it is accepted, rejects otherwise. */
  send(message: SmsMessage, options?: SendOptions): Promise<void>;
}
