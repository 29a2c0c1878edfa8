import type {
  ReminderEmailTemplate,
  ReminderSmsTemplate,
} from '../lifecycle/key-lifecycle-options.js';
import { escapeHtml, formatExpiry } from './claim-messages.js';
import { textLanguageOf, writtenLocaleOf } from './languages.js';
import { fitsOneGsm7Segment } from './sms-segments.js';
import { REMINDER_WORDING } from './wording.js';

/**
 * The default reminder email: which key expires when, and what happens next
 * (a new key's claim already sent, or ask the administrator). No secret.
 */
export const defaultReminderEmail: ReminderEmailTemplate = (context) => {
  const wording = REMINDER_WORDING[textLanguageOf(context.locale)];
  const expires = formatExpiry(context);
  const { systemName, username } = context;
  const lines = [
    wording.expiry(systemName, username, expires),
    context.rotationOpened ? wording.rotationOpened : wording.askForNewKey(systemName),
  ];
  const html = [
    '<!doctype html>',
    `<html lang="${escapeHtml(writtenLocaleOf(context.locale))}"><body>`,
    ...lines.map((line) => `<p>${escapeHtml(line)}</p>`),
    '</body></html>',
  ].join('\n');
  return {
    subject: wording.subject(systemName, username, expires),
    text: lines.join('\n\n'),
    html,
  };
};

/**
 * The default reminder SMS, one GSM-7 segment when it can be.
 */
export const defaultReminderSms: ReminderSmsTemplate = (context) => {
  const wording = REMINDER_WORDING[textLanguageOf(context.locale)];
  const expires = formatExpiry(context);
  const candidates = wording.sms(context.systemName, context.username, expires);
  return candidates.find(fitsOneGsm7Segment) ?? wording.smsFallback(expires);
};
