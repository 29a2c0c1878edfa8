/**
 * HTTP dates as RFC 9110 (section 5.6.7) requires a recipient to read them:
 * IMF-fixdate, the obsolete RFC 850 form and asctime, plus the near-misses
 * real clients send: a day without its leading zero (Java's
 * `RFC_1123_DATE_TIME` writes `Sat, 5 Dec 2026 …`), and `+0000`, `UT` or
 * `UTC` for `GMT` (PHP's `DATE_RFC1123` writes `+0000`). Names are matched
 * without regard to case. The weekday is never checked against the date:
 * clients sign the header verbatim, and some send a wrong one.
 *
 * @module
 */

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const MONTH = '(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)';
const TIME = '(\\d{2}):(\\d{2}):(\\d{2})';

/** `Sun, 06 Nov 1994 08:49:37 GMT`, and `Sun, 6 Nov 1994 08:49:37 +0000`. */
const IMF_FIXDATE = new RegExp(
  `^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), (\\d{1,2}) ${MONTH} (\\d{4}) ${TIME} (?:GMT|UTC|UT|\\+0000)$`,
  'i',
);
/** `Sunday, 06-Nov-94 08:49:37 GMT`. */
const RFC_850 = new RegExp(
  `^(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday), (\\d{2})-${MONTH}-(\\d{2}) ${TIME} GMT$`,
  'i',
);
/** `Sun Nov  6 08:49:37 1994` (the day padded with a space, or not). */
const ASCTIME = new RegExp(
  `^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) ${MONTH} ( ?\\d{1,2}) ${TIME} (\\d{4})$`,
  'i',
);

/**
 * The last IMF-fixdate read, and its instant: at a gateway's rates most
 * signed requests of one second carry the same `Date` header. (An IMF-fixdate
 * names its year in full, so its instant does not depend on `nowMs`.)
 */
let lastFixdate: { readonly header: string; readonly ms: number } | null = null;

/**
 * The instant an HTTP `Date` header names, in milliseconds since the epoch,
 * or `null`. `nowMs` places an RFC 850 date's two-digit year: one that would
 * be more than 50 years ahead is read as the last such year in the past, as
 * RFC 9110 says.
 */
export function parseHttpDateMs(header: string, nowMs = Date.now()): number | null {
  if (header === lastFixdate?.header) return lastFixdate.ms;
  if (header.length > 64) return null;
  const imf = IMF_FIXDATE.exec(header);
  if (imf) {
    const ms = instant(imf[3], imf[2], imf[1], imf[4], imf[5], imf[6]);
    if (ms !== null) lastFixdate = { header, ms };
    return ms;
  }
  const asctime = ASCTIME.exec(header);
  if (asctime) {
    return instant(asctime[6], asctime[1], asctime[2], asctime[3], asctime[4], asctime[5]);
  }
  const rfc850 = RFC_850.exec(header);
  if (rfc850) {
    const thisYear = new Date(nowMs).getUTCFullYear();
    let year = Math.floor(thisYear / 100) * 100 + Number(rfc850[3]);
    if (year > thisYear + 50) year -= 100;
    return instant(String(year), rfc850[2], rfc850[1], rfc850[4], rfc850[5], rfc850[6]);
  }
  return null;
}

/** The instant of a date's parts as the patterns captured them (a day may be space-padded). */
function instant(
  year: string | undefined,
  month: string | undefined,
  day: string | undefined,
  hours: string | undefined,
  minutes: string | undefined,
  seconds: string | undefined,
): number | null {
  const monthIndex = MONTHS.indexOf((month ?? '').toLowerCase());
  const [d, h, m, s] = [Number(day), Number(hours), Number(minutes), Number(seconds)];
  // Date.UTC would roll 31 Feb over into March, and 07:60 into 08:00: such a header is malformed.
  if (!(h <= 23 && m <= 59 && s <= 59 && d >= 1)) return null;
  const ms = Date.UTC(Number(year), monthIndex, d, h, m, s);
  return new Date(ms).getUTCDate() === d ? ms : null;
}
