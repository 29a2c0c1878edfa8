import { parsePhoneNumberWithError } from 'libphonenumber-js/max';

/** Digits left visible at the end of a masked number: enough to recognise one's own phone. */
const VISIBLE_TAIL = 3;

/**
 * An E.164 number with all but its country code and last three digits hidden,
 * for the claim page ("we sent a code to +44 ••••••• 456").
 */
export function maskPhone(e164: string): string {
  const digits = e164.replace(/\D/g, '');
  const callingCode = callingCodeOf(e164) ?? digits.slice(0, 1);
  const national = digits.slice(callingCode.length);
  const hidden = Math.max(0, national.length - VISIBLE_TAIL);
  return `+${callingCode} ${'•'.repeat(hidden)} ${national.slice(hidden)}`;
}

function callingCodeOf(e164: string): string | null {
  try {
    return parsePhoneNumberWithError(e164).countryCallingCode;
  } catch {
    return null;
  }
}
