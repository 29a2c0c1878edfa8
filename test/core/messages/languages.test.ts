/**
 * One locale story: the claim and reminder messages, the claim page and the
 * middleware speak English or German, dates in the language of the text
 * around them, and every text can be replaced.
 */
import {
  type ClaimMessageContext,
  defaultEmailTemplate,
  defaultSmsTemplate,
  inMemoryPorts,
} from 'api-accounts';
import { claimPage } from 'api-accounts/claim-page';
import { authenticate, refusalFor, refusalMessages } from 'api-accounts/middleware';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatDateTime, textLanguageOf } from '../../../src/core/messages/languages.js';
import {
  defaultReminderEmail,
  defaultReminderSms,
} from '../../../src/core/messages/reminder-messages.js';
import { fitsOneGsm7Segment } from '../../../src/core/messages/sms-segments.js';
import { accountInput, admin, world } from '../../helpers.js';

const expiresAt = new Date('2026-03-02T09:00:00Z');
const context = (locale: string): ClaimMessageContext => ({
  reason: 'created',
  systemName: 'Riverside Theatre',
  tenant: 'default',
  username: 'ACME Tickets',
  expiresAt,
  locale,
  timeZone: 'Europe/Berlin',
});

describe('languages of the default texts', () => {
  it('picks German for de and its regions, English for the rest', () => {
    expect(['de', 'de-DE', 'de-AT', 'DE-ch'].map(textLanguageOf)).toEqual(['de', 'de', 'de', 'de']);
    expect(['en', 'en-GB', 'fr-FR', 'dev', 'nl'].map(textLanguageOf)).toEqual([
      'en',
      'en',
      'en',
      'en',
      'en',
    ]);
  });

  it('writes the claim SMS and email wholly in German for de-DE, dates included, SMS in one GSM-7 segment', () => {
    const sms = defaultSmsTemplate(context('de-DE'), '123456');
    expect(sms).toMatch(
      /^Riverside Theatre: 123456 ist Ihr Code, um Ihren API-Schlüssel abzuholen\. Gültig bis 2\. März 2026, 10:00 MEZ\./,
    );
    expect(fitsOneGsm7Segment(sms)).toBe(true);
    const email = defaultEmailTemplate(context('de-DE'), 'https://bo.example/claim?token=t');
    expect(email.subject).toBe('Riverside Theatre: API-Schlüssel von "ACME Tickets" abholen');
    expect(email.text).toContain(
      'Der Link funktioniert einmal und läuft am 2. März 2026, 10:00 MEZ ab.',
    );
    expect(email.text).not.toMatch(/\b(the|expires|once|key)\b/);
  });

  it('never puts a date of another language into a sentence: fr-FR writes English, with an English date', () => {
    const sms = defaultSmsTemplate(context('fr-FR'), '123456');
    expect(sms).toContain('Expires Mar 2, 2026');
    expect(sms).not.toMatch(/mars/);
  });

  it('keeps the German SMS within one GSM-7 segment for any username and system name', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 64 }),
        fc.string({ maxLength: 40 }),
        (username, systemName) => {
          const sms = defaultSmsTemplate({ ...context('de'), username, systemName }, '123456');
          expect(sms).toContain('123456');
          expect(fitsOneGsm7Segment(sms)).toBe(true);
        },
      ),
    );
  });

  it('writes reminders in German too', () => {
    const reminder = { ...context('de-AT'), rotationOpened: true };
    expect(defaultReminderEmail(reminder).subject).toContain('läuft am');
    expect(defaultReminderEmail(reminder).text).toContain('Ein neuer Schlüssel liegt bereit');
    const sms = defaultReminderSms(reminder);
    expect(sms).toContain('läuft am');
    expect(fitsOneGsm7Segment(sms)).toBe(true);
  });

  it("sends the manager's claim messages in German with messages.locale de-DE", async () => {
    const ports = inMemoryPorts();
    const w = world({ messages: { locale: 'de-DE', timeZone: 'Europe/Berlin' } }, ports);
    await w.manager.createAccount(admin, accountInput({ username: 'ACME' }));
    expect(ports.sms.sent.at(-1)?.text).toMatch(/ist Ihr Code/);
    expect(ports.email.sent.at(-1)?.subject).toContain('abholen');
  });
});

describe('the claim page in German, with the messages’ date', () => {
  it('shows the German texts and the expiry as the messages write it, and its cookie lasts as long as the claim', async () => {
    const ports = inMemoryPorts();
    ports.clock.set(new Date());
    const w = world({ messages: { locale: 'de-DE', timeZone: 'Europe/Berlin' } }, ports);
    const created = (await w.manager.createAccount(admin, accountInput()))._unsafeUnwrap();
    const { token } = w.lastClaim();
    const page = claimPage(w.manager, {
      lang: 'de-DE',
      timeZone: 'Europe/Berlin',
      now: () => ports.clock.now().getTime(),
    });
    const redirect = await page(new Request(`https://bo.example/claim?token=${token}`));
    // The claim lasts 24 h: so does the cookie that holds its link.
    expect(redirect.headers.get('set-cookie')).toMatch(/Max-Age=86400\b/);
    const form = await (
      await page(
        new Request('https://bo.example/claim', {
          headers: { cookie: `api_accounts_claim=${token}` },
        }),
      )
    ).text();
    expect(form).toContain('lang="de-DE"');
    expect(form).toContain('Code aus der SMS');
    const expiry = formatDateTime(created.claim.expiresAt, 'de-DE', 'Europe/Berlin');
    expect(form).toContain(`Dieser Link läuft am ${expiry} ab.`);
    expect(ports.email.sent.at(-1)?.text).toContain(expiry);
  });

  it('keeps the cookie a minute for a link the manager does not know', async () => {
    const page = claimPage(world().manager);
    const redirect = await page(new Request(`https://bo.example/claim?token=${'a'.repeat(43)}`));
    expect(redirect.headers.get('set-cookie')).toMatch(/Max-Age=60\b/);
  });
});

describe('the middleware’s refusal texts', () => {
  it('can be replaced one by one, or by the German set', async () => {
    const w = world();
    const request = new Request('https://api.example/v3', {
      headers: { authorization: 'Bearer nope' },
    });
    const error = (await authenticate(w.manager, request))._unsafeUnwrapErr();
    expect(refusalFor(error, request.headers).body.message).toBe(
      'The API key is malformed; check that it was copied whole.',
    );
    const replaced = refusalFor(error, request.headers, {
      messages: { malformedKey: 'Bitte Schlüssel prüfen.' },
    });
    expect(replaced.body.message).toBe('Bitte Schlüssel prüfen.');
    const german = refusalFor(error, request.headers, { messages: refusalMessages.de });
    expect(german.body.message).toBe(refusalMessages.de.malformedKey);
    // The challenge's description stays printable ASCII (RFC 6750), in English.
    expect(german.headers['www-authenticate']).toMatch(
      /error_description="The API key is malformed/,
    );
    const missing = new Request('https://api.example/v3');
    const none = (await authenticate(w.manager, missing))._unsafeUnwrapErr();
    expect(
      refusalFor(none, missing.headers, { messages: refusalMessages.de }).body.message,
    ).toMatch(/^Senden Sie/);
  });
});
