import { type ClaimMessageContext, defaultEmailTemplate, defaultSmsTemplate } from 'api-accounts';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeHtml, formatExpiry } from '../../../src/core/messages/claim-messages.js';
import { fitsOneGsm7Segment } from '../../../src/core/messages/sms-segments.js';

const base: ClaimMessageContext = {
  reason: 'created',
  systemName: 'Riverside Theatre Box Office',
  tenant: 'default',
  username: 'ACME Tickets',
  expiresAt: new Date('2026-03-02T09:00:00Z'),
  locale: 'en-GB',
  timeZone: 'UTC',
};
const LINK = 'https://bo.example/api-access/claim?token=tok_abc';
const reasons = ['created', 'reset', 'resent'] as const;

describe('default claim messages, as rendered', () => {
  for (const reason of reasons) {
    it(`on ${reason}`, () => {
      const context = { ...base, reason };
      expect({
        sms: defaultSmsTemplate(context, '123456'),
        email: defaultEmailTemplate(context, LINK),
      }).toMatchSnapshot();
    });
  }
});

describe('the SMS', () => {
  it('holds the code, the system, the username, the expiry and the show-once warning, and no link', () => {
    const text = defaultSmsTemplate(base, '123456');
    expect(text).toContain('123456');
    expect(text).toContain('Riverside Theatre Box Office');
    expect(text).toContain('"ACME Tickets"');
    expect(text).toContain('2 Mar 2026, 09:00 UTC');
    expect(text).toMatch(/Shown once/);
    expect(text).not.toMatch(/https?:|token|www\./i);
    expect(fitsOneGsm7Segment(text)).toBe(true);
  });

  it('leaves out a username that would not fit one GSM-7 segment, but never the code', () => {
    for (const username of ['Ω'.repeat(0) + 'x'.repeat(64), 'Театр', '🎭 Tickets']) {
      const text = defaultSmsTemplate({ ...base, username }, '654321');
      expect(text).toContain('654321');
      expect(text).not.toContain(username);
      expect(fitsOneGsm7Segment(text)).toBe(true);
    }
  });

  it('fits one GSM-7 segment for any username, system name and locale', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', maxLength: 64 }),
        fc.string({ unit: 'grapheme', maxLength: 120 }),
        fc.constantFrom('en', 'en-GB', 'fr-FR', 'de', 'ja-JP', 'ar-EG', 'ru'),
        fc.stringMatching(/^\d{6}$/),
        (username, systemName, locale, code) => {
          const text = defaultSmsTemplate({ ...base, username, systemName, locale }, code);
          expect(text).toContain(code);
          expect(fitsOneGsm7Segment(text)).toBe(true);
        },
      ),
    );
  });
});

describe('the email', () => {
  it('names the system and username, holds the link, the expiry and the warning', () => {
    const email = defaultEmailTemplate(base, LINK);
    expect(email.subject).toBe('Riverside Theatre Box Office: claim the API key of "ACME Tickets"');
    for (const part of [email.text, email.html]) {
      expect(part).toContain('ACME Tickets');
      expect(part).toContain('2 Mar 2026, 09:00 UTC');
      expect(part).toMatch(/shown only once/);
    }
    expect(email.text).toContain(LINK);
    expect(email.html).toContain(`href="${LINK}"`);
  });

  it('renders hostile usernames as text in the HTML part', () => {
    for (const username of [
      '<script>alert(1)</script>',
      `O'Brien & Co`,
      '"><img src=x onerror=alert(1)>',
    ]) {
      const { html } = defaultEmailTemplate({ ...base, username }, LINK);
      expect(html).toContain(escapeHtml(username));
      expect(html).not.toContain(username);
      expect(html).not.toMatch(/<script|<img/);
    }
  });

  it('escapes the link in the href', () => {
    const { html } = defaultEmailTemplate(base, 'https://bo.example/claim?token=a&x="y"');
    expect(html).toContain('href="https://bo.example/claim?token=a&amp;x=&quot;y&quot;"');
  });

  it('says why the claim was sent', () => {
    expect(defaultEmailTemplate({ ...base, reason: 'reset' }, LINK).text).toMatch(/was reset/);
    expect(defaultEmailTemplate({ ...base, reason: 'resent' }, LINK).text).toMatch(/new link/);
  });

  it('writes the expiry in the time zone, in the language of the text around it', () => {
    // No French texts ship: English text, and so an English date, never a French one inside it.
    const french = { ...base, locale: 'fr-FR', timeZone: 'Europe/Paris' };
    expect(formatExpiry(french)).toMatch(/Mar 2, 2026.*10:00/);
    expect(defaultEmailTemplate(french, LINK).html).toContain('<html lang="en">');
    expect(defaultSmsTemplate(french, '123456')).not.toMatch(/mars/);
    const german = { ...base, locale: 'de-DE', timeZone: 'Europe/Berlin' };
    expect(formatExpiry(german)).toMatch(/2\. März 2026.*10:00/);
    const email = defaultEmailTemplate(german, LINK);
    expect(email.html).toContain('<html lang="de-DE">');
    expect(email.subject).toContain('API-Schlüssel');
    expect(email.text).toContain(`läuft am ${formatExpiry(german)} ab`);
    expect(defaultSmsTemplate(german, '123456')).toMatch(/: 123456 ist Ihr Code/);
  });
});

describe('escapeHtml', () => {
  it('escapes the five HTML-significant characters', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe(
      '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;',
    );
  });
});
