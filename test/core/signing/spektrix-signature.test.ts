import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  bodyMd5Base64,
  EMPTY_BODY_MD5,
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

describe('parseSpektrixAuthorization, at its edges', () => {
  const signature = 'Tn/2Y/c/MXkQUAIqbNeni8F6B1I=';

  it('takes the scheme in any case, trims, and keeps usernames with spaces', () => {
    expect(parseSpektrixAuthorization(`spektrixapi3   ACME Tickets:${signature}  `)).toEqual({
      username: 'ACME Tickets',
      signature,
    });
  });

  it('refuses other schemes, a missing space or username, and headers over 512 characters', () => {
    expect(parseSpektrixAuthorization(`Bearer ACME:${signature}`)).toBeNull();
    expect(parseSpektrixAuthorization(`SpektrixAPI3ACME:${signature}`)).toBeNull();
    expect(parseSpektrixAuthorization(`SpektrixAPI3 :${signature}`)).toBeNull();
    const longest = `SpektrixAPI3 ${'u'.repeat(512 - 14 - 28)}:${signature}`;
    expect(longest).toHaveLength(512);
    expect(parseSpektrixAuthorization(longest)?.signature).toBe(signature);
    expect(parseSpektrixAuthorization(` ${longest}`)).toBeNull();
  });

  it('refuses a signature that is not the base64 of 20 bytes', () => {
    const at = (i: number, c: string) => `${signature.slice(0, i)}${c}${signature.slice(i + 1)}`;
    expect(parseSpektrixAuthorization(`SpektrixAPI3 ACME:${signature.slice(0, 27)}`)).toBeNull();
    expect(parseSpektrixAuthorization(`SpektrixAPI3 ACME:${at(27, 'A')}`)).toBeNull();
    for (let i = 0; i < 27; i++) {
      for (const c of ['-', '_', 'é']) {
        expect(
          parseSpektrixAuthorization(`SpektrixAPI3 ACME:${at(i, c)}`),
          `${c} at ${i}`,
        ).toBeNull();
      }
    }
  });
});

describe('signString, at its edges', () => {
  it('hashes non-ASCII text to sign as UTF-8', () => {
    const text = 'GET\nhttps://bo.example/ünïcödé\nMon, 21 Oct 2020 07:28:00 GMT';
    expect(signString(KEY, text)).toBe(
      createHmac('sha1', KEY).update(Buffer.from(text, 'utf8')).digest('base64'),
    );
  });
});
