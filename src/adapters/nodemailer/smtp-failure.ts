import { DeliveryError, type DeliveryFailureReason } from '../../ports/delivery.js';

/** The fields of a nodemailer error that say what went wrong. */
interface NodemailerErrorLike {
  readonly code?: unknown;
  readonly responseCode?: unknown;
  readonly command?: unknown;
  readonly message?: unknown;
}

const CONNECTION_CODES = new Set([
  'ECONNECTION',
  'ESOCKET',
  'EDNS',
  'ETLS',
  'ECONNRESET',
  'ECONNREFUSED',
  'EPROTOCOL',
]);

/**
 * Classifies a nodemailer failure. SMTP reply codes decide first: 5xx is
 * permanent (a refused recipient when it answered `RCPT TO`, refused
 * credentials for 530/534/535), 4xx is temporary and retried (452/454 as a
 * rate limit). Without a reply, nodemailer's own code decides: a timeout or a
 * broken connection is retried, refused authentication is not.
 *
 * @example
 * ```ts
 * smtpFailure({ code: 'EENVELOPE', responseCode: 550, command: 'RCPT TO' }).reason; // 'recipient_refused'
 * ```
 */
export function smtpFailure(cause: unknown): DeliveryError {
  const error = (typeof cause === 'object' && cause !== null ? cause : {}) as NodemailerErrorLike;
  const code = typeof error.code === 'string' ? error.code : undefined;
  const reply = typeof error.responseCode === 'number' ? error.responseCode : undefined;
  const [reason, retryable] = classify(code, reply, String(error.command ?? ''));
  return new DeliveryError({
    reason,
    retryable,
    provider: 'smtp',
    ...(reply === undefined ? {} : { status: reply }),
    ...(code === undefined ? {} : { providerCode: code }),
    ...(typeof error.message === 'string' ? { detail: error.message.slice(0, 300) } : {}),
  });
}

function classify(
  code: string | undefined,
  reply: number | undefined,
  command: string,
): [DeliveryFailureReason, boolean] {
  if (reply !== undefined) {
    if (reply === 530 || reply === 534 || reply === 535 || code === 'EAUTH') {
      return ['authentication', false];
    }
    if (reply === 452 || reply === 454 || reply === 421) return ['rate_limited', true];
    if (reply >= 500) {
      return [/RCPT/i.test(command) ? 'recipient_refused' : 'rejected', false];
    }
    if (reply >= 400) return ['server_error', true];
  }
  if (code === 'ETIMEDOUT') return ['timeout', true];
  if (code === 'EAUTH' || code === 'ENOAUTH') return ['authentication', false];
  if (code === 'EENVELOPE') return ['recipient_refused', false];
  if (code !== undefined && CONNECTION_CODES.has(code)) return ['connection', true];
  return ['rejected', false];
}
