/**
 * Any string, of any size, in any field of any method: a typed error or a
 * success, never a throw, a rejection, or a half-written record.
 */
import type { ApiAccountErrorType } from 'api-accounts';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  accountInput,
  accountWithKey,
  admin,
  freshSealer,
  KNOWN_ERROR_TYPES,
  world,
} from '../helpers.js';

/** Strings that break naive code: empty, huge, controls, emoji, RTL, lone surrogates, look-alikes. */
const nastyString: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 80 }),
  fc.string({ unit: 'grapheme', maxLength: 80 }),
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    '\uD800',
    '\uDFFF\uD800',
    '\u202Eevil',
    'مرحبا@مثال.اختبار',
    '👩‍👩‍👧‍👦',
    '+44 7894 123 456\u0000',
    'x'.repeat(100_000),
    '+'.repeat(50_000),
    '@'.repeat(50_000),
    `${'a'.repeat(64)}@${'b'.repeat(200)}.example`,
    'acct_0000000000000000000000',
    'A'.repeat(43),
    `ak_live_${'0'.repeat(49)}`,
    '__proto__',
    'constructor',
  ),
);

function expectTyped(result: { isOk(): boolean; isErr(): boolean; error?: unknown }): void {
  if (result.isErr()) {
    const error = result.error as { type: ApiAccountErrorType; message: unknown };
    expect(KNOWN_ERROR_TYPES[error.type]).toBe(true);
    expect(error.type).not.toBe('InternalError');
    expect(typeof error.message).toBe('string');
  } else {
    expect(result.isOk()).toBe(true);
  }
}

describe('arbitrary strings in every field', () => {
  it('createAccount: typed result, and either a whole account or none', async () => {
    await fc.assert(
      fc.asyncProperty(nastyString, nastyString, nastyString, async (username, email, phone) => {
        const w = world();
        const result = await w.manager.createAccount(admin, { username, email, phone });
        expectTyped(result);
        const stored = w.ports.store.snapshot();
        if (result.isOk()) {
          expect(stored.accounts).toHaveLength(1);
          expect(stored.accounts[0]?.claim).not.toBeNull();
          expect(stored.events).toHaveLength(1);
        } else {
          expect(stored).toEqual({ accounts: [], events: [] });
        }
      }),
      { numRuns: 300 },
    );
  });

  it('every other method: typed result, nothing half-written', async () => {
    const w = world({ sealer: freshSealer() });
    const { id, apiKey } = await accountWithKey(w);
    await w.manager.createAccount(admin, accountInput());
    await fc.assert(
      fc.asyncProperty(nastyString, nastyString, nastyString, async (a, b, c) => {
        const results = await Promise.all([
          w.manager.getAccount(admin, a),
          w.manager.updateAccount(admin, id, { username: a, email: b, phone: c }),
          w.manager.updateAccount(admin, a, { username: b }),
          w.manager.deactivateAccount(admin, a),
          w.manager.reactivateAccount(admin, a),
          w.manager.resetApiKey(admin, a, { confirm: true }),
          w.manager.resendClaim(admin, a),
          w.manager.accountHistory(admin, a),
          w.manager.listAccounts(admin, { cursor: a }),
          w.manager.inspectClaim(a),
          w.manager.claimApiKey({ token: a, code: b }),
          w.manager.verifyApiKey(a),
          w.manager.verifySignedRequest({
            method: a,
            url: b,
            headers: { authorization: c, date: a },
            body: b,
          }),
          w.manager.verifySignedRequest({
            method: 'GET',
            url: `https://x.example/${a}`,
            headers: {
              authorization: `SpektrixAPI3 ${b}:${'A'.repeat(27)}=`,
              date: new Date().toUTCString(),
            },
          }),
          w.manager.listAccounts({ id: a, roles: [b, c] }),
        ]);
        for (const result of results) expectTyped(result);
        for (const record of w.ports.store.snapshot().accounts) {
          expect(record.version).toBeGreaterThanOrEqual(1);
          expect(record.key === null || record.claim === null).toBe(true);
        }
      }),
      { numRuns: 200 },
    );
    // The account survived all of that, or was legitimately edited; its key still verifies.
    expect((await w.manager.verifyApiKey(apiKey)).isOk()).toBe(true);
  });

  it('access fields: any scopes, addresses, rate limit or client address give a typed result, whole or nothing', async () => {
    const odd = fc.oneof(
      fc.anything({ withBoxedValues: true, withNullPrototype: true }),
      fc.array(nastyString, { maxLength: 5 }),
      fc.record({ limit: fc.anything(), windowMs: fc.anything() }),
    );
    await fc.assert(
      fc.asyncProperty(odd, odd, odd, nastyString, async (scopes, allowedIps, rateLimit, ip) => {
        const w = world({
          scopes: { 'customers:read': 'Read' },
          defaultScopes: ['customers:read'],
        });
        const { id, apiKey } = await accountWithKey(w);
        const before = w.ports.store.snapshot();
        const input = { scopes, allowedIps, rateLimit } as never;
        const created = await w.manager.createAccount(admin, {
          ...accountInput(),
          ...(input as object),
        });
        expectTyped(created);
        const updated = await w.manager.updateAccount(admin, id, input);
        expectTyped(updated);
        expectTyped(await w.manager.verifyApiKey(apiKey, { clientIp: ip }));
        expectTyped(await w.manager.verifyApiKey(apiKey, { clientIp: scopes as never }));
        const after = w.ports.store.snapshot();
        expect(after.accounts.length).toBe(before.accounts.length + (created.isOk() ? 1 : 0));
        if (updated.isErr()) {
          expect(after.accounts.find((a) => a.id === id)).toEqual(
            before.accounts.find((a) => a.id === id),
          );
        }
      }),
      { numRuns: 200 },
    );
  });

  it('non-string values where strings belong: typed result', async () => {
    const w = world();
    const { id } = await accountWithKey(w);
    const odd = fc.anything({
      withBoxedValues: true,
      withNullPrototype: true,
      withMap: true,
      withSet: true,
    });
    await fc.assert(
      fc.asyncProperty(odd, odd, odd, async (a, b, c) => {
        const results = await Promise.all([
          w.manager.createAccount(a as never, b as never),
          w.manager.createAccount(admin, { username: a, email: b, phone: c } as never),
          w.manager.updateAccount(admin, id, a as never),
          w.manager.getAccount(admin, a as never),
          w.manager.resetApiKey(admin, id, a as never),
          w.manager.listAccounts(admin, a as never),
          w.manager.claimApiKey(a as never),
          w.manager.claimApiKey({ token: a, code: b } as never),
          w.manager.inspectClaim(a as never),
          w.manager.verifyApiKey(a as never),
        ]);
        for (const result of results) expectTyped(result);
      }),
      { numRuns: 200 },
    );
  });
});
