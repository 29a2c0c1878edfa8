import { randomBytes } from 'node:crypto';
import type { KeyGenerator } from '../../ports/key-generator.js';

/**
 * The production {@link KeyGenerator}: bytes from Node's CSPRNG.
 */
export function cryptoKeyGenerator(): KeyGenerator {
  return {
    randomBytes(length) {
      return new Uint8Array(randomBytes(length));
    },
  };
}
