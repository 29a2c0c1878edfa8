import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { requestMark } from '../../src/http/request-mark.js';

describe('requestMark', () => {
  it('keeps a value on the request, out of its keys, copies, JSON and prints', () => {
    const mark = requestMark<{ who: string }>('test mark');
    const request = { url: '/x' };
    expect(mark.get(request)).toBeUndefined();
    mark.set(request, { who: 'acct_secretish' });
    expect(mark.get(request)).toEqual({ who: 'acct_secretish' });
    expect(Object.keys(request)).toEqual(['url']);
    expect(mark.get({ ...request })).toBeUndefined();
    expect(JSON.stringify(request)).toBe('{"url":"/x"}');
    expect(inspect(request)).not.toContain('acct_secretish');
  });

  it('takes the first mark of a request, keeps kinds apart, and leaves a frozen request unmarked', () => {
    const first = requestMark<string>('first');
    const second = requestMark<string>('second');
    const request = {};
    first.set(request, 'one');
    first.set(request, 'two');
    expect(first.get(request)).toBe('one');
    expect(second.get(request)).toBeUndefined();
    const frozen = Object.freeze({});
    expect(() => first.set(frozen, 'one')).not.toThrow();
    expect(first.get(frozen)).toBeUndefined();
    // A Web Request takes a mark too (nodeListener marks the ones it builds).
    const web = new Request('http://localhost/x');
    second.set(web, 'as received');
    expect(second.get(web)).toBe('as received');
  });
});
