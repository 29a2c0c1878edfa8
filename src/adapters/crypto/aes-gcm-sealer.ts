import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { SecretSealer } from '../../ports/secret-sealer.js';

const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_ID = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * Options of {@link aesGcmSealer}.
 *
 * @example
 * ```ts
 * const options: AesGcmSealerOptions = {
 *   keys: { '2026-11': Buffer.from(process.env.SEALING_KEY_2026_11!, 'base64') },
 *   current: '2026-11',
 * };
 * ```
 */
export interface AesGcmSealerOptions {
  /** Key id → 32-byte AES-256 key. Keep old ids while values sealed with them remain. */
  readonly keys: Readonly<Record<string, Uint8Array>> | ReadonlyMap<string, Uint8Array>;
  /** The id new seals use. */
  readonly current: string;
}

/**
 * A {@link SecretSealer} using AES-256-GCM from `node:crypto`. A sealed value
 * reads `<keyId>.<iv>.<ciphertext+tag>` (base64url), with the account id as
 * additional authenticated data, so a value copied onto another account does
 * not unseal. Several key ids let the host rotate the sealing key without
 * reissuing API keys.
 *
 * Throws a `TypeError` at construction for a key that is not 32 bytes, a bad
 * key id, or a `current` id that is not among the keys.
 *
 * @example
 * ```ts
 * import { aesGcmSealer } from 'api-accounts';
 *
 * const sealer = aesGcmSealer({
 *   keys: { '2026-11': Buffer.from(process.env.SEALING_KEY!, 'base64') },
 *   current: '2026-11',
 * });
 * const manager = new ApiAccountManager({ ...ports, claimUrl, sealer });
 * ```
 */
export function aesGcmSealer(options: AesGcmSealerOptions): SecretSealer {
  const keys = new Map<string, Buffer>();
  const entries = options.keys instanceof Map ? [...options.keys] : Object.entries(options.keys);
  for (const [id, key] of entries) {
    if (!KEY_ID.test(id))
      throw new TypeError(`aesGcmSealer: key id '${id}' must be 1–64 of A-Z a-z 0-9 _ -`);
    if (!(key instanceof Uint8Array) || key.length !== 32) {
      throw new TypeError(`aesGcmSealer: key '${id}' must be 32 bytes (AES-256)`);
    }
    keys.set(id, Buffer.from(key));
  }
  const currentKey = keys.get(options.current);
  if (!currentKey)
    throw new TypeError(`aesGcmSealer: current key id '${options.current}' is not among the keys`);

  return {
    async seal(secret, context) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', currentKey, iv);
      cipher.setAAD(Buffer.from(context, 'utf8'));
      const sealed = Buffer.concat([cipher.update(secret), cipher.final(), cipher.getAuthTag()]);
      return `${options.current}.${iv.toString('base64url')}.${sealed.toString('base64url')}`;
    },
    async unseal(sealed, context) {
      const [id, ivText, bodyText, ...rest] = sealed.split('.');
      const key = id === undefined ? undefined : keys.get(id);
      if (!key || ivText === undefined || bodyText === undefined || rest.length > 0) {
        throw new Error('sealed secret is malformed or made with an unknown key');
      }
      const iv = Buffer.from(ivText, 'base64url');
      const body = Buffer.from(bodyText, 'base64url');
      if (iv.length !== IV_BYTES || body.length < TAG_BYTES)
        throw new Error('sealed secret is malformed');
      const decipher = createDecipheriv('aes-256-gcm', key, iv);
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
      // final() throws when the tag does not authenticate: tampered, foreign, or another account's.
      return new Uint8Array(
        Buffer.concat([
          decipher.update(body.subarray(0, body.length - TAG_BYTES)),
          decipher.final(),
        ]),
      );
    },
  };
}
