import { smsSegments } from 'api-accounts/testing';
import { describe, expect, it } from 'vitest';

describe('smsSegments', () => {
  it('counts GSM-7 text in septets, 160 in one segment and 153 per part after', () => {
    expect(smsSegments('a'.repeat(160))).toEqual({ encoding: 'GSM-7', units: 160, segments: 1 });
    expect(smsSegments('a'.repeat(161))).toEqual({ encoding: 'GSM-7', units: 161, segments: 2 });
    expect(smsSegments('a'.repeat(306)).segments).toBe(2);
    expect(smsSegments('a'.repeat(307)).segments).toBe(3);
  });

  it('counts the extension table as two septets', () => {
    expect(smsSegments('€[]{}').units).toBe(10);
    expect(smsSegments(`${'a'.repeat(159)}€`).segments).toBe(2);
  });

  it('keeps the accented letters GSM-7 has, and goes UCS-2 for the rest', () => {
    expect(smsSegments('Café Ñoño à Zürich, Ålesund').encoding).toBe('GSM-7');
    expect(smsSegments('naïve ç').encoding).toBe('UCS-2');
    expect(smsSegments('Театр').encoding).toBe('UCS-2');
  });

  it('counts UCS-2 in UTF-16 units, 70 in one segment and 67 per part after', () => {
    expect(smsSegments('ж'.repeat(70))).toEqual({ encoding: 'UCS-2', units: 70, segments: 1 });
    expect(smsSegments('ж'.repeat(71)).segments).toBe(2);
    expect(smsSegments('🎭').units).toBe(2);
  });

  it('treats the empty text as one segment', () => {
    expect(smsSegments('')).toEqual({ encoding: 'GSM-7', units: 0, segments: 1 });
  });
});
