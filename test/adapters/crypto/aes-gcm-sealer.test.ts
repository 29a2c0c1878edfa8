import { randomBytes } from 'node:crypto';
import { aesGcmSealer } from 'api-accounts';
import { describe, expect, it } from 'vitest';

const secret = new Uint8Array(randomBytes(32));

describe('aesGcmSealer', () => {
  it('unseals what it sealed, for the same account, and never shows the secret', async () => {
    const sealer = aesGcmSealer({ keys: { k1: randomBytes(32) }, current: 'k1' });
    const sealed = await sealer.seal(secret, 'acct_1');
    expect(sealed).toMatch(/^k1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+$/);
    expect(sealed).not.toContain(Buffer.from(secret).toString('base64url'));
    expect(await sealer.unseal(sealed, 'acct_1')).toEqual(secret);
    expect(await sealer.seal(secret, 'acct_1')).not.toBe(sealed); // a fresh IV every time
  });

  it('refuses another account, a tampered value, an unknown key id and garbage', async () => {
    const sealer = aesGcmSealer({ keys: { k1: randomBytes(32) }, current: 'k1' });
    const sealed = await sealer.seal(secret, 'acct_1');
    await expect(sealer.unseal(sealed, 'acct_2')).rejects.toThrow();
    const body = sealed.split('.')[2] ?? '';
    const flipped = `${sealed.slice(0, sealed.length - body.length)}${body[0] === 'A' ? 'B' : 'A'}${body.slice(1)}`;
    await expect(sealer.unseal(flipped, 'acct_1')).rejects.toThrow();
    await expect(sealer.unseal(sealed.replace(/^k1/, 'k9'), 'acct_1')).rejects.toThrow(
      /unknown key/,
    );
    for (const garbage of ['', 'k1', 'k1..', 'k1.a.b.c', `k1.${'A'.repeat(16)}.AAAA`]) {
      await expect(sealer.unseal(garbage, 'acct_1')).rejects.toThrow();
    }
    const foreign = aesGcmSealer({ keys: { k1: randomBytes(32) }, current: 'k1' });
    await expect(foreign.unseal(sealed, 'acct_1')).rejects.toThrow();
  });

  it('rotates: new seals use the current key, old ones still unseal', async () => {
    const old = randomBytes(32);
    const before = aesGcmSealer({ keys: { k1: old }, current: 'k1' });
    const sealedBefore = await before.seal(secret, 'acct_1');
    const after = aesGcmSealer({
      keys: new Map([
        ['k1', old],
        ['k2', randomBytes(32)],
      ]),
      current: 'k2',
    });
    expect(await after.unseal(sealedBefore, 'acct_1')).toEqual(secret);
    expect((await after.seal(secret, 'acct_1')).startsWith('k2.')).toBe(true);
  });

  it('refuses bad configuration at construction', () => {
    expect(() => aesGcmSealer({ keys: { k1: randomBytes(16) }, current: 'k1' })).toThrow(TypeError);
    expect(() => aesGcmSealer({ keys: { k1: randomBytes(32) }, current: 'k2' })).toThrow(TypeError);
    expect(() => aesGcmSealer({ keys: { 'k.1': randomBytes(32) }, current: 'k.1' })).toThrow(
      TypeError,
    );
  });
});
