import { describe, expect, it } from 'vitest';
import { quotaKey, quotaPeriod } from '../../../src/core/access/quota-period.js';

describe('quotaPeriod: UTC calendar days and months', () => {
  it.each([
    ['2026-12-31T23:59:59.999Z', 'month', '2026-12', '2027-01-01T00:00:00.000Z'],
    ['2027-01-01T00:00:00.000Z', 'month', '2027-01', '2027-02-01T00:00:00.000Z'],
    ['2028-02-29T12:00:00.000Z', 'month', '2028-02', '2028-03-01T00:00:00.000Z'],
    ['2028-02-29T23:59:59.999Z', 'day', '2028-02-29', '2028-03-01T00:00:00.000Z'],
    ['2027-02-28T10:00:00.000Z', 'day', '2027-02-28', '2027-03-01T00:00:00.000Z'],
    ['2026-06-30T23:59:59.999Z', 'day', '2026-06-30', '2026-07-01T00:00:00.000Z'],
  ] as const)('%s, per %s: %s, resets at %s', (at, period, label, resetsAt) => {
    const found = quotaPeriod(Date.parse(at), period);
    expect(found).toEqual({ label, resetsAt: Date.parse(resetsAt) });
    expect(quotaKey('acct_1', found)).toBe(`quota:acct_1:${label}`);
  });
});
