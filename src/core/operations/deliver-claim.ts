import type { AccountRecord, LeakReport } from '../../ports/account-store.js';
import { type ApiAccount, toApiAccount } from '../account.js';
import type { ClaimSecrets } from '../claim/claim-secrets.js';
import { type DeliveryFailed, errors, type InvalidInput } from '../errors.js';
import { isRecord } from '../is-record.js';
import {
  type ClaimMessageContext,
  type ClaimReason,
  isSupportedLocale,
} from '../messages/claim-messages.js';
import { redactSecrets } from '../redact-secrets.js';
import { err, ok, okAsync, Result, ResultAsync } from '../result.js';
import type { OperationContext } from './operation-context.js';

/**
 * Whether one channel's message was handed to its provider.
 *
 * @example
 * ```ts
 * if (result.delivery.sms.status === 'failed') showResendButton(result.delivery.sms.error.message);
 * ```
 */
export type Delivery =
  | { readonly status: 'sent'; readonly attempts: number }
  | { readonly status: 'failed'; readonly error: DeliveryFailed };

/**
 * Per-call choices for the claim messages of `createAccount`, `resetApiKey`
 * and `resendClaim`.
 *
 * @example
 * ```ts
 * await manager.resendClaim(admin, id, { locale: 'fr-FR' });
 * ```
 */
export interface ClaimMessageOptions {
  /** The BCP 47 locale the templates write in; default `messages.locale`. */
  readonly locale?: string;
}

/**
 * What `createAccount`, `resetApiKey` and `resendClaim` return: the account as
 * stored, when its claim expires, and how each message fared. A failed message
 * does not fail the call: the claim is stored, and `resendClaim` sends a fresh one.
 *
 * @example
 * ```ts
 * const { account, claim, delivery } = (await manager.createAccount(admin, input))._unsafeUnwrap();
 * ```
 */
export interface ClaimIssued {
  readonly account: ApiAccount;
  readonly claim: { readonly expiresAt: Date };
  readonly delivery: { readonly sms: Delivery; readonly email: Delivery };
}

/**
 * Sends the claim's SMS (code, no link) and email (link, no code) at the same
 * time, after the account and claim are stored. Never fails: each channel's
 * outcome is reported instead, including a host template or `claimUrl` that throws.
 */
export function deliverClaim(
  ctx: OperationContext,
  record: AccountRecord,
  secrets: ClaimSecrets,
  reason: ClaimReason,
  locale: string,
  leak?: LeakReport,
): ResultAsync<ClaimIssued, never> {
  const expiresAt = record.claim?.expiresAt ?? new Date(0);
  const context: ClaimMessageContext = {
    ...(leak ? { leak } : {}),
    reason,
    systemName: ctx.config.systemName,
    tenant: record.tenant,
    username: record.username,
    expiresAt: new Date(expiresAt),
    locale,
    timeZone: ctx.config.timeZone,
  };
  const sms = renderThen('sms', () => ctx.config.smsTemplate(context, secrets.code)).andThen(
    (text) => ctx.ports.sendSms({ to: record.phone, text }),
  );
  const email = renderThen('email', () =>
    ctx.config.emailTemplate(
      context,
      ctx.config.claimUrl(secrets.token, { tenant: record.tenant }),
    ),
  ).andThen((message) =>
    ctx.ports.sendEmail({
      to: record.email,
      subject: message.subject,
      text: message.text,
      html: message.html,
    }),
  );
  // A sender may quote what it sent in its error; the code and token never leave in it.
  const inClear = [secrets.code, secrets.token];
  // Both sends are already under way; match() never rejects, so waiting on both is safe.
  return ResultAsync.fromSafePromise(
    Promise.all([outcomeOf(sms, inClear), outcomeOf(email, inClear)]),
  ).map(([smsDelivery, emailDelivery]) => ({
    account: toApiAccount(record, record.claim?.openedAt ?? record.updatedAt, ctx.config.access),
    claim: { expiresAt: new Date(expiresAt) },
    delivery: { sms: smsDelivery, email: emailDelivery },
  }));
}

/** A host template's output, or `DeliveryFailed` (`template`) when it throws. */
export function renderThen<T>(
  channel: 'sms' | 'email',
  render: () => T,
): ResultAsync<T, DeliveryFailed> {
  return Result.fromThrowable(render, (cause) =>
    errors.deliveryFailed(channel, cause, 0, 'template'),
  )().asyncAndThen((value) => okAsync(value));
}

/**
 * The locale of one call: the caller's when it is a valid BCP 47 tag, the
 * configured one when absent.
 */
export function messageLocale(
  ctx: OperationContext,
  options: unknown,
): Result<string, InvalidInput> {
  const locale = isRecord(options) ? options['locale'] : undefined;
  if (locale === undefined) return ok(ctx.config.locale);
  return isSupportedLocale(locale)
    ? ok(locale)
    : err(errors.invalidInput('locale', 'locale must be a BCP 47 language tag such as en-GB.'));
}

function outcomeOf(
  sending: ResultAsync<number, DeliveryFailed>,
  inClear: readonly string[],
): Promise<Delivery> {
  return sending.match<Delivery>(
    (attempts) => ({ status: 'sent', attempts }),
    (error) => ({ status: 'failed', error: redactSecrets(error, inClear) as DeliveryFailed }),
  );
}
