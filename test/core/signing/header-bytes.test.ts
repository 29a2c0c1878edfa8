import { describe, expect, it } from 'vitest';
import { latin1BytesOfText, textFromLatin1Bytes } from '../../../src/core/signing/header-bytes.js';

describe('header bytes', () => {
  it('reads UTF-8 bytes received one character per byte back as their text', () => {
    const wire = Buffer.from('Théâtre Zoë', 'utf8').toString('latin1');
    expect(wire).not.toBe('Théâtre Zoë');
    expect(textFromLatin1Bytes(wire)).toBe('Théâtre Zoë');
    expect(latin1BytesOfText('Théâtre Zoë')).toBe(wire);
  });

  it('leaves ASCII, bytes that are not UTF-8, and text built in process as they are', () => {
    expect(textFromLatin1Bytes('ACME Tickets')).toBe('ACME Tickets');
    expect(latin1BytesOfText('ACME Tickets')).toBe('ACME Tickets');
    expect(textFromLatin1Bytes('\x7f')).toBe('\x7f');
    // Latin-1 é (0xE9) alone is no UTF-8 sequence.
    expect(textFromLatin1Bytes('caf\xe9')).toBe('caf\xe9');
    // Past U+00FF: cannot have come off the wire.
    expect(textFromLatin1Bytes('Zoë 🎟')).toBe('Zoë 🎟');
    expect(textFromLatin1Bytes('\u0100')).toBe('\u0100');
  });
});
