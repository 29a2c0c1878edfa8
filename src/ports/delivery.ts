/**
 * How a sender tells the core what went wrong, so that the core can decide
 * whether to try again and the administrator can see why.
 *
 * @module
 */

/**
 * Why a message was not handed over. SMS adapters use the first group, email
 * adapters the second; both use the rest.
 *
 * - `invalid_number`: the provider says the number cannot exist or is malformed.
 * - `not_sms_capable`: the number exists but cannot take SMS (a landline).
 * - `unreachable`: the number cannot be reached now or at all (barred, opted
 *   out, region not enabled, deactivated).
 * - `recipient_refused`: the mail server refused the address.
 * - `authentication`: the provider refused our credentials or account.
 * - `rate_limited`: too many requests; try later.
 * - `server_error`: the provider failed on its side.
 * - `rejected`: the provider refused the request for another reason (bad
 *   sender, message too long, configuration).
 * - `timeout`: no answer in time.
 * - `connection`: the connection failed or was dropped.
 * - `template`: the host's message template or `claimUrl` threw.
 * - `unknown`: the sender threw something that is not a {@link DeliveryError}.
 *
 * @example
 * ```ts
 * const reason: DeliveryFailureReason = 'rate_limited';
 * ```
 */
export type DeliveryFailureReason =
  | 'invalid_number'
  | 'not_sms_capable'
  | 'unreachable'
  | 'recipient_refused'
  | 'authentication'
  | 'rate_limited'
  | 'server_error'
  | 'rejected'
  | 'timeout'
  | 'connection'
  | 'template'
  | 'unknown';

/**
 * What {@link DeliveryError} is built from.
 *
 * @example
 * ```ts
 * const init: DeliveryErrorInit = { reason: 'server_error', retryable: true, provider: 'twilio', status: 503 };
 * ```
 */
export interface DeliveryErrorInit {
  readonly reason: DeliveryFailureReason;
  /** Whether the same message may succeed if sent again later. */
  readonly retryable: boolean;
  /** Which provider answered, e.g. `'twilio'`, `'smtp'`. */
  readonly provider: string;
  /** The provider's own error code, when it gave one. */
  readonly providerCode?: string | number;
  /** The HTTP status or SMTP reply code, when there was one. */
  readonly status?: number;
  /** How long the provider asked us to wait before trying again. */
  readonly retryAfterMs?: number;
  /** A description for operators. Never the message text, code or link. */
  readonly detail?: string;
}

/**
 * The error a sender rejects with when it knows why delivery failed. The core
 * retries it when `retryable` is true; anything else a sender throws counts as
 * `unknown` and is not retried, because a sender that cannot tell may already
 * have delivered the message.
 *
 * @example
 * ```ts
 * const sms: SmsSender = {
 *   async send({ to, text }) {
 *     const response = await fetch(url, { method: 'POST', body: JSON.stringify({ to, text }) });
 *     if (response.status === 429) {
 *       throw new DeliveryError({ reason: 'rate_limited', retryable: true, provider: 'my-gateway' });
 *     }
 *   },
 * };
 * ```
 */
export class DeliveryError extends Error {
  readonly reason: DeliveryFailureReason;
  readonly retryable: boolean;
  readonly provider: string;
  readonly providerCode: string | number | undefined;
  readonly status: number | undefined;
  readonly retryAfterMs: number | undefined;

  constructor(init: DeliveryErrorInit) {
    super(
      `${init.provider}: ${init.reason}${init.providerCode === undefined ? '' : ` (${init.providerCode})`}${init.detail ? `: ${init.detail}` : ''}`,
    );
    this.name = 'DeliveryError';
    this.reason = init.reason;
    this.retryable = init.retryable;
    this.provider = init.provider;
    this.providerCode = init.providerCode;
    this.status = init.status;
    this.retryAfterMs = init.retryAfterMs;
  }
}

/**
 * Options the core passes with each message. A sender should stop work when
 * `signal` aborts: the core has stopped waiting (its per-attempt timeout).
 * Senders written before this existed ignore it and stay compatible.
 *
 * @example
 * ```ts
 * async send(message, options) {
 *   await fetch(url, { method: 'POST', body: JSON.stringify(message), signal: options?.signal });
 * }
 * ```
 */
export interface SendOptions {
  readonly signal?: AbortSignal;
}
