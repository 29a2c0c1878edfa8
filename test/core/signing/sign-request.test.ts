import { signRequest } from 'api-accounts';
import { describe, expect, it } from 'vitest';

describe('signRequest', () => {
  it('produces the SPEC test vectors, with the date string used verbatim', async () => {
    const get = await signRequest({
      method: 'GET',
      url: 'https://system.spektrix.com/apitesting/api/v3/customers/I-AK11-1ATK',
      username: 'ACME',
      apiKey: 'dGhpcyBpcyBhIHRlc3Q=',
      date: 'Mon, 21 Oct 2020 07:28:00 GMT',
    });
    expect(get._unsafeUnwrap()).toEqual({
      authorization: 'SpektrixAPI3 ACME:Tn/2Y/c/MXkQUAIqbNeni8F6B1I=',
      date: 'Mon, 21 Oct 2020 07:28:00 GMT',
    });
    const post = await signRequest({
      method: 'POST',
      url: 'https://system.spektrix.com/apitesting/api/v3/customers',
      body: new TextEncoder().encode('{"name":"test"}'),
      username: 'ACME',
      apiKey: 'dGhpcyBpcyBhIHRlc3Q=',
      date: 'Mon, 21 Oct 2020 07:28:00 GMT',
    });
    expect(post._unsafeUnwrap().authorization).toBe(
      'SpektrixAPI3 ACME:RowY8lXIyzz76EzcTNV+N+2iTfQ=',
    );
  });

  it('formats a Date as RFC 1123 and defaults to now', async () => {
    const at = new Date('2026-11-28T10:00:00Z');
    const signed = (
      await signRequest({
        method: 'GET',
        url: 'https://x.example/',
        username: 'u',
        apiKey: 'AAAA',
        date: at,
      })
    )._unsafeUnwrap();
    expect(signed.date).toBe('Sat, 28 Nov 2026 10:00:00 GMT');
    const now = (
      await signRequest({ method: 'GET', url: 'https://x.example/', username: 'u', apiKey: 'AAAA' })
    )._unsafeUnwrap();
    expect(Math.abs(Date.parse(now.date) - Date.now())).toBeLessThan(5000);
  });

  it.each([
    [{ method: 'GET /x' }, 'method'],
    [{ url: '/relative' }, 'url'],
    [{ username: 'a:b' }, 'username'],
    [{ apiKey: 'not base64!' }, 'apiKey'],
    [{ date: new Date(Number.NaN) }, 'date'],
    [{ date: 'line\nbreak' }, 'date'],
    [{ body: 42 }, 'body'],
  ])('refuses %j as InvalidInput on %s', async (change, field) => {
    const base = { method: 'GET', url: 'https://x.example/', username: 'u', apiKey: 'AAAA' };
    const result = await signRequest({ ...base, ...change } as never);
    expect(result._unsafeUnwrapErr()).toMatchObject({ type: 'InvalidInput', field });
  });
});

describe('signRequest refuses what it cannot sign, naming the field', () => {
  const good = {
    method: 'GET',
    url: 'https://api.box-office.example/api/v3/customers',
    username: 'ACME',
    apiKey: 'dGhpcyBpcyBhIHRlc3Q=',
    date: 'Mon, 21 Oct 2020 07:28:00 GMT',
  };
  const refusal = async (patch: Record<string, unknown>) =>
    (await signRequest({ ...good, ...patch } as never))._unsafeUnwrapErr();

  it.each([
    ['method', ''],
    ['method', 'GE T'],
    ['method', 'X'.repeat(17)],
    ['method', 42],
    ['url', '/api/v3/customers'],
    ['url', 'ftp://api.example/x'],
    ['url', 'https://api.example/has space'],
    ['url', ' https://api.example/x'],
    ['username', ''],
    ['username', 'AC:ME'],
    ['username', null],
    ['apiKey', 'not base64!'],
    ['apiKey', 'dGhpcyBpcyBhIHRlc3Q'],
    ['apiKey', ' dGhpcyBpcyBhIHRlc3Q='],
    ['apiKey', 'dGhpcyBpcyBhIHRlc3Q= '],
    ['apiKey', 7],
    ['body', 42],
    ['date', new Date(Number.NaN)],
  ])('%s = %j', async (field, value) => {
    const error = await refusal({ [field]: value });
    expect(error).toMatchObject({ type: 'InvalidInput', field });
    expect(error.message.length).toBeGreaterThan(10);
  });

  it('signs plain http URLs and bodiless requests', async () => {
    const result = await signRequest({
      ...good,
      url: 'http://localhost:3000/api/v3/customers',
      method: 'DELETE',
    });
    expect(result.isOk()).toBe(true);
  });
});

describe('signRequest answers synchronously', () => {
  it('returns a Result, not a promise', () => {
    const signed = signRequest({
      method: 'GET',
      url: 'https://system.spektrix.com/apitesting/api/v3/customers/I-AK11-1ATK',
      username: 'ACME',
      apiKey: 'dGhpcyBpcyBhIHRlc3Q=',
      date: 'Mon, 21 Oct 2020 07:28:00 GMT',
    });
    expect(typeof (signed as unknown as { then?: unknown }).then).toBe('undefined');
    expect(signed._unsafeUnwrap().authorization).toBe(
      'SpektrixAPI3 ACME:Tn/2Y/c/MXkQUAIqbNeni8F6B1I=',
    );
  });
});
