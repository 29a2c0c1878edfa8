import { inMemoryPorts } from 'api-accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountInput, accountWithKey, admin, world } from '../helpers.js';
import { everyShim, type Shim } from './real-clients.js';

const DAY = 24 * 3_600_000;

describe('Deprecation and Sunset, through every shim', () => {
  const ports = inMemoryPorts();
  ports.clock.set(new Date('2026-12-01T09:00:00Z'));
  const w = world({ keyLifetime: { ms: 365 * DAY, reminders: [30 * DAY] } }, ports);
  let shims: Shim[] = [];
  const keys = { current: '', previous: '', reminded: '', fresh: '' };
  beforeAll(async () => {
    keys.current = (await accountWithKey(w, accountInput())).apiKey;
    const rotated = await accountWithKey(w, accountInput());
    keys.previous = rotated.apiKey;
    (
      await w.manager.rotateApiKey(admin, rotated.id, { confirm: true, maxGraceMs: DAY })
    )._unsafeUnwrap();
    ports.clock.advance(340 * DAY); // inside the reminder window of keys claimed on day 0
    keys.reminded = keys.current;
    keys.fresh = (await accountWithKey(w, accountInput())).apiKey; // claimed now: far from its expiry
    shims = await everyShim(w.manager);
  });
  afterAll(async () => {
    await Promise.all(shims.map((shim) => shim.close()));
  });

  const get = (shim: Shim, key: string) =>
    fetch(`${shim.base}/api/v3/events`, { headers: { authorization: `Bearer ${key}` } });

  it('tells a partner using a key inside its reminder window when it ends', async () => {
    const claimedAt = new Date('2026-12-01T09:00:00Z').getTime();
    for (const shim of shims) {
      const response = await get(shim, keys.reminded);
      expect(response.status, shim.name).toBe(200);
      expect(response.headers.get('deprecation'), shim.name).toBe(
        `@${(claimedAt + 335 * DAY) / 1000}`,
      );
      expect(response.headers.get('sunset'), shim.name).toBe(
        new Date(claimedAt + 365 * DAY).toUTCString(),
      );
    }
  });

  it('adds nothing for a key with nothing coming', async () => {
    for (const shim of shims) {
      const response = await get(shim, keys.fresh);
      expect(response.status, shim.name).toBe(200);
      expect(response.headers.has('deprecation'), shim.name).toBe(false);
      expect(response.headers.has('sunset'), shim.name).toBe(false);
    }
  });

  it('answers 401 key_expired for an expired key, and refuses a previous key past its grace', async () => {
    ports.clock.advance(30 * DAY);
    for (const shim of shims) {
      const expired = await get(shim, keys.reminded);
      expect(expired.status, shim.name).toBe(401);
      expect(await expired.json(), shim.name).toMatchObject({ error: 'key_expired' });
      expect(expired.headers.get('www-authenticate'), shim.name).toContain('invalid_token');
      const previous = await get(shim, keys.previous);
      expect(previous.status, shim.name).toBe(401);
    }
    ports.clock.advance(-370 * DAY);
  });
});

describe('Deprecation and Sunset for a previous key', () => {
  it('are sent by every shim while the previous key works', async () => {
    const ports = inMemoryPorts();
    ports.clock.set(new Date('2026-12-01T09:00:00Z'));
    const w = world({}, ports);
    const holder = await accountWithKey(w, accountInput());
    const rotatedAt = ports.clock.now().getTime();
    (
      await w.manager.rotateApiKey(admin, holder.id, { confirm: true, maxGraceMs: 2 * DAY })
    )._unsafeUnwrap();
    const shims = await everyShim(w.manager);
    try {
      for (const shim of shims) {
        const response = await fetch(`${shim.base}/x`, { headers: { 'x-api-key': holder.apiKey } });
        expect(response.status, shim.name).toBe(200);
        expect(response.headers.get('deprecation'), shim.name).toBe(`@${rotatedAt / 1000}`);
        expect(response.headers.get('sunset'), shim.name).toBe(
          new Date(rotatedAt + 2 * DAY).toUTCString(),
        );
      }
    } finally {
      await Promise.all(shims.map((shim) => shim.close()));
    }
  });
});
