import {
  type CountryCode,
  isSupportedCountry,
  type NumberType,
  ParseError,
  parsePhoneNumberWithError,
  validatePhoneNumberLength,
} from 'libphonenumber-js/max';
import { errors, type InvalidPhone, type InvalidPhoneReason } from '../errors.js';
import { err, ok, type Result } from '../result.js';
import { describeNonString, echoInput } from './echo-input.js';

/**
 * How phone numbers are read.
 *
 * @example
 * ```ts
 * const options: PhoneOptions = { defaultCountry: 'GB' }; // lets '07894 123 456' through
 * ```
 */
export interface PhoneOptions {
  /**
   * The country assumed for numbers entered without `+` and a country code. Leave
   * unset to require international form (`+447894123456`).
   */
  readonly defaultCountry?: CountryCode;
}

/** Only what people type around a number: digits, an optional leading `+`, spaces, dashes, dots and brackets. */
const PHONE_CHARACTERS = /^\+?[0-9\s\-().]*$/;

/** More than any real number with its punctuation; longer input is refused before parsing. */
const MAX_PHONE_INPUT_LENGTH = 64;

/** Number types that can receive an SMS. `FIXED_LINE_OR_MOBILE` is how NANP (US, Canada) numbers are typed. */
const MOBILE_TYPES: ReadonlySet<NumberType> = new Set<NumberType>([
  'MOBILE',
  'FIXED_LINE_OR_MOBILE',
]);

/**
 * Checks a mobile phone number and returns it in E.164.
 *
 * Accepts international form with spaces, dashes and brackets (`+44 (0)7894-123 456`
 * style punctuation), and national form only when `defaultCountry` is set.
 * Rejections carry a reason: `not_a_number`, `missing_country_code`,
 * `too_short`, `too_long`, `invalid_for_country`, `not_mobile`.
 *
 * @example
 * ```ts
 * validateMobilePhone('+44 7894 123 456');                          // ok('+447894123456')
 * validateMobilePhone('07894 123 456');                             // err: 'missing_country_code'
 * validateMobilePhone('07894 123 456', { defaultCountry: 'GB' });   // ok('+447894123456')
 * validateMobilePhone('+44 20 7946 0000');                          // err: 'not_mobile'
 * ```
 */
export function validateMobilePhone(
  input: unknown,
  options: PhoneOptions = {},
): Result<string, InvalidPhone> {
  if (typeof input !== 'string') {
    return err(
      errors.invalidPhone(
        describeNonString(input),
        'not_a_string',
        'The phone number must be text.',
      ),
    );
  }
  const reject = (reason: InvalidPhoneReason, message: string) =>
    err(errors.invalidPhone(echoInput(input), reason, message));
  const trimmed = input.trim();
  if (trimmed.length > MAX_PHONE_INPUT_LENGTH) {
    return reject('too_long', 'The phone number is too long.');
  }
  if (!PHONE_CHARACTERS.test(trimmed) || !/[0-9]/.test(trimmed)) {
    return reject(
      'not_a_number',
      'Enter a mobile phone number using digits, such as +447894123456.',
    );
  }
  const { defaultCountry } = options;
  if (!trimmed.startsWith('+') && defaultCountry === undefined) {
    return reject(
      'missing_country_code',
      `Enter the number in international form with its country code: for a UK mobile 07894 123 456, enter +447894123456.`,
    );
  }
  let parsed: ReturnType<typeof parsePhoneNumberWithError>;
  try {
    parsed = parsePhoneNumberWithError(
      trimmed,
      defaultCountry === undefined ? {} : { defaultCountry },
    );
  } catch (error) {
    return rejectParseError(error, reject);
  }
  if (!parsed.isValid()) {
    const length = validatePhoneNumberLength(
      trimmed,
      defaultCountry === undefined ? {} : { defaultCountry },
    );
    if (length === 'TOO_SHORT') return reject('too_short', 'The phone number is too short.');
    if (length === 'TOO_LONG') return reject('too_long', 'The phone number is too long.');
    return reject(
      'invalid_for_country',
      `This is not a valid phone number for ${parsed.country ?? `country code +${parsed.countryCallingCode}`}.`,
    );
  }
  const type = parsed.getType();
  if (type === undefined || !MOBILE_TYPES.has(type)) {
    return reject(
      'not_mobile',
      `This is ${describeType(type)}, not a mobile number; the authentication code is sent by SMS.`,
    );
  }
  return ok(parsed.number);
}

/**
 * Whether `country` is a two-letter code the phone metadata knows.
 */
export function isKnownCountry(country: string): boolean {
  return isSupportedCountry(country);
}

function rejectParseError(
  error: unknown,
  reject: (reason: InvalidPhoneReason, message: string) => Result<never, InvalidPhone>,
): Result<never, InvalidPhone> {
  const code = error instanceof ParseError ? error.message : 'NOT_A_NUMBER';
  switch (code) {
    case 'INVALID_COUNTRY':
      return reject(
        'missing_country_code',
        'The country code is missing or unknown. Enter the number in international form, such as +447894123456.',
      );
    case 'TOO_SHORT':
      return reject('too_short', 'The phone number is too short.');
    case 'TOO_LONG':
      return reject('too_long', 'The phone number is too long.');
    default:
      return reject('not_a_number', 'This is not a phone number.');
  }
}

function describeType(type: NumberType | undefined): string {
  switch (type) {
    case 'FIXED_LINE':
      return 'a landline';
    case 'PREMIUM_RATE':
      return 'a premium-rate number';
    case 'TOLL_FREE':
      return 'a free-phone number';
    case 'SHARED_COST':
      return 'a shared-cost number';
    case 'VOIP':
      return 'an internet (VoIP) number';
    case 'PERSONAL_NUMBER':
      return 'a personal (forwarding) number';
    case 'PAGER':
      return 'a pager number';
    case 'UAN':
    case 'VOICEMAIL':
      return 'a service number';
    default:
      return 'a number of unknown type';
  }
}
