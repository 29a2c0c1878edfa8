import { createVerifier, inMemoryPorts } from 'api-accounts';
import { authenticate } from 'api-accounts/middleware';
import { describe, expect, it } from 'vitest';
import {
  accountInput,
  accountWithKey,
  admin,
  freshSealer,
  signedRequest,
  world,
} from '../helpers.js';
import { everyShim } from '../middleware/real-clients.js';

describe('createVerifier: verification without claims, senders or a directory', () => {
  it('verifies bearer keys and signed requests from a store shared with a manager', async () => {
    const sealer = freshSealer();
    const w = world({ sealer });
    const holder = await accountWithKey(w, accountInput());
    const verifier = createVerifier({ store: w.ports.store, sealer, clock: w.ports.clock });
    expect((await verifier.verifyApiKey(holder.apiKey))._unsafeUnwrap()).toMatchObject({
      accountId: holder.id,
      scheme: 'bearer',
    });
    const request = await signedRequest(
      holder,
      { method: 'GET', url: 'https://box-office.example/api/v3/events' },
      w.ports.clock.now(),
    );
    expect((await verifier.verifySignedRequest(request))._unsafeUnwrap().scheme).toBe(
      'SpektrixAPI3',
    );
    expect((await verifier.verifyApiKey('not a key'))._unsafeUnwrapErr().type).toBe('InvalidKey');
    await verifier.close();
  });

  it('needs only a store, and offers nothing but verification', async () => {
    const verifier = createVerifier({ store: inMemoryPorts().store });
    expect(Object.keys(verifier).sort()).toEqual([
      'close',
      'flushUsage',
      'verifyApiKey',
      'verifySignedRequest',
    ]);
    expect(
      (
        await verifier.verifySignedRequest({ method: 'GET', url: '/', headers: {} })
      )._unsafeUnwrapErr().type,
    ).toBe('InvalidKey');
  });

  it('with a cache, stops a key switched off by the manager at once (same store, its bus)', async () => {
    const w = world();
    const holder = await accountWithKey(w, accountInput());
    const verifier = createVerifier({
      store: w.ports.store,
      clock: w.ports.clock,
      verifyCache: { ttlMs: 60_000 },
    });
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect((await verifier.verifyApiKey(holder.apiKey)).isOk()).toBe(true);
    await w.manager.deactivateAccount(admin, holder.id);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect((await verifier.verifyApiKey(holder.apiKey))._unsafeUnwrapErr().type).toBe(
      'AccountInactive',
    );
    await verifier.close();
  });

  it('is taken by every middleware shim and by authenticate', async () => {
    const w = world();
    const holder = await accountWithKey(w, accountInput());
    const verifier = createVerifier({ store: w.ports.store, clock: w.ports.clock });
    const request = new Request('https://api.example/x', {
      headers: { authorization: `Bearer ${holder.apiKey}` },
    });
    expect((await authenticate(verifier, request))._unsafeUnwrap().accountId).toBe(holder.id);
    const shims = await everyShim(verifier);
    try {
      for (const shim of shims) {
        const response = await fetch(`${shim.base}/x`, { headers: { 'x-api-key': holder.apiKey } });
        expect(response.status, shim.name).toBe(200);
      }
    } finally {
      await Promise.all(shims.map((shim) => shim.close()));
    }
  });
});

describe('createVerifier: built from its own options (#24)', () => {
  it('refuses a cache over a store without a change feed unless it is the only writer', async () => {
    const w = world();
    const { readChangesSince: _feed, ...withoutFeed } = w.ports.store;
    const store = withoutFeed as typeof w.ports.store;
    expect(() => createVerifier({ store, verifyCache: { ttlMs: 60_000 } })).toThrow(
      /singleInstance/,
    );
    const alone = createVerifier({ store, verifyCache: { ttlMs: 60_000, singleInstance: true } });
    expect((await alone.verifyApiKey('not a key'))._unsafeUnwrapErr().type).toBe('InvalidKey');
    await alone.close();
  });

  it('closes and flushes without a usage counter, and checks its options as a manager does', async () => {
    const w = world();
    const verifier = createVerifier({ store: w.ports.store, usage: false });
    expect((await verifier.flushUsage()).isOk()).toBe(true);
    expect((await verifier.close()).isOk()).toBe(true);
    expect(() => createVerifier({ store: undefined as never })).toThrow(/missing port\(s\): store/);
    expect(() => createVerifier({ store: w.ports.store, logLevel: 'loud' as never })).toThrow(
      TypeError,
    );
  });

  it('counts rate limits on real time when the clock fails, and refuses only what has a deadline', async () => {
    const w = world();
    const holder = await accountWithKey(
      w,
      accountInput({ rateLimit: { limit: 1, windowMs: 60_000 } }),
    );
    const verifier = createVerifier({
      store: w.ports.store,
      clock: {
        now: () => {
          throw new Error('clock down');
        },
      },
    });
    // The key has no expiry: the failing clock does not refuse it, and its one unit is spent.
    expect((await verifier.verifyApiKey(holder.apiKey)).isOk()).toBe(true);
    expect((await verifier.verifyApiKey(holder.apiKey))._unsafeUnwrapErr().type).toBe(
      'RateLimited',
    );
    await verifier.close();
  });
});
