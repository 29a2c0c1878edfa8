import type {
  ReminderEmailTemplate,
  ReminderSmsTemplate,
} from '../lifecycle/key-lifecycle-options.js';
import { escapeHtml, formatExpiry } from './claim-messages.js';
import { fitsOneGsm7Segment } from './sms-segments.js';

/**
 * The default reminder email: which key expires when, and what happens next
 * (a new key's claim already sent, or ask the administrator). No secret.
 *
 * @example
 * ```ts
 * const { subject } = defaultReminderEmail({ systemName: 'Box Office', username: 'ACME', expiresAt, rotationOpened: false, locale: 'en', timeZone: 'UTC' });
 * ```
 */
export const defaultReminderEmail: ReminderEmailTemplate = (context) => {
  const expires = formatExpiry(context);
  const subject = `${context.systemName}: the API key of "${context.username}" expires on ${expires}`;
  const lines = [
    `The API key of "${context.username}" on ${context.systemName} expires on ${expires}. After that, requests made with it are refused.`,
    context.rotationOpened
      ? 'A new key is ready: we have sent a separate email with a link to claim it, and an SMS code. The current key keeps working until it expires, so switch over before then.'
      : `Ask your contact at ${context.systemName} for a new key before then.`,
  ];
  const html = [
    '<!doctype html>',
    `<html lang="${escapeHtml(context.locale)}"><body>`,
    ...lines.map((line) => `<p>${escapeHtml(line)}</p>`),
    '</body></html>',
  ].join('\n');
  return { subject, text: lines.join('\n\n'), html };
};

/**
 * The default reminder SMS, one GSM-7 segment when it can be.
 *
 * @example
 * ```ts
 * defaultReminderSms(context); // 'Box Office: the API key of "ACME" expires 1 Dec 2027, 09:00 UTC.'
 * ```
 */
export const defaultReminderSms: ReminderSmsTemplate = (context) => {
  const expires = formatExpiry(context);
  const candidates = [
    `${context.systemName}: the API key of "${context.username}" expires ${expires}. Check your email.`,
    `${context.systemName}: your API key expires ${expires}.`,
  ];
  return candidates.find(fitsOneGsm7Segment) ?? `Your API key expires ${expires}.`;
};
