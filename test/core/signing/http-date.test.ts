import { describe, expect, it, vi } from 'vitest';
import { parseHttpDateMs } from '../../../src/core/signing/http-date.js';

/** The instant as a `Date`, for readable expectations. */
function parseHttpDate(header: string, nowMs: number): Date | null {
  const ms = parseHttpDateMs(header, nowMs);
  return ms === null ? null : new Date(ms);
}

const NOW = Date.UTC(2026, 11, 1);
const at = (header: string) => parseHttpDate(header, NOW)?.toISOString() ?? null;

describe('parseHttpDate (RFC 9110, section 5.6.7)', () => {
  it.each([
    // IMF-fixdate, with the SPEC's public example and its wrong weekday.
    ['Mon, 21 Oct 2020 07:28:00 GMT', '2020-10-21T07:28:00.000Z'],
    ['Sun, 06 Nov 1994 08:49:37 GMT', '1994-11-06T08:49:37.000Z'],
    // The last second of a day, and of a leap year's February.
    ['Thu, 31 Dec 2026 23:59:59 GMT', '2026-12-31T23:59:59.000Z'],
    ['Thu, 29 Feb 2024 23:59:59 GMT', '2024-02-29T23:59:59.000Z'],
    // RFC 850, the two-digit year placed within 50 years of now.
    ['Sunday, 06-Nov-94 08:49:37 GMT', '1994-11-06T08:49:37.000Z'],
    ['Saturday, 05-Dec-26 10:00:00 GMT', '2026-12-05T10:00:00.000Z'],
    ['Monday, 01-Jan-76 00:00:00 GMT', '2076-01-01T00:00:00.000Z'],
    ['Monday, 01-Jan-77 00:00:00 GMT', '1977-01-01T00:00:00.000Z'],
    // asctime, with the day space-padded, zero-padded or bare.
    ['Sun Nov  6 08:49:37 1994', '1994-11-06T08:49:37.000Z'],
    ['Sun Nov 06 08:49:37 1994', '1994-11-06T08:49:37.000Z'],
    ['Sun Nov 6 08:49:37 1994', '1994-11-06T08:49:37.000Z'],
    // Near-misses real clients send: Java's day without a zero, PHP's +0000, UT and UTC.
    ['Sat, 5 Dec 2026 10:00:00 GMT', '2026-12-05T10:00:00.000Z'],
    ['Sat, 05 Dec 2026 10:00:00 +0000', '2026-12-05T10:00:00.000Z'],
    ['Sat, 5 Dec 2026 10:00:00 UT', '2026-12-05T10:00:00.000Z'],
    ['Sat, 05 Dec 2026 10:00:00 UTC', '2026-12-05T10:00:00.000Z'],
    ['sat, 05 dec 2026 10:00:00 gmt', '2026-12-05T10:00:00.000Z'],
  ])('reads %j', (header, iso) => {
    expect(at(header)).toBe(iso);
  });

  it.each([
    '2020-10-21T07:28:00Z',
    'Wed, 31 Feb 2020 07:28:00 GMT',
    'Sun, 29 Feb 2026 07:28:00 GMT',
    'Wed, 21 Oct 2020 24:00:00 GMT',
    'Wed, 21 Oct 2020 07:60:00 GMT',
    'Wed, 21 Oct 2020 07:28:60 GMT',
    'Wed, 00 Oct 2020 07:28:00 GMT',
    'Wed, 21 Oct 2020 07:28:00 +0100',
    'Wed, 21 Oct 2020 07:28:00 EST',
    'Wed, 21 Oct 20 07:28:00 GMT',
    'Wed 21 Oct 2020 07:28:00 GMT',
    'Wednesday, 21-Oct-2020 07:28:00 GMT',
    'Sun Nov  6 08:49:37 94',
    ' Mon, 21 Oct 2020 07:28:00 GMT',
    '',
  ])('refuses %j', (header) => {
    expect(at(header)).toBeNull();
  });

  it('answers the same instant for the same header twice, each time in a Date of its own', () => {
    const first = parseHttpDate('Mon, 21 Oct 2020 07:28:00 GMT', NOW);
    first?.setTime(0);
    expect(at('Mon, 21 Oct 2020 07:28:00 GMT')).toBe('2020-10-21T07:28:00.000Z');
  });

  it('reads each header as it is, whatever was read before it (the last one is remembered)', () => {
    const sequence: [string, string | null][] = [
      ['Mon, 21 Oct 2020 07:28:00 GMT', '2020-10-21T07:28:00.000Z'],
      ['Mon, 21 Oct 2020 07:28:00 GMT', '2020-10-21T07:28:00.000Z'],
      ['Mon, 21 Oct 2020 07:28:01 GMT', '2020-10-21T07:28:01.000Z'],
      ['Mon, 21 Oct 2020 07:28:01 EST', null],
      ['Wed, 31 Feb 2020 07:28:00 GMT', null],
      ['Wed, 31 Feb 2020 07:28:00 GMT', null],
      ['Sunday, 06-Nov-94 08:49:37 GMT', '1994-11-06T08:49:37.000Z'],
      ['Mon, 21 Oct 2020 07:28:00 GMT', '2020-10-21T07:28:00.000Z'],
    ];
    expect(sequence.map(([header]) => at(header))).toEqual(sequence.map(([, iso]) => iso));
  });

  it('refuses an empty header read first, before any date was remembered', async () => {
    vi.resetModules();
    const fresh = await import('../../../src/core/signing/http-date.js');
    expect(fresh.parseHttpDateMs('', NOW)).toBeNull();
  });

  it("places the same RFC 850 header by each call's clock: only full years are remembered", () => {
    const header = 'Monday, 01-Jan-76 00:00:00 GMT';
    expect(parseHttpDate(header, Date.UTC(2026, 0, 1))?.getUTCFullYear()).toBe(2076);
    expect(parseHttpDate(header, Date.UTC(2025, 0, 1))?.getUTCFullYear()).toBe(1976);
  });
});
