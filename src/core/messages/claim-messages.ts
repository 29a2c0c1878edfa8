import type { EmailMessage } from '../../ports/email-sender.js';
import { fitsOneGsm7Segment } from './sms-segments.js';

/**
 * Why a claim is being sent: a new account, a key reset, a planned rotation
 * (the current key works on for a while), or a resend of a pending claim.
 *
 * @example
 * ```ts
 * const sms: SmsTemplate = (context, code) => context.reason === 'reset' ? `New key code: ${code}` : `Code: ${code}`;
 * ```
 */
export type ClaimReason = 'created' | 'reset' | 'rotated' | 'resent';

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
  readonly username: string;
  readonly expiresAt: Date;
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
 * The claim's expiry in the context's locale and time zone, e.g.
 * `28 Nov 2026, 11:00 UTC` for `en-GB`. Unusual spaces some locales use are
 * made plain, so the text stays GSM-7 where it can.
 */
export function formatExpiry(
  context: Pick<ClaimMessageContext, 'expiresAt' | 'locale' | 'timeZone'>,
): string {
  return new Intl.DateTimeFormat(context.locale, {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZone: context.timeZone,
    timeZoneName: 'short',
  })
    .format(context.expiresAt)
    .replace(/[\u00a0\u202f]/g, ' ');
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
  const expires = formatExpiry(context);
  const system = context.systemName;
  const candidates = [
    `${system}: ${code} is your code to claim the API key of "${context.username}". Expires ${expires}. Shown once. Never share it.`,
    `${system}: ${code} is your code to claim your API key. Expires ${expires}. Shown once. Never share it.`,
    `${system}: ${code} is your API key claim code. Expires ${expires}.`,
    `${code} is your API key claim code. Expires ${expires}. Never share it.`,
  ];
  return candidates.find(fitsOneGsm7Segment) ?? `${code} is your API key claim code.`;
};

/**
 * The default email: the link, who it is for, when it expires, and that the key
 * is shown once. No code. The HTML part escapes everything it is given.
 *
 * @example
 * ```ts
 * const { subject, text, html } = defaultEmailTemplate(context, 'https://bo.example/claim?token=…');
 * ```
 */
export const defaultEmailTemplate: EmailTemplate = (context, claimLink) => {
  const intro = introFor(context);
  const expires = formatExpiry(context);
  const subject = `${context.systemName}: claim the API key of "${context.username}"`;
  const steps = 'Open this secure page and enter the code we sent to your mobile phone by SMS:';
  const once = 'The API key will be shown only once, so keep it somewhere safe.';
  const ignore = 'If you did not expect this email, you can ignore it.';
  const text = [
    intro,
    '',
    steps,
    claimLink,
    '',
    `The link works once and expires on ${expires}.`,
    once,
    '',
    ignore,
  ].join('\n');
  const html = [
    '<!doctype html>',
    `<html lang="${escapeHtml(context.locale)}"><body>`,
    `<p>${escapeHtml(intro)}</p>`,
    `<p>${escapeHtml(steps)}</p>`,
    `<p><a href="${escapeHtml(claimLink)}">Claim your API key</a></p>`,
    `<p>The link works once and expires on ${escapeHtml(expires)}.<br>`,
    `${escapeHtml(once)}</p>`,
    `<p>${escapeHtml(ignore)}</p>`,
    '</body></html>',
  ].join('\n');
  return { subject, text, html };
};

function introFor(context: ClaimMessageContext): string {
  const { username, systemName } = context;
  switch (context.reason) {
    case 'created':
      return `An API account "${username}" was created for you on ${systemName}.`;
    case 'reset':
      return `The API key of "${username}" on ${systemName} was reset. The old key no longer works.`;
    case 'rotated':
      return `A new API key for "${username}" on ${systemName} is ready to claim. The current key keeps working for a grace period after you claim the new one, so you can switch over without downtime.`;
    case 'resent':
      return `Here is a new link to claim the API key of "${username}" on ${systemName}. Earlier links no longer work.`;
  }
}
