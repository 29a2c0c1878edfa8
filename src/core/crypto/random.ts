import type { KeyGenerator } from '../../ports/key-generator.js';

/**
 * A string of `length` uniformly random decimal digits drawn from `keys`.
 *
 * Uses rejection sampling on 32-bit words so that no digit string is likelier
 * than another (a plain `% 10 ** n` would bias the low values).
 */
export function randomDigits(keys: KeyGenerator, length: number): string {
  const range = 10 ** length;
  const limit = Math.floor(0x1_0000_0000 / range) * range;
  // A working CSPRNG is rejected with probability below 1e-3 per draw, so running out
  // of tries means the generator is broken (for instance stuck on one value).
  for (let attempt = 0; attempt < 64; attempt++) {
    const bytes = keys.randomBytes(4);
    const word = readUint32(bytes);
    if (word < limit) {
      return String(word % range).padStart(length, '0');
    }
  }
  throw new Error('KeyGenerator keeps returning out-of-range values; it is not random');
}

function readUint32(bytes: Uint8Array): number {
  if (!(bytes instanceof Uint8Array) || bytes.length < 4) {
    throw new Error('KeyGenerator returned fewer bytes than asked for');
  }
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(0);
}
