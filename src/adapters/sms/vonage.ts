import { smsSegments } from '../../core/messages/sms-segments.js';
import {
  DeliveryError,
  type DeliveryFailureReason,
  type SendOptions,
} from '../../ports/delivery.js';
import type { SmsMessage, SmsSender } from '../../ports/sms-sender.js';
import {
  failureForStatus,
  type HttpSenderOptions,
  optional,
  parseJson,
  postToProvider,
  retryAfterMs,
} from './http.js';

/**
 * Credentials and sender for {@link vonageSms}.
 *
 * @example
 * ```ts
 * const options: VonageSmsOptions = { apiKey: 'abcd1234', apiSecret: process.env.VONAGE_API_SECRET!, from: 'BoxOffice' };
 * ```
 */
export interface VonageSmsOptions extends HttpSenderOptions {
  readonly apiKey: string;
  readonly apiSecret: string;
  /** A number in E.164 (the `+` is dropped) or an alphanumeric sender id. */
  readonly from: string;
  /** Default `https://rest.nexmo.com`; tests point it at a local server. */
  readonly baseUrl?: string;
}

// Vonage SMS API status codes (developer.vonage.com/api-errors/sms).
const VONAGE_STATUS: Readonly<Record<string, readonly [DeliveryFailureReason, boolean]>> = {
  '1': ['rate_limited', true], // Throttled
  '2': ['rejected', false], // Missing Parameters
  '3': ['rejected', false], // Invalid Parameters
  '4': ['authentication', false], // Invalid Credentials
  '5': ['server_error', true], // Internal Error
  '6': ['invalid_number', false], // Invalid Message (e.g. unrecognised number prefix)
  '7': ['unreachable', false], // Number Barred
  '8': ['authentication', false], // Partner Account Barred
  '9': ['rejected', false], // Partner Quota Violation (no credit)
  '10': ['rate_limited', true], // Too Many Existing Binds
  '11': ['rejected', false], // Account Not Enabled For HTTP
  '12': ['rejected', false], // Message Too Long
  '14': ['authentication', false], // Invalid Signature
  '15': ['rejected', false], // Invalid Sender Address
  '22': ['invalid_number', false], // Invalid Network Code
  '23': ['rejected', false], // Invalid Callback Url
  '29': ['unreachable', false], // Non-Whitelisted Destination
  '32': ['authentication', false], // Signature And API Secret Disallowed
  '33': ['unreachable', false], // Number De-activated
};

/**
 * An {@link SmsSender} over Vonage's SMS API: a form-encoded POST of
 * `api_key`, `api_secret`, `from`, `to` (E.164 without the `+`), `text` and,
 * for text outside GSM-7, `type=unicode`, to `/sms/json`. Vonage answers 200
 * with a status per message part; any non-zero status becomes a
 * {@link DeliveryError} (throttling and internal errors retryable).
 *
 * @example
 * ```ts
 * import { vonageSms } from 'api-accounts/sms';
 * const sms = vonageSms({ apiKey: 'abcd1234', apiSecret: process.env.VONAGE_API_SECRET!, from: 'BoxOffice' });
 * ```
 */
export function vonageSms(options: VonageSmsOptions): SmsSender {
  if (!options.apiKey || !options.apiSecret || !options.from) {
    throw new TypeError('vonageSms: apiKey, apiSecret and from are required');
  }
  const url = `${(options.baseUrl ?? 'https://rest.nexmo.com').replace(/\/+$/, '')}/sms/json`;
  return {
    async send({ to, text }: SmsMessage, sendOptions?: SendOptions) {
      const form = new URLSearchParams({
        api_key: options.apiKey,
        api_secret: options.apiSecret,
        from: options.from.replace(/^\+/, ''),
        to: to.replace(/^\+/, ''),
        text,
      });
      if (smsSegments(text).encoding === 'UCS-2') form.set('type', 'unicode');
      const answer = await postToProvider(
        'vonage',
        url,
        {
          headers: {
            'content-type': 'application/x-www-form-urlencoded',
            accept: 'application/json',
          },
          body: form.toString(),
        },
        options,
        sendOptions,
      );
      if (answer.status !== 200) {
        throw failureForStatus('vonage', answer.status, {
          ...optional('retryAfterMs', retryAfterMs(answer.headers, Date.now())),
        });
      }
      checkParts(parseJson(answer.body));
    },
  };
}

// { "message-count": "1", "messages": [{ "status": "0", … } | { "status": "4", "error-text": "…" }] }
function checkParts(body: unknown): void {
  const parts = (body as { messages?: unknown } | undefined)?.messages;
  if (!Array.isArray(parts) || parts.length === 0) {
    throw new DeliveryError({
      reason: 'server_error',
      retryable: false,
      provider: 'vonage',
      detail: 'the answer had no message status',
    });
  }
  for (const part of parts as { status?: unknown; 'error-text'?: unknown }[]) {
    const status = String(part?.status);
    if (status === '0') continue;
    const [reason, retryable] = Object.hasOwn(VONAGE_STATUS, status)
      ? (VONAGE_STATUS[status] as readonly [DeliveryFailureReason, boolean])
      : (['rejected', false] as const);
    const text = part?.['error-text'];
    throw new DeliveryError({
      reason,
      retryable,
      provider: 'vonage',
      providerCode: status,
      ...optional('detail', typeof text === 'string' ? text.slice(0, 300) : undefined),
    });
  }
}
