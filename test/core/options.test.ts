import {
  ApiAccountManager,
  type ApiAccountManagerOptions,
  inMemoryPorts,
  SETTINGS_ADMINISTRATOR,
} from 'api-accounts';
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/core/options.js';
import { CLAIM_BASE } from '../helpers.js';

function options(extra: Record<string, unknown> = {}): ApiAccountManagerOptions {
  return { ...inMemoryPorts(), claimUrl: (t: string) => CLAIM_BASE + t, ...extra };
}

describe('manager options', () => {
  it('applies the documented defaults', () => {
    const config = resolveConfig(options());
    expect(config).toMatchObject({
      claimTtlMs: 24 * 60 * 60 * 1000,
      claimMaxAttempts: 5,
      keyFormat: 'base64',
      systemName: 'Box Office',
      locale: 'en',
      timeZone: 'UTC',
      publicBaseUrl: null,
      dateWindowMs: 15 * 60 * 1000,
      verifyCache: undefined,
    });
  });

  it('keeps what the host chose', () => {
    const config = resolveConfig(
      options({
        claim: { ttlMs: 1, maxAttempts: 1 },
        keyFormat: { prefix: 'ak_live' },
        phone: { defaultCountry: 'GB' },
        verifyCache: { ttlMs: 1, maxEntries: 1, negativeTtlMs: 1 },
        signedRequests: { publicBaseUrl: 'http://api.example/base//', dateWindowMs: 1 },
        messages: { locale: 'de-CH', timeZone: 'Europe/Zurich' },
        systemName: 'Theatre',
      }),
    );
    expect(config).toMatchObject({
      claimTtlMs: 1,
      claimMaxAttempts: 1,
      keyFormat: { prefix: 'ak_live' },
      phone: { defaultCountry: 'GB' },
      verifyCache: { ttlMs: 1, maxEntries: 1, negativeTtlMs: 1 },
      publicBaseUrl: 'http://api.example/base',
      dateWindowMs: 1,
      locale: 'de-CH',
      timeZone: 'Europe/Zurich',
      systemName: 'Theatre',
    });
    expect(
      resolveConfig(options({ signedRequests: { publicBaseUrl: 'https://api.example' } }))
        .publicBaseUrl,
    ).toBe('https://api.example');
  });

  it.each([
    [{ store: undefined }, 'missing port(s): store'],
    [{ sms: null, email: 'smtp' }, 'missing port(s): sms, email'],
    [
      { clock: null, keys: 'csprng', directory: undefined },
      'missing port(s): directory, clock, keys',
    ],
    [{ claimUrl: 'https://bo.example/claim?token=' }, 'claimUrl must be a function'],
    [{ claim: { ttlMs: 0 } }, 'claim.ttlMs must be a positive whole number'],
    [{ claim: { ttlMs: -1 } }, 'claim.ttlMs'],
    [{ claim: { ttlMs: 1.5 } }, 'claim.ttlMs'],
    [{ claim: { maxAttempts: 0 } }, 'claim.maxAttempts must be a whole number of at least 1'],
    [{ claim: { maxAttempts: 2.5 } }, 'claim.maxAttempts'],
    [{ keyFormat: { prefix: '1live' } }, 'keyFormat.prefix must start with a letter'],
    [{ keyFormat: { prefix: 'a'.repeat(33) } }, 'keyFormat.prefix'],
    [{ phone: { defaultCountry: 'XX' } }, "phone.defaultCountry 'XX' is not a known country"],
    [{ verifyCache: { ttlMs: 0 } }, 'verifyCache.ttlMs must be a positive whole number'],
    [{ verifyCache: {} }, 'verifyCache.ttlMs'],
    [{ verifyCache: { ttlMs: '60000' } }, 'verifyCache.ttlMs'],
    [{ verifyCache: { ttlMs: 1, maxEntries: 0 } }, 'verifyCache.maxEntries must be a positive'],
    [{ verifyCache: { ttlMs: 1, negativeTtlMs: 0.5 } }, 'verifyCache.negativeTtlMs must be'],
    [{ signedRequests: { publicBaseUrl: 'api.example' } }, 'signedRequests.publicBaseUrl must be'],
    [{ signedRequests: { publicBaseUrl: 'ftp://api.example' } }, 'publicBaseUrl'],
    [{ signedRequests: { publicBaseUrl: 'https://api.example/x?y=1' } }, 'publicBaseUrl'],
    [{ signedRequests: { publicBaseUrl: 'https://api.example/a b' } }, 'publicBaseUrl'],
    [{ signedRequests: { publicBaseUrl: ' https://api.example' } }, 'publicBaseUrl'],
    [{ signedRequests: { publicBaseUrl: 'https://' } }, 'publicBaseUrl'],
    [{ signedRequests: { dateWindowMs: 0 } }, 'signedRequests.dateWindowMs must be a positive'],
    [{ messages: { locale: 'not a locale' } }, "messages.locale 'not a locale' is not a valid"],
    [{ messages: { timeZone: 'Mars/Olympus' } }, "messages.timeZone 'Mars/Olympus' is not a known"],
  ])('refuses %j at construction, naming the option', (extra, message) => {
    expect(() => resolveConfig(options(extra))).toThrow(
      expect.objectContaining({ name: 'TypeError', message: expect.stringContaining(message) }),
    );
  });

  it('says which ports are missing and nothing about those present', () => {
    expect(() => resolveConfig(options({ sms: undefined }))).toThrow(
      'ApiAccountManager: missing port(s): sms',
    );
  });
});

describe('production defaults', () => {
  it('uses the system clock and Node CSPRNG when clock and keys are left out', async () => {
    const { store, sms, email, directory } = inMemoryPorts();
    const manager = new ApiAccountManager({
      store,
      sms,
      email,
      directory,
      claimUrl: (token) => `https://bo.example/claim?token=${token}`,
    });
    const admin = { id: 'a', roles: [SETTINGS_ADMINISTRATOR] };
    const before = Date.now();
    const created = (
      await manager.createAccount(admin, {
        username: 'Defaults Ltd',
        email: 'defaults@partner.example',
        phone: '+447894123456',
      })
    )._unsafeUnwrap();
    // A real clock: the claim expires 24 h from now, not from a frozen instant.
    const expiresIn = created.claim.expiresAt.getTime() - before;
    expect(expiresIn).toBeGreaterThanOrEqual(24 * 60 * 60 * 1000);
    expect(expiresIn).toBeLessThan(24 * 60 * 60 * 1000 + 5_000);
    expect(created.account.createdAt.getTime()).toBeGreaterThanOrEqual(before);
  });

  it('refuses a clock or key generator that is not one', () => {
    const { store, sms, email, directory } = inMemoryPorts();
    const base = { store, sms, email, directory, claimUrl: (t: string) => t };
    expect(() => new ApiAccountManager({ ...base, clock: 'now' as never })).toThrow(/clock/);
    expect(() => new ApiAccountManager({ ...base, keys: 42 as never })).toThrow(/keys/);
  });
});
