import { createHmac } from 'node:crypto';
import { constantTimeEqual } from '../../core/crypto/constant-time-equal.js';

/**
 * The header that carries the webhook's signature.
 *
 * @example
 * ```ts
 * const signature = request.headers.get(WEBHOOK_SIGNATURE_HEADER);
 * ```
 */
export const WEBHOOK_SIGNATURE_HEADER = 'x-api-accounts-signature';

/**
 * Signs a webhook body: `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, t + "." + body)>`.
 * The timestamp is signed with the body, so a receiver can refuse replays.
 *
 * @example
 * ```ts
 * signWebhookBody('whsec_…', '{"to":"+447894123456","text":"…"}', 1_700_000_000);
 * // 't=1700000000,v1=5f…'
 * ```
 */
export function signWebhookBody(secret: string, body: string, unixSeconds: number): string {
  const mac = createHmac('sha256', secret).update(`${unixSeconds}.${body}`).digest('hex');
  return `t=${unixSeconds},v1=${mac}`;
}

/**
 * What {@link verifyWebhookSignature} checks.
 *
 * @example
 * ```ts
 * const input: WebhookSignatureCheck = { secret, header: request.headers.get(WEBHOOK_SIGNATURE_HEADER), body: rawBody };
 * ```
 */
export interface WebhookSignatureCheck {
  readonly secret: string;
  /** The `X-Api-Accounts-Signature` header as received (`null` when missing). */
  readonly header: string | null | undefined;
  /** The raw body text, exactly as received. */
  readonly body: string;
  /** How old a signature may be. Default 5 minutes. */
  readonly toleranceMs?: number;
  /** Now, in ms since the epoch. Default `Date.now()`. */
  readonly nowMs?: number;
}

/**
 * For the receiver of {@link webhookSms}: whether the request came from the
 * holder of the shared secret, recently. Compares in constant time; never
 * throws, whatever the header holds.
 *
 * @example
 * ```ts
 * const body = await request.text();
 * if (!verifyWebhookSignature({ secret, header: request.headers.get('x-api-accounts-signature'), body })) {
 *   return new Response(null, { status: 401 });
 * }
 * ```
 */
export function verifyWebhookSignature(check: WebhookSignatureCheck): boolean {
  const match = /^t=(\d{1,12}),v1=([0-9a-f]{64})$/.exec(check.header ?? '');
  if (!match) return false;
  const seconds = Number(match[1]);
  const now = check.nowMs ?? Date.now();
  if (Math.abs(now - seconds * 1000) > (check.toleranceMs ?? 5 * 60_000)) return false;
  const expected = signWebhookBody(check.secret, check.body, seconds);
  return constantTimeEqual(expected, check.header as string);
}
