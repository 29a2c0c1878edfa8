/**
 * The default texts' wording, language by language: every language says
 * every part, with what the part needs in it, in its own words (a text
 * copied from another language, or left empty, fails here).
 */
import { describe, expect, it } from 'vitest';
import {
  CLAIM_WORDING,
  type ClaimReason,
  REMINDER_WORDING,
} from '../../../src/core/messages/wording.js';

const REASONS: readonly ClaimReason[] = ['created', 'reset', 'rotated', 'resent', 'leaked'];
const LANGUAGES = Object.keys(CLAIM_WORDING) as (keyof typeof CLAIM_WORDING)[];
const [SYSTEM, USER, CODE, EXPIRES] = ['Riverside', 'ACME', '123456', '2 Mar 2027, 09:00 UTC'];

/** Every text of a language's wording, filled in, by the part's name. */
function texts(language: keyof typeof CLAIM_WORDING): Record<string, string> {
  const claim = CLAIM_WORDING[language];
  const reminder = REMINDER_WORDING[language];
  return {
    ...Object.fromEntries(
      claim.sms(SYSTEM, CODE, USER, EXPIRES).map((text, i) => [`sms ${i}`, text]),
    ),
    smsFallback: claim.smsFallback(CODE),
    subject: claim.subject(SYSTEM, USER),
    leakedSubject: claim.leakedSubject(SYSTEM, USER),
    ...Object.fromEntries(REASONS.map((reason) => [reason, claim.intro(reason, USER, SYSTEM)])),
    leakedWhere: claim.leakedWhere('GitHub', 'https://github.com/acme/app'),
    steps: claim.steps,
    linkText: claim.linkText,
    expiresLine: claim.expiresLine(EXPIRES),
    once: claim.once,
    ignore: claim.ignore,
    reminderSubject: reminder.subject(SYSTEM, USER, EXPIRES),
    expiry: reminder.expiry(SYSTEM, USER, EXPIRES),
    rotationOpened: reminder.rotationOpened,
    askForNewKey: reminder.askForNewKey(SYSTEM),
    ...Object.fromEntries(
      reminder.sms(SYSTEM, USER, EXPIRES).map((text, i) => [`reminder sms ${i}`, text]),
    ),
    reminderSmsFallback: reminder.smsFallback(EXPIRES),
  };
}

describe('the wording of the default texts', () => {
  it('is written anew in every language: no part empty, none the same as in another language', () => {
    const english = texts('en');
    for (const language of LANGUAGES) {
      const own = texts(language);
      expect(Object.keys(own)).toEqual(Object.keys(english));
      for (const [part, text] of Object.entries(own)) {
        expect(text.trim().length, `${language} ${part}`).toBeGreaterThan(8);
        if (language !== 'en') expect(text, `${language} ${part}`).not.toBe(english[part]);
      }
    }
  });

  it('gives each reason its own introduction, naming the account and the system', () => {
    for (const language of LANGUAGES) {
      const intros = REASONS.map((reason) => CLAIM_WORDING[language].intro(reason, USER, SYSTEM));
      expect(new Set(intros).size).toBe(REASONS.length);
      for (const intro of intros) {
        expect(intro).toContain(`"${USER}"`);
        expect(intro).toContain(SYSTEM);
      }
    }
  });

  it('puts the code and expiry into every claim SMS, the username only into the first, the system into all but the last', () => {
    for (const language of LANGUAGES) {
      const wording = CLAIM_WORDING[language];
      const candidates = wording.sms(SYSTEM, CODE, USER, EXPIRES);
      expect(candidates.length).toBeGreaterThan(1);
      for (const [i, text] of candidates.entries()) {
        expect(text).toContain(CODE);
        expect(text).toContain(EXPIRES);
        expect(text.includes(USER)).toBe(i === 0);
        // The last is for a system name too long to fit: it leaves the name out.
        expect(text.includes(SYSTEM)).toBe(i < candidates.length - 1);
      }
      expect(wording.smsFallback(CODE)).toContain(CODE);
      expect(wording.subject(SYSTEM, USER)).toContain(`"${USER}"`);
      expect(wording.expiresLine(EXPIRES)).toContain(EXPIRES);
    }
  });

  it('says who reported a leaked key and where, and leaves out a place it was not given', () => {
    for (const language of LANGUAGES) {
      const { leakedWhere, leakedSubject } = CLAIM_WORDING[language];
      const withUrl = leakedWhere('GitHub', 'https://github.com/acme/app');
      const withoutUrl = leakedWhere('GitHub', null);
      expect(withUrl).toContain('GitHub');
      expect(withUrl).toContain('https://github.com/acme/app');
      expect(withoutUrl).toContain('GitHub');
      expect(withoutUrl).not.toMatch(/null|https:/);
      expect(withUrl.length).toBeGreaterThan(withoutUrl.length);
      expect(leakedSubject(SYSTEM, USER)).toContain(`"${USER}"`);
    }
  });

  it('puts the expiry into every reminder, and the username only into the first SMS', () => {
    for (const language of LANGUAGES) {
      const wording = REMINDER_WORDING[language];
      const candidates = wording.sms(SYSTEM, USER, EXPIRES);
      for (const [i, text] of candidates.entries()) {
        expect(text).toContain(EXPIRES);
        expect(text).toContain(SYSTEM);
        expect(text.includes(USER)).toBe(i === 0);
      }
      expect(wording.smsFallback(EXPIRES)).toContain(EXPIRES);
      expect(wording.subject(SYSTEM, USER, EXPIRES)).toContain(EXPIRES);
      expect(wording.expiry(SYSTEM, USER, EXPIRES)).toContain(`"${USER}"`);
      expect(wording.askForNewKey(SYSTEM)).toContain(SYSTEM);
    }
  });
});
