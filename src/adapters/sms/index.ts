/**
 * SMS over HTTP providers: Twilio, Vonage, and a signed JSON webhook to a
 * host's own gateway. Each adapter reports failures as a `DeliveryError`
 * whose reason and `retryable` flag the core uses to retry with backoff.
 *
 * @example
 * ```ts
 * import { twilioSms } from 'api-accounts/sms';
 * const sms = twilioSms({ accountSid: 'AC…', authToken: process.env.TWILIO_AUTH_TOKEN!, from: '+447700900123' });
 * ```
 *
 * @module api-accounts/sms
 */
export type { HttpSenderOptions } from './http.js';
export {
  type TwilioClientLike,
  type TwilioSender,
  type TwilioSmsOptions,
  twilioSms,
} from './twilio.js';
export { type VonageSmsOptions, vonageSms } from './vonage.js';
export { type WebhookSmsOptions, webhookSms } from './webhook.js';
export {
  signWebhookBody,
  verifyWebhookSignature,
  WEBHOOK_SIGNATURE_HEADER,
  type WebhookSignatureCheck,
} from './webhook-signature.js';
