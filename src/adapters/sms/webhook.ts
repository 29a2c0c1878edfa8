import { createHash } from 'node:crypto';
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
import { signWebhookBody, WEBHOOK_SIGNATURE_HEADER } from './webhook-signature.js';

/**
 * Where and how {@link webhookSms} posts.
 *
 * @example
 * ```ts
 * const options: WebhookSmsOptions = { url: 'https://sms-gateway.internal/send', secret: process.env.SMS_WEBHOOK_SECRET! };
 * ```
 */
export interface WebhookSmsOptions extends HttpSenderOptions {
  readonly url: string;
  /** The shared secret the receiver checks with `verifyWebhookSignature`. At least 16 characters. */
  readonly secret: string;
  /** Extra headers, e.g. a routing key. Cannot replace the signature or content type. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Seconds since the epoch for the signature. Default the real time. */
  readonly now?: () => number;
}

const RETRYABLE_REASONS: ReadonlySet<DeliveryFailureReason> = new Set([
  'rate_limited',
  'server_error',
  'timeout',
  'connection',
]);
const RECEIVER_REASONS: ReadonlySet<string> = new Set<DeliveryFailureReason>([
  'invalid_number',
  'not_sms_capable',
  'unreachable',
  'authentication',
  'rate_limited',
  'server_error',
  'rejected',
]);

/**
 * An {@link SmsSender} that POSTs each message as JSON
 * (`{ "id", "to", "text" }`) to a host's own gateway, signed in the
 * `X-Api-Accounts-Signature` header (see `verifyWebhookSignature`). `id` is
 * the same for every try of one message (also sent as `Idempotency-Key`), so
 * the receiver can drop duplicates. Any 2xx is success; otherwise the
 * receiver may answer `{ "error": "<reason>" }` with one of the
 * `DeliveryFailureReason`s, or the HTTP status decides (429 and 5xx are
 * retried).
 *
 * @example
 * ```ts
 * import { webhookSms } from 'api-accounts/sms';
 * const sms = webhookSms({ url: 'https://sms-gateway.internal/send', secret: process.env.SMS_WEBHOOK_SECRET! });
 * ```
 */
export function webhookSms(options: WebhookSmsOptions): SmsSender {
  if (!/^https?:\/\//.test(options.url)) {
    throw new TypeError('webhookSms: url must be an absolute http(s) URL');
  }
  if (typeof options.secret !== 'string' || options.secret.length < 16) {
    throw new TypeError('webhookSms: secret must be at least 16 characters');
  }
  const now = options.now ?? (() => Math.floor(Date.now() / 1000));
  return {
    async send({ to, text }: SmsMessage, sendOptions?: SendOptions) {
      const id = createHash('sha256').update(`${to}\n${text}`).digest('base64url').slice(0, 32);
      const body = JSON.stringify({ id, to, text });
      const answer = await postToProvider(
        'webhook',
        options.url,
        {
          headers: {
            ...options.headers,
            'content-type': 'application/json',
            'idempotency-key': id,
            [WEBHOOK_SIGNATURE_HEADER]: signWebhookBody(options.secret, body, now()),
          },
          body,
        },
        options,
        sendOptions,
      );
      if (answer.status >= 200 && answer.status < 300) return;
      const retryAfter = optional('retryAfterMs', retryAfterMs(answer.headers, Date.now()));
      const said = (parseJson(answer.body) as { error?: unknown } | undefined)?.error;
      if (typeof said === 'string' && RECEIVER_REASONS.has(said)) {
        const reason = said as DeliveryFailureReason;
        throw new DeliveryError({
          reason,
          retryable: RETRYABLE_REASONS.has(reason),
          provider: 'webhook',
          status: answer.status,
          ...retryAfter,
        });
      }
      throw failureForStatus('webhook', answer.status, retryAfter);
    },
  };
}
