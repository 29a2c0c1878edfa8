import { validateMobilePhone } from 'api-accounts';
import { describe, expect, it } from 'vitest';

describe('validateMobilePhone (R2)', () => {
  it.each([
    ['+447894123456', '+447894123456'],
    ['+44 7894 123 456', '+447894123456'],
    ['+44 (7894) 123-456', '+447894123456'],
    ['  +44-7894-123-456  ', '+447894123456'],
    ['+1 (201) 555-0123', '+12015550123'],
    ['+33 6 12 34 56 78', '+33612345678'],
    ['+49 151 23456789', '+4915123456789'],
  ])('accepts %j as %s', (input, e164) => {
    expect(validateMobilePhone(input)._unsafeUnwrap()).toBe(e164);
  });

  it('requires the international form without a defaultCountry, saying how to write it', () => {
    const error = validateMobilePhone('07894 123 456')._unsafeUnwrapErr();
    expect(error).toMatchObject({
      type: 'InvalidPhone',
      reason: 'missing_country_code',
      input: '07894 123 456',
    });
    // The national form it was given, and the international one to give instead.
    expect(error.message).toContain('07894 123 456, enter +447894123456');
    expect(validateMobilePhone('0044 7894 123456')._unsafeUnwrapErr().reason).toBe(
      'missing_country_code',
    );
  });

  it('lets national input through with a defaultCountry', () => {
    expect(validateMobilePhone('07894 123 456', { defaultCountry: 'GB' })._unsafeUnwrap()).toBe(
      '+447894123456',
    );
    expect(validateMobilePhone('+33 6 12 34 56 78', { defaultCountry: 'GB' })._unsafeUnwrap()).toBe(
      '+33612345678',
    );
  });

  it.each([
    ['+44 20 7946 0000', 'not_mobile', 'landline'],
    ['+44 800 123 4567', 'not_mobile', 'free-phone'],
    ['+44 909 876 5432', 'not_mobile', 'premium-rate'],
    ['+44 7', 'too_short', ''],
    ['+44 78941234567890123', 'too_long', ''],
    ['+44 7894 12345', 'invalid_for_country', ''],
    ['+999 1234 5678', 'missing_country_code', ''],
    ['call me', 'not_a_number', ''],
    ['+44 7894 123 456 ext. 12', 'not_a_number', ''],
    ['+', 'not_a_number', ''],
    ['', 'not_a_number', ''],
    ['٠٧٨٩٤١٢٣٤٥٦', 'not_a_number', ''],
    ['+'.padEnd(100, '1'), 'too_long', ''],
  ])('rejects %j: %s', (input, reason, inMessage) => {
    const error = validateMobilePhone(input)._unsafeUnwrapErr();
    expect(error.reason).toBe(reason);
    expect(error.message).toContain(inMessage);
  });

  it.each([
    [
      '+44 303 123 4567',
      'This is a service number, not a mobile number; the authentication code is sent by SMS.',
    ],
    [
      '+44 56 1234 5678',
      'This is an internet (VoIP) number, not a mobile number; the authentication code is sent by SMS.',
    ],
    [
      '+44 70 1234 5678',
      'This is a personal (forwarding) number, not a mobile number; the authentication code is sent by SMS.',
    ],
    [
      '+44 76 4012 3456',
      'This is a pager number, not a mobile number; the authentication code is sent by SMS.',
    ],
    [
      '+33 810 12 34 56',
      'This is a shared-cost number, not a mobile number; the authentication code is sent by SMS.',
    ],
    [
      '+44 20 7946 0000',
      'This is a landline, not a mobile number; the authentication code is sent by SMS.',
    ],
    ['+44', 'The phone number is too short.'],
    ['+44 7', 'The phone number is too short.'],
    ['+12345678901234567890', 'The phone number is too long.'],
    ['+44 78941234567890123', 'The phone number is too long.'],
    [
      '+999 1234',
      'The country code is missing or unknown. Enter the number in international form, such as +447894123456.',
    ],
    ['+49 30 12', 'This is not a valid phone number for DE.'],
    ['call me', 'Enter a mobile phone number using digits, such as +447894123456.'],
    ['+'.padEnd(65, '1'), 'The phone number is too long.'],
  ])('says why %j is refused', (input, message) => {
    const error = validateMobilePhone(input)._unsafeUnwrapErr();
    expect(error.message).toBe(message);
    expect(error.input).toBe(input);
  });

  it('reads up to 64 characters, and the country of national input from defaultCountry', () => {
    const spaced = (length: number) => `+44${' '.repeat(length - 13)}7894123456`;
    expect(validateMobilePhone(spaced(64))._unsafeUnwrap()).toBe('+447894123456');
    expect(validateMobilePhone(spaced(65))._unsafeUnwrapErr().reason).toBe('too_long');
    expect(validateMobilePhone('0151 23456789', { defaultCountry: 'DE' })._unsafeUnwrap()).toBe(
      '+4915123456789',
    );
    expect(validateMobilePhone('030 12', { defaultCountry: 'DE' })._unsafeUnwrapErr().message).toBe(
      'This is not a valid phone number for DE.',
    );
  });

  it('measures national input against its defaultCountry: too short, too long, wrong length', () => {
    const gb = { defaultCountry: 'GB' } as const;
    const reasonOf = (input: string) =>
      validateMobilePhone(input, gb)._unsafeUnwrapErr() as { reason: string; message: string };
    expect(reasonOf('07894 1')).toMatchObject({
      reason: 'too_short',
      message: 'The phone number is too short.',
    });
    expect(reasonOf('07894 123 456 78')).toMatchObject({
      reason: 'too_long',
      message: 'The phone number is too long.',
    });
    expect(reasonOf('07894 12345').reason).toBe('invalid_for_country');
  });

  it('rejects non-strings', () => {
    expect(validateMobilePhone(447894123456)._unsafeUnwrapErr().reason).toBe('not_a_string');
  });
});
