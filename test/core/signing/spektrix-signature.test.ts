import { describe, expect, it } from 'vitest';
import {
  bodyMd5Base64,
  EMPTY_BODY_MD5,
  parseHttpDate,
  parseSpektrixAuthorization,
  signString,
  stringToSign,
} from '../../../src/core/signing/spektrix-signature.js';

const KEY = Buffer.from('dGhpcyBpcyBhIHRlc3Q=', 'base64');
const DATE = 'Mon, 21 Oct 2020 07:28:00 GMT';

describe('SpektrixAPI3 signature (SPEC section 3 test vectors)', () => {
  it('signs the GET vector', () => {
    const text = stringToSign(
      'GET',
      'https://system.spektrix.com/apitesting/api/v3/customers/I-AK11-1ATK',
      DATE,
    );
    expect(text).toBe(
      'GET\nhttps://system.spektrix.com/apitesting/api/v3/customers/I-AK11-1ATK\nMon, 21 Oct 2020 07:28:00 GMT',
    );
    expect(signString(KEY, text)).toBe('Tn/2Y/c/MXkQUAIqbNeni8F6B1I=');
  });

  it('hashes the body as base64 of the raw MD5 digest, and signs the POST vector', () => {
    const md5 = bodyMd5Base64(Buffer.from('{"name":"test"}'));
    expect(md5).toBe('K4lbbvqii4GChOXGlqGHmQ==');
    const text = stringToSign(
      'POST',
      'https://system.spektrix.com/apitesting/api/v3/customers',
      DATE,
      md5,
    );
    expect(signString(KEY, text)).toBe('RowY8lXIyzz76EzcTNV+N+2iTfQ=');
  });

  it('knows the empty body MD5 and upper-cases the method', () => {
    expect(EMPTY_BODY_MD5).toBe('1B2M2Y8AsgTpgAmY7PhCfg==');
    expect(stringToSign('delete', 'u', 'd')).toBe('DELETE\nu\nd');
  });
});

describe('parseSpektrixAuthorization', () => {
  it('reads username and signature, the scheme in any case', () => {
    expect(
      parseSpektrixAuthorization('SpektrixAPI3 ACME Tickets:Tn/2Y/c/MXkQUAIqbNeni8F6B1I='),
    ).toEqual({
      username: 'ACME Tickets',
      signature: 'Tn/2Y/c/MXkQUAIqbNeni8F6B1I=',
    });
    expect(
      parseSpektrixAuthorization('spektrixapi3 a:Tn/2Y/c/MXkQUAIqbNeni8F6B1I=')?.username,
    ).toBe('a');
  });

  it.each([
    '',
    'Bearer abc',
    'SpektrixAPI3',
    'SpektrixAPI3 :Tn/2Y/c/MXkQUAIqbNeni8F6B1I=',
    'SpektrixAPI3 ACME',
    'SpektrixAPI3 ACME:',
    'SpektrixAPI3 ACME:not-base64!',
    'SpektrixAPI3 ACME:dGVzdA==',
    `SpektrixAPI3 ${'a'.repeat(600)}:Tn/2Y/c/MXkQUAIqbNeni8F6B1I=`,
  ])('refuses %j', (header) => {
    expect(parseSpektrixAuthorization(header)).toBeNull();
  });
});

describe('parseHttpDate', () => {
  it('reads RFC 1123 dates, ignoring a wrong weekday', () => {
    expect(parseHttpDate(DATE)?.toISOString()).toBe('2020-10-21T07:28:00.000Z');
    expect(parseHttpDate('Wed, 21 Oct 2020 07:28:00 GMT')?.toISOString()).toBe(
      '2020-10-21T07:28:00.000Z',
    );
  });

  it.each([
    '2020-10-21T07:28:00Z',
    'Wed, 21 Oct 2020 07:28:00 UTC',
    'Wed, 31 Feb 2020 07:28:00 GMT',
    'Wed, 21 Oct 2020 24:00:00 GMT',
    'Wed, 1 Oct 2020 07:28:00 GMT',
    'Wednesday, 21-Oct-20 07:28:00 GMT',
    '',
  ])('refuses %j', (header) => {
    expect(parseHttpDate(header)).toBeNull();
  });
});
