import { createHash, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  encodeBase62Fixed,
  encodeIntegerBase62Fixed,
  isBase62,
} from '../../../src/core/crypto/base62.js';
import { constantTimeEqual } from '../../../src/core/crypto/constant-time-equal.js';
import { crc32 } from '../../../src/core/crypto/crc32.js';
import { randomDigits } from '../../../src/core/crypto/random.js';
import { sha256Hex } from '../../../src/core/crypto/sha256.js';

describe('crc32', () => {
  it.each([
    ['', 0x00000000],
    ['a', 0xe8b7be43],
    ['123456789', 0xcbf43926],
    ['The quick brown fox jumps over the lazy dog', 0x414fa339],
  ])('matches the IEEE check value for %j', (input, expected) => {
    expect(crc32(input)).toBe(expected);
  });
});

describe('sha256Hex', () => {
  it('matches the FIPS 180-2 vector for "abc"', () => {
    expect(sha256Hex('abc')).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });
  it('agrees with node:crypto on arbitrary Unicode', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (text) => {
        expect(sha256Hex(text)).toBe(
          createHash('sha256').update(Buffer.from(text, 'utf8')).digest('hex'),
        );
      }),
    );
  });
});

describe('base62', () => {
  it('encodes fixed widths, padding with 0', () => {
    expect(encodeBase62Fixed(new Uint8Array(32), 43)).toBe('0'.repeat(43));
    expect(encodeBase62Fixed(new Uint8Array(32).fill(255), 43)).toHaveLength(43);
    expect(encodeIntegerBase62Fixed(61, 2)).toBe('0z');
    expect(encodeIntegerBase62Fixed(62, 2)).toBe('10');
    expect(encodeIntegerBase62Fixed(0xffffffff, 6)).toHaveLength(6);
    expect(encodeIntegerBase62Fixed(62 ** 3, 3)).toBeNull();
  });
  it('agrees with BigInt.toString-style conversion for random 32-byte values', () => {
    const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
    for (let i = 0; i < 200; i++) {
      const bytes = randomBytes(32);
      const encoded = encodeBase62Fixed(bytes, 43) ?? '';
      let decoded = 0n;
      for (const char of encoded) decoded = decoded * 62n + BigInt(alphabet.indexOf(char));
      expect(decoded).toBe(BigInt(`0x${bytes.toString('hex')}`));
      expect(isBase62(encoded)).toBe(true);
    }
  });
  it('recognises the alphabet', () => {
    expect(isBase62('azAZ09')).toBe(true);
    expect(isBase62('a_b')).toBe(false);
    expect(isBase62('a+b')).toBe(false);
  });
});

describe('constantTimeEqual', () => {
  it('is true only for identical strings', () => {
    expect(constantTimeEqual('abc', 'abc')).toBe(true);
    expect(constantTimeEqual('abc', 'abd')).toBe(false);
    expect(constantTimeEqual('abc', 'abcd')).toBe(false);
    expect(constantTimeEqual('', '')).toBe(true);
    expect(constantTimeEqual('é', 'e\u0301')).toBe(false);
  });
  it('agrees with === on arbitrary pairs', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => constantTimeEqual(a, b) === (a === b)),
    );
  });
});

describe('randomDigits', () => {
  it('gives fixed-width decimal strings, each digit about equally often', () => {
    const keys = { randomBytes: (n: number) => new Uint8Array(randomBytes(n)) };
    const counts = new Array<number>(10).fill(0);
    for (let i = 0; i < 2000; i++) {
      const code = randomDigits(keys, 6);
      expect(code).toMatch(/^\d{6}$/);
      for (const digit of code) counts[Number(digit)] = (counts[Number(digit)] ?? 0) + 1;
    }
    // 12,000 digits: 1,200 expected each; ±250 is over 7 standard deviations.
    for (const count of counts) expect(Math.abs(count - 1200)).toBeLessThan(250);
  });
  it('rejects words that would bias the result and keeps drawing', () => {
    const words = [0xffffffff, 0xffffffff, 123456];
    const keys = {
      randomBytes: () => {
        const bytes = new Uint8Array(4);
        new DataView(bytes.buffer).setUint32(0, words.shift() ?? 0);
        return bytes;
      },
    };
    expect(randomDigits(keys, 6)).toBe('123456');
  });
  it('takes the last word below the unbiased limit, and draws again from the limit on', () => {
    const drawing = (...words: number[]) => ({
      randomBytes: () => {
        // A view into a larger buffer, as a pooled generator hands out.
        const pool = new Uint8Array(12);
        const bytes = pool.subarray(4, 8);
        new DataView(pool.buffer).setUint32(4, words.shift() ?? 0);
        return bytes;
      },
    });
    // 10^6 × floor(2^32 / 10^6) = 4,294,000,000.
    expect(randomDigits(drawing(4_293_999_999), 6)).toBe('999999');
    expect(randomDigits(drawing(4_294_000_000, 7), 6)).toBe('000007');
    const rejected = Array.from({ length: 63 }, () => 0xffffffff);
    expect(randomDigits(drawing(...rejected, 42), 6)).toBe('000042');
    expect(() => randomDigits(drawing(...rejected, 0xffffffff, 42), 6)).toThrow(/not random/);
  });
  it('refuses a generator that answers fewer bytes, or no bytes at all', () => {
    expect(() => randomDigits({ randomBytes: () => new Uint8Array(3) }, 6)).toThrow(
      'KeyGenerator returned fewer bytes than asked for',
    );
    expect(() => randomDigits({ randomBytes: () => [1, 2, 3, 4] as never }, 6)).toThrow(
      'KeyGenerator returned fewer bytes than asked for',
    );
  });
  it('gives up on a generator stuck on a rejected value instead of looping forever', () => {
    expect(() =>
      randomDigits({ randomBytes: () => new Uint8Array([255, 255, 255, 255]) }, 6),
    ).toThrow(/not random/);
  });
});
