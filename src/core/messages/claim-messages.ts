import type { EmailMessage } from '../../ports/email-sender.js';

/**
 * Why a claim is being sent: a new account, a key reset, or a resend of a
 * pending claim.
 */
export type ClaimReason = 'created' | 'reset' | 'resent';

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
 *   subject: 'Your API key', text: link, html: `<a href="${escapeHtml(link)}">Claim</a>`,
 * });
 * ```
 */
export type EmailTemplate = (
  context: ClaimMessageContext,
  claimLink: string,
) => Omit<EmailMessage, 'to'>;

/**
 * Escapes text for HTML element content and quoted attribute values.
 *
 * @example
 * ```ts
 * escapeHtml(`O'Brien & <Co>`); // 'O&#39;Brien &amp; &lt;Co&gt;'
 * ```
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
 * The default SMS: the code, the system's name, and nothing that links to the
 * claim page.
 *
 * @example
 * ```ts
 * defaultSmsTemplate(context, '123456'); // 'Box Office: 123456 is your code to claim your API key. ...'
 * ```
 */
export const defaultSmsTemplate: SmsTemplate = (context, code) =>
  `${context.systemName}: ${code} is your code to claim your API key. Enter it on the page linked in our email. Never share it.`;

/**
 * The default email: the link, who it is for, when it expires, and that the key
 * is shown once. No code.
 *
 * @example
 * ```ts
 * const { subject, text, html } = defaultEmailTemplate(context, 'https://bo.example/claim?token=…');
 * ```
 */
export const defaultEmailTemplate: EmailTemplate = (context, claimLink) => {
  const intro = introFor(context);
  const expires = context.expiresAt.toUTCString();
  const subject = `${context.systemName}: claim your API key`;
  const text = [
    intro,
    '',
    'Open this secure page and enter the code we sent to your mobile phone by SMS:',
    claimLink,
    '',
    `The link works once and expires on ${expires}.`,
    'Your API key will be shown only once, so keep it somewhere safe.',
    '',
    'If you did not expect this email, you can ignore it.',
  ].join('\n');
  const html = [
    `<p>${escapeHtml(intro)}</p>`,
    '<p>Open this secure page and enter the code we sent to your mobile phone by SMS:</p>',
    `<p><a href="${escapeHtml(claimLink)}">Claim your API key</a></p>`,
    `<p>The link works once and expires on ${escapeHtml(expires)}.<br>`,
    'Your API key will be shown only once, so keep it somewhere safe.</p>',
    '<p>If you did not expect this email, you can ignore it.</p>',
  ].join('\n');
  return { subject, text, html };
};

function introFor(context: ClaimMessageContext): string {
  switch (context.reason) {
    case 'created':
      return `An API account "${context.username}" was created for you on ${context.systemName}.`;
    case 'reset':
      return `The API key of "${context.username}" on ${context.systemName} was reset. The old key no longer works.`;
    case 'resent':
      return `Here is a new link to claim the API key of "${context.username}" on ${context.systemName}. Earlier links no longer work.`;
  }
}
