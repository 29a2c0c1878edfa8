// The GSM 03.38 default alphabet, and the extension table whose characters
// take two septets (an escape and the character).
const GSM7_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM7_EXTENSION = '\f^{}\\[~]|€';
const basic = new Set(GSM7_BASIC);
const extension = new Set(GSM7_EXTENSION);

/**
 * How a text travels as SMS: GSM-7 when every character is in the GSM 03.38
 * alphabet, UCS-2 otherwise, and how many segments that takes (160 septets or
 * 70 UTF-16 units in one; 153 or 67 per part once concatenated).
 *
 * @example
 * ```ts
 * smsSegments('Your code is 123456'); // { encoding: 'GSM-7', units: 19, segments: 1 }
 * smsSegments('Код 123456');          // { encoding: 'UCS-2', units: 10, segments: 1 }
 * ```
 */
export interface SmsSegments {
  readonly encoding: 'GSM-7' | 'UCS-2';
  /** Septets for GSM-7, UTF-16 code units for UCS-2. */
  readonly units: number;
  readonly segments: number;
}

/**
 * Counts the encoding, units and segments of an SMS text, as a provider bills it.
 *
 * @example
 * ```ts
 * smsSegments('a'.repeat(161)).segments; // 2
 * ```
 */
export function smsSegments(text: string): SmsSegments {
  let septets = 0;
  for (const char of text) {
    if (basic.has(char)) septets += 1;
    else if (extension.has(char)) septets += 2;
    else return ucs2(text.length);
  }
  const segments = septets <= 160 ? 1 : Math.ceil(septets / 153);
  return { encoding: 'GSM-7', units: septets, segments: Math.max(1, segments) };
}

function ucs2(units: number): SmsSegments {
  return {
    encoding: 'UCS-2',
    units,
    segments: Math.max(1, units <= 70 ? 1 : Math.ceil(units / 67)),
  };
}

/**
 * Whether `text` goes as a single GSM-7 segment: the cheapest SMS, and one that
 * no handset splits or re-encodes.
 */
export function fitsOneGsm7Segment(text: string): boolean {
  const { encoding, segments } = smsSegments(text);
  return encoding === 'GSM-7' && segments === 1;
}
