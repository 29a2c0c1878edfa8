/**
 * The default reminders (SPEC section 6): which key expires when, and what
 * happens next, in the recipient's language; the SMS the fullest text that
 * fits one GSM-7 segment; no secret anywhere.
 */
import { describe, expect, it } from 'vitest';
import type { ReminderContext } from '../../../src/core/lifecycle/key-lifecycle-options.js';
import { formatDateTime } from '../../../src/core/messages/languages.js';
import {
  defaultReminderEmail,
  defaultReminderSms,
} from '../../../src/core/messages/reminder-messages.js';
import { fitsOneGsm7Segment } from '../../../src/core/messages/sms-segments.js';

const expiresAt = new Date('2027-03-02T09:00:00Z');

const reminder = (overrides: Partial<ReminderContext> = {}): ReminderContext => ({
  systemName: 'Riverside Theatre',
  tenant: 'default',
  username: 'ACME Tickets',
  expiresAt,
  rotationOpened: false,
  locale: 'en-GB',
  timeZone: 'UTC',
  ...overrides,
});

describe('the reminder email', () => {
  it('names the system, the username and the expiry in its subject and first paragraph', () => {
    const expires = formatDateTime(expiresAt, 'en-GB', 'UTC');
    const email = defaultReminderEmail(reminder());
    expect(email.subject).toBe(
      `Riverside Theatre: the API key of "ACME Tickets" expires on ${expires}`,
    );
    const [first, second, ...rest] = email.text.split('\n\n');
    expect(rest).toEqual([]);
    expect(first).toContain('"ACME Tickets" on Riverside Theatre');
    expect(first).toContain(expires);
    expect(first).toContain('requests made with it are refused');
    expect(second).toBe('Ask your contact at Riverside Theatre for a new key before then.');
  });

  it('says a new key is on its way when the reminder opened a rotation, instead of asking for one', () => {
    const opened = defaultReminderEmail(reminder({ rotationOpened: true })).text;
    const asked = defaultReminderEmail(reminder()).text;
    expect(opened).toContain('A new key is ready');
    expect(opened).not.toContain('Ask your contact');
    expect(asked).not.toContain('A new key is ready');
  });

  it('writes the HTML part paragraph by paragraph, escaped, in the language it is written in', () => {
    const hostile = reminder({ username: '<b>"x" & \'y\'</b>', systemName: 'A<B' });
    const { html, text } = defaultReminderEmail(hostile);
    expect(html.startsWith('<!doctype html>\n<html lang="en-GB"><body>\n<p>')).toBe(true);
    expect(html.endsWith('</p>\n</body></html>')).toBe(true);
    expect(html).not.toContain('<b>');
    expect(html).toContain('&lt;b&gt;&quot;x&quot; &amp; &#39;y&#39;&lt;/b&gt;');
    expect(html.match(/<p>/g)).toHaveLength(text.split('\n\n').length);
    // A locale without texts of its own writes English, and says so.
    expect(defaultReminderEmail(reminder({ locale: 'fr-FR' })).html).toContain('<html lang="en">');
    expect(defaultReminderEmail(reminder({ locale: 'de-AT' })).html).toContain(
      '<html lang="de-AT">',
    );
  });

  it('writes German for de, its date German and in the time zone asked for', () => {
    const context = reminder({ locale: 'de-DE', timeZone: 'Europe/Berlin' });
    const expires = formatDateTime(expiresAt, 'de-DE', 'Europe/Berlin');
    expect(expires).toContain('10:00');
    const email = defaultReminderEmail(context);
    expect(email.subject).toBe(
      `Riverside Theatre: Der API-Schlüssel von "ACME Tickets" läuft am ${expires} ab`,
    );
    expect(email.text).toContain('Bitten Sie Ihren Ansprechpartner bei Riverside Theatre');
    expect(defaultReminderEmail({ ...context, rotationOpened: true }).text).toContain(
      'Ein neuer Schlüssel liegt bereit',
    );
  });
});

describe('the reminder SMS', () => {
  it('sends the fullest text that fits one GSM-7 segment', () => {
    const expires = formatDateTime(expiresAt, 'en-GB', 'UTC');
    expect(defaultReminderSms(reminder())).toBe(
      `Riverside Theatre: the API key of "ACME Tickets" expires ${expires}. Check your email.`,
    );
    // A username too long for the first text is left out, the system kept.
    const long = reminder({ username: 'U'.repeat(120) });
    expect(defaultReminderSms(long)).toBe(`Riverside Theatre: your API key expires ${expires}.`);
    // A system name too long for either leaves only the expiry.
    const longer = reminder({ systemName: 'S'.repeat(150) });
    expect(defaultReminderSms(longer)).toBe(`Your API key expires ${expires}.`);
  });

  it('leaves out a name that would make the text UCS-2, in both languages', () => {
    for (const locale of ['en-GB', 'de-DE']) {
      const sms = defaultReminderSms(reminder({ locale, username: 'Théâtre 🎭' }));
      expect(fitsOneGsm7Segment(sms)).toBe(true);
      expect(sms).not.toContain('🎭');
      expect(sms).toContain('Riverside Theatre');
    }
    expect(defaultReminderSms(reminder({ locale: 'de-DE' }))).toContain('Bitte E-Mail prüfen');
    expect(defaultReminderSms(reminder({ locale: 'de-DE', systemName: 'S'.repeat(150) }))).toMatch(
      /^Ihr API-Schlüssel läuft am .+ ab\.$/,
    );
  });
});
