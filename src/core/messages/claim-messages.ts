import type { EmailMessage } from '../../ports/email-sender.js';
import { formatDateTime, textLanguageOf, writtenLocaleOf } from './languages.js';
import { fitsOneGsm7Segment } from './sms-segments.js';
import { CLAIM_WORDING, type ClaimReason } from './wording.js';

export type { ClaimReason } from './wording.js';

/**
 * What the claim messages are written from. The SMS template receives the code
 * and no link; the email template receives the link and no code, so neither
 * message alone is enough to claim the key.
 *
 * @example
 * ```ts
 * const sms: SmsTemplate = (c) => `${c.systemName}: your code is ${c.code}`;
 * ```
 */
export interface ClaimMessageContext {
  readonly reason: ClaimReason;
  /** The host system's name, e.g. "Riverside Theatre Box Office". */
  readonly systemName: string;
  /** The account's tenant (venue), for hosts whose messages differ per venue. */
  readonly tenant: string;
  readonly username: string;
  readonly expiresAt: Date;
  /** For reason `leaked`: who reported the key and where it was found. */
  readonly leak?: { readonly source: string; readonly url: string | null };
  /** The BCP 47 locale to write in: the call's, else `messages.locale`, else `'en'`. */
  readonly locale: string;
  /** The IANA time zone to show the expiry in (`messages.timeZone`, default `'UTC'`). */
  readonly timeZone: string;
}

/**
 * Writes the SMS text from the context and the code.
 *
 * @example
 * ```ts
 * const sms: SmsTemplate = (context, code) => `Your ${context.systemName} code: ${code}`;
 * ```
 */
export type SmsTemplate = (context: ClaimMessageContext, code: string) => string;

/**
 * Writes the email from the context and the claim link.
 *
 * @example
 * ```ts
 * const email: EmailTemplate = (context, link) => ({
 *   subject: 'Your API key', text: link, html: `<a href="${link.replaceAll('&', '&amp;')}">Claim</a>`,
 * });
 * ```
 */
export type EmailTemplate = (
  context: ClaimMessageContext,
  claimLink: string,
) => Omit<EmailMessage, 'to'>;

/**
 * Escapes text for HTML element content and quoted attribute values.
 */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/**
 * Whether `tag` is a BCP 47 locale that `Intl` accepts.
 */
export function isSupportedLocale(tag: unknown): tag is string {
  if (typeof tag !== 'string' || tag.length === 0 || tag.length > 64) return false;
  try {
    return Intl.getCanonicalLocales(tag).length === 1;
  } catch {
    return false;
  }
}

/**
 * The claim's expiry as the default texts write it: in the language of the
 * text (see {@link formatDateTime}), in the context's time zone.
 */
export function formatExpiry(
  context: Pick<ClaimMessageContext, 'expiresAt' | 'locale' | 'timeZone'>,
): string {
  return formatDateTime(context.expiresAt, context.locale, context.timeZone);
}

/**
 * The default SMS: the code, the system's name, the username, the expiry, and
 * that the key is shown once; never a link. It always fits one 160-character
 * GSM-7 segment: when a long or non-GSM username or system name would not,
 * the details that do not fit are left out (the email carries them all).
 *
 * @example
 * ```ts
 * defaultSmsTemplate(context, '123456');
 * // 'Box Office: 123456 is your code to claim the API key of "ACME". Expires 28 Nov 2026, 11:00 UTC. Shown once. Never share it.'
 * ```
 */
export const defaultSmsTemplate: SmsTemplate = (context, code) => {
  const wording = CLAIM_WORDING[textLanguageOf(context.locale)];
  const candidates = wording.sms(context.systemName, code, context.username, formatExpiry(context));
  return candidates.find(fitsOneGsm7Segment) ?? wording.smsFallback(code);
};

/**
 * The default email: the link, who it is for, when it expires, and that the key
 * is shown once. No code. The HTML part escapes everything it is given.
 * English, or German for a `de` locale.
 *
 * @example
 * ```ts
 * const { subject, text, html } = defaultEmailTemplate(context, 'https://bo.example/claim?token=…');
 * ```
 */
export const defaultEmailTemplate: EmailTemplate = (context, claimLink) => {
  const wording = CLAIM_WORDING[textLanguageOf(context.locale)];
  const leak = context.reason === 'leaked' && context.leak ? context.leak : null;
  const intro = [
    wording.intro(context.reason, context.username, context.systemName),
    ...(leak ? [wording.leakedWhere(leak.source, leak.url)] : []),
  ].join(' ');
  const expiresLine = wording.expiresLine(formatExpiry(context));
  const text = [
    intro,
    '',
    wording.steps,
    claimLink,
    '',
    expiresLine,
    wording.once,
    '',
    wording.ignore,
  ].join('\n');
  const html = [
    '<!doctype html>',
    `<html lang="${escapeHtml(writtenLocaleOf(context.locale))}"><body>`,
    `<p>${escapeHtml(intro)}</p>`,
    `<p>${escapeHtml(wording.steps)}</p>`,
    `<p><a href="${escapeHtml(claimLink)}">${escapeHtml(wording.linkText)}</a></p>`,
    `<p>${escapeHtml(expiresLine)}<br>`,
    `${escapeHtml(wording.once)}</p>`,
    `<p>${escapeHtml(wording.ignore)}</p>`,
    '</body></html>',
  ].join('\n');
  const subject = (leak ? wording.leakedSubject : wording.subject)(
    context.systemName,
    context.username,
  );
  return { subject, text, html };
};
