/**
 * One locale story for every text the SDK writes: the claim and reminder
 * messages, the claim page and the middleware's refusals. The default texts
 * exist in English and German; a locale picks the language by its primary
 * subtag (`de-AT` writes German), anything else writes English. Dates are
 * written in the language of the text around them, so a locale without texts
 * of its own never mixes a French date into an English sentence.
 *
 * @module
 */

/**
 * The languages the default texts are written in.
 *
 * @example
 * ```ts
 * const language: TextLanguage = textLanguageOf('de-AT'); // 'de'
 * ```
 */
export type TextLanguage = 'en' | 'de';

/**
 * The language the default texts use for `locale`: German for `de` and its
 * regions, English for everything else.
 */
export function textLanguageOf(locale: string): TextLanguage {
  return /^de(?:-|$)/i.test(locale) ? 'de' : 'en';
}

/**
 * The locale the default texts are written in for `locale`: itself when
 * they speak its language (`de-AT`, `en-GB`), else `en` (for `fr-FR`).
 * Dates and the HTML `lang` follow it.
 */
export function writtenLocaleOf(locale: string): string {
  const language = textLanguageOf(locale);
  return locale.split('-')[0]?.toLowerCase() === language ? locale : language;
}

/**
 * A date and time as every default text writes it: in the text's language,
 * in `timeZone`, with the zone's name (`28 Nov 2026, 11:00 UTC`;
 * `28. Nov. 2026, 11:00 UTC` in German). Unusual spaces some locales use are
 * made plain, so an SMS stays GSM-7 where it can.
 */
export function formatDateTime(date: Date, locale: string, timeZone: string): string {
  return new Intl.DateTimeFormat(writtenLocaleOf(locale), {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZone,
    timeZoneName: 'short',
  })
    .format(date)
    .replace(/[\u00a0\u202f]/g, ' ');
}
