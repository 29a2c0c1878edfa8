import { validateUsername } from 'api-accounts';
import { describe, expect, it } from 'vitest';

describe('validateUsername (R2)', () => {
  it('trims and NFC-normalises, and keys uniqueness on the case-folded form', () => {
    expect(validateUsername('  ACME Tickets\t')._unsafeUnwrap()).toEqual({
      username: 'ACME Tickets',
      usernameKey: 'acme tickets',
    });
    expect(validateUsername('Cafe\u0301')._unsafeUnwrap().username).toBe('Café');
    expect(validateUsername('ÉTÉ')._unsafeUnwrap().usernameKey).toBe(
      validateUsername('été')._unsafeUnwrap().usernameKey,
    );
  });

  it('keys compatibility forms and case variants to one name', () => {
    const key = (name: string) => validateUsername(name)._unsafeUnwrap().usernameKey;
    expect(key('ＡＣＭＥ')).toBe(key('ACME'));
    expect(key('ﬁnance')).toBe(key('Finance'));
    expect(key('Straße')).toBe(key('STRASSE'));
    expect(key('Théâtre')).toBe(key('THÉÂTRE'));
    // The display form stays as entered.
    expect(validateUsername('ＡＣＭＥ')._unsafeUnwrap().username).toBe('ＡＣＭＥ');
  });

  it('accepts 1 to 64 characters, counting emoji as one', () => {
    expect(validateUsername('A').isOk()).toBe(true);
    expect(validateUsername('a'.repeat(64)).isOk()).toBe(true);
    expect(validateUsername('🎟'.repeat(64)).isOk()).toBe(true);
    expect(validateUsername('a'.repeat(65))._unsafeUnwrapErr().reason).toBe('too_long');
  });

  it.each([
    ['', 'empty'],
    ['   ', 'empty'],
    ['ACME:1', 'contains_colon'],
    ['ACME\u0000', 'control_character'],
    ['ACME\nTickets', 'control_character'],
    ['ACME\u202Eevil', 'control_character'],
    ['AC\u2028ME', 'control_character'],
    ['ACME\uD800', 'invalid_unicode'],
    ['AC\u200BME', 'invisible_character'],
    ['A\u00ADCME', 'invisible_character'],
    ['AC\u2060ME', 'invisible_character'],
    ['ACME\uFE0F', 'invisible_character'],
    ['AC\u00A0ME', 'invisible_character'],
    ['AC\u3000ME', 'invisible_character'],
    ['A\u3164CME', 'invisible_character'],
  ])('rejects %j with reason %s', (input, reason) => {
    const error = validateUsername(input)._unsafeUnwrapErr();
    expect(error).toMatchObject({ type: 'InvalidUsername', input, reason });
    expect(error.message.length).toBeGreaterThan(10);
  });

  it('rejects non-strings without throwing', () => {
    for (const value of [undefined, null, 42, {}, ['a']]) {
      expect(validateUsername(value)._unsafeUnwrapErr().reason).toBe('not_a_string');
    }
  });

  it('echoes only the start of a huge input', () => {
    const error = validateUsername('x'.repeat(1_000_000))._unsafeUnwrapErr();
    expect(error.input.length).toBeLessThan(400);
    expect(error.input).toContain('1000000 characters');
  });
});
