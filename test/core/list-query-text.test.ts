import { describe, expect, it } from 'vitest';
import {
  type ListParameter,
  listQueryFromText,
} from '../../src/core/operations/list-query-text.js';

const from = (text: Partial<Record<ListParameter, string>>) =>
  listQueryFromText((name) => text[name]);

describe('listQueryFromText', () => {
  it('leaves out every parameter not given', () => {
    expect(from({})).toEqual({});
  });

  it('reads numbers, booleans and dates from their text, and passes the rest on as given', () => {
    expect(
      from({
        tenant: 'north',
        limit: '20',
        cursor: 'c1',
        active: 'false',
        state: 'key_issued',
        unusedSince: '2026-11-01T00:00:00.000Z',
        search: 'acme',
        sort: 'lastUsedAt',
      }),
    ).toEqual({
      tenant: 'north',
      limit: 20,
      cursor: 'c1',
      active: false,
      state: 'key_issued',
      unusedSince: new Date('2026-11-01T00:00:00.000Z'),
      search: 'acme',
      sort: 'lastUsedAt',
    });
    expect(from({ active: 'true' })).toEqual({ active: true });
  });

  it('passes on what does not read as its type, for listAccounts to refuse by name', () => {
    const query = from({ limit: 'ten', active: 'yes', unusedSince: 'last week' });
    expect(query.limit).toBeNaN();
    expect(query.active).toBe('yes');
    expect(Number.isNaN(query.unusedSince?.getTime())).toBe(true);
  });
});
