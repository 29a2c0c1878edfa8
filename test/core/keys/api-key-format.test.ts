import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  formatApiKey,
  isValidKeyPrefix,
  parseApiKey,
} from '../../../src/core/keys/api-key-format.js';

describe('base64 keys', () => {
  it('are the standard base64 of 32 bytes, which SpektrixAPI3 clients decode', () => {
    const bytes = randomBytes(32);
    const key = formatApiKey(bytes, 'base64');
    expect(key).toHaveLength(44);
    expect(Buffer.from(key, 'base64').equals(bytes)).toBe(true);
    expect(parseApiKey(key)).toEqual({ ok: true, format: 'base64' });
  });
  it('refuses other lengths and non-canonical padding bits', () => {
    expect(parseApiKey(Buffer.alloc(31).toString('base64')).ok).toBe(false);
    expect(parseApiKey(Buffer.alloc(33).toString('base64')).ok).toBe(false);
    expect(parseApiKey(`${'A'.repeat(42)}B=`)).toEqual({ ok: false, reason: 'malformed_key' });
    expect(parseApiKey(`${'A'.repeat(42)}A=`)).toEqual({ ok: true, format: 'base64' });
  });
});

describe('prefixed keys', () => {
  it('are prefix_ + 43 base62 + 6 base62 checksum characters', () => {
    const key = formatApiKey(randomBytes(32), { prefix: 'ak_live' });
    expect(key).toMatch(/^ak_live_[0-9A-Za-z]{43}[0-9A-Za-z]{6}$/);
    expect(parseApiKey(key)).toEqual({ ok: true, format: 'prefixed' });
  });
  it('catch every single-character typo by checksum', () => {
    const key = formatApiKey(randomBytes(32), { prefix: 'ak_live' });
    const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
    for (let i = 'ak_live_'.length; i < key.length; i++) {
      const replacement = alphabet[(alphabet.indexOf(key[i] ?? '0') + 1) % 62];
      const typo = key.slice(0, i) + replacement + key.slice(i + 1);
      expect(parseApiKey(typo)).toEqual({ ok: false, reason: 'bad_checksum' });
    }
  });
  it('keep the same material for the same bytes, whatever the prefix', () => {
    const bytes = randomBytes(32);
    expect(formatApiKey(bytes, { prefix: 'a' }).slice(2, 45)).toBe(
      formatApiKey(bytes, { prefix: 'b' }).slice(2, 45),
    );
  });
  it('validate prefixes', () => {
    expect(isValidKeyPrefix('ak_live')).toBe(true);
    expect(isValidKeyPrefix('AK1')).toBe(true);
    for (const bad of ['', '1ak', 'ak-live', 'a'.repeat(33), 'ak live', 'ак'])
      expect(isValidKeyPrefix(bad)).toBe(false);
  });
});

describe('parseApiKey on arbitrary input', () => {
  it('never throws and accepts nothing but well-formed keys', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        const parsed = parseApiKey(text);
        if (parsed.ok)
          expect(text).toMatch(/^([A-Za-z0-9+/]{43}=|[A-Za-z][A-Za-z0-9_]*_[0-9A-Za-z]{49})$/);
      }),
    );
  });
  it('refuses a megabyte of input', () => {
    expect(parseApiKey('a'.repeat(1_000_000))).toEqual({ ok: false, reason: 'malformed_key' });
  });
});

describe('parseApiKey refuses near misses before any lookup', () => {
  const valid = Buffer.alloc(32, 0xab).toString('base64'); // 'q6ur…q6s='
  const at = (text: string, index: number, char: string) =>
    `${text.slice(0, index)}${char}${text.slice(index + 1)}`;

  it('refuses a character outside standard base64 at every position', () => {
    expect(parseApiKey(valid)).toEqual({ ok: true, format: 'base64' });
    for (let i = 0; i < 43; i++) {
      for (const char of ['-', '_', '!', 'é', '\u0100']) {
        expect(parseApiKey(at(valid, i, char)), `${char} at ${i}`).toEqual({
          ok: false,
          reason: 'malformed_key',
        });
      }
    }
  });

  it('refuses a wrong length, a missing padding, or trailing bits that 32 bytes cannot have', () => {
    expect(parseApiKey(valid.slice(0, 43)).ok).toBe(false);
    expect(parseApiKey(`${valid}=`).ok).toBe(false);
    expect(parseApiKey(at(valid, 43, 'A')).ok).toBe(false);
    expect(parseApiKey(at(valid, 42, 'B')).ok).toBe(false); // B carries bits past the 256th
    expect(parseApiKey(at(valid, 42, 'A'))).toEqual({ ok: true, format: 'base64' });
  });

  it('refuses a prefixed key with no prefix, a bad prefix, a non-base62 tail, or a wrong checksum', () => {
    const key = formatApiKey(randomBytes(32), { prefix: 'ak_live' });
    expect(parseApiKey(key)).toEqual({ ok: true, format: 'prefixed' });
    const tail = key.slice('ak_live_'.length);
    expect(parseApiKey(`_${tail}`)).toEqual({ ok: false, reason: 'malformed_key' });
    expect(parseApiKey(tail)).toEqual({ ok: false, reason: 'malformed_key' });
    expect(parseApiKey(`9ak_${tail}`)).toEqual({ ok: false, reason: 'malformed_key' });
    expect(parseApiKey(`ak_live-${tail}`)).toEqual({ ok: false, reason: 'malformed_key' });
    expect(parseApiKey(`ak_live_${at(tail, 10, '+')}`)).toEqual({
      ok: false,
      reason: 'malformed_key',
    });
    const typo = `ak_live_${at(tail, 10, tail[10] === 'a' ? 'b' : 'a')}`;
    expect(parseApiKey(typo)).toEqual({ ok: false, reason: 'bad_checksum' });
  });
});
