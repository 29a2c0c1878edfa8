import {
  type AccountStore,
  ApiAccountManager,
  type InvalidationBus,
  inMemoryPorts,
} from 'api-accounts';
import type { InvalidationListener } from 'api-accounts/ports';
import { describe, expect, it } from 'vitest';
import {
  accountWithKey,
  admin,
  CLAIM_BASE,
  freshSealer,
  signedRequest,
  world,
} from '../../helpers.js';

function countingStore(store: AccountStore): { store: AccountStore; lookups: () => number } {
  let lookups = 0;
  return {
    lookups: () => lookups,
    store: {
      ...store,
      findKeyHolder: async (hash) => {
        lookups += 1;
        return store.findKeyHolder(hash);
      },
    },
  };
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

const PROBED_URL = 'https://bo.example/api/v3/customers';

/** A signed request for `username` with a made-up signature: what a client sends before it has a key. */
function probe(username: string, date: Date) {
  return {
    method: 'GET',
    url: PROBED_URL,
    headers: {
      authorization: `SpektrixAPI3 ${username}:Tn/2Y/c/MXkQUAIqbNeni8F6B1I=`,
      date: date.toUTCString(),
    },
  };
}

describe('verification cache', () => {
  it('keeps verdicts for real keys through a flood of 200,000 unknown keys', async () => {
    const ports = inMemoryPorts();
    const { apiKey } = await accountWithKey(world({}, ports));
    const counted = countingStore(ports.store);
    const cached = world(
      { store: counted.store, verifyCache: { ttlMs: 60_000, maxEntries: 1_000 } },
      ports,
    );
    await flush();
    expect((await cached.manager.verifyApiKey(apiKey)).isOk()).toBe(true);
    const bytes = Buffer.alloc(32, 7);
    for (let i = 0; i < 200_000; i++) {
      bytes.writeUInt32BE(i, 0);
      await cached.manager.verifyApiKey(bytes.toString('base64'));
    }
    // A turn of the event loop, which the loop above never gave: the cache answers only
    // within 1.5 s of its last catch-up from the change feed, and a slow machine takes longer.
    await new Promise((resolve) => setTimeout(resolve, 600));
    const before = counted.lookups();
    expect((await cached.manager.verifyApiKey(apiKey)).isOk()).toBe(true);
    expect(counted.lookups()).toBe(before);
  }, 60_000);

  it('answers repeated verifications without the store until the TTL passes', async () => {
    const ports = inMemoryPorts();
    const { apiKey } = await accountWithKey(world({}, ports));
    const counted = countingStore(ports.store);
    const cached = world({ store: counted.store, verifyCache: { ttlMs: 60_000 } }, ports);
    await flush();
    for (let i = 0; i < 10; i++)
      expect((await cached.manager.verifyApiKey(apiKey)).isOk()).toBe(true);
    expect(counted.lookups()).toBe(1);
    ports.clock.advance(60_000);
    expect((await cached.manager.verifyApiKey(apiKey)).isOk()).toBe(true);
    expect(counted.lookups()).toBe(2);
  });

  it('stops a key at once on the instance that deactivates or resets it', async () => {
    const w = world({ verifyCache: { ttlMs: 60_000 } });
    await flush();
    const { id, apiKey } = await accountWithKey(w);
    expect((await w.manager.verifyApiKey(apiKey)).isOk()).toBe(true);
    await w.manager.deactivateAccount(admin, id);
    expect((await w.manager.verifyApiKey(apiKey))._unsafeUnwrapErr().type).toBe('AccountInactive');
    await w.manager.reactivateAccount(admin, id);
    expect((await w.manager.verifyApiKey(apiKey)).isOk()).toBe(true);
    await w.manager.resetApiKey(admin, id, { confirm: true });
    expect((await w.manager.verifyApiKey(apiKey))._unsafeUnwrapErr().type).toBe('InvalidKey');
  });

  it("stops a key on another manager sharing the store, through the store's bus", async () => {
    const ports = inMemoryPorts();
    const one = world({ verifyCache: { ttlMs: 60_000 } }, ports);
    const two = world({ verifyCache: { ttlMs: 60_000 } }, ports);
    await flush();
    const { id, apiKey } = await accountWithKey(one);
    expect((await one.manager.verifyApiKey(apiKey)).isOk()).toBe(true);
    expect((await two.manager.verifyApiKey(apiKey)).isOk()).toBe(true);
    await one.manager.deactivateAccount(admin, id);
    expect((await two.manager.verifyApiKey(apiKey))._unsafeUnwrapErr().type).toBe(
      'AccountInactive',
    );
    await two.manager.reactivateAccount(admin, id);
    expect((await one.manager.verifyApiKey(apiKey)).isOk()).toBe(true);
    await two.manager.resetApiKey(admin, id, { confirm: true });
    expect((await one.manager.verifyApiKey(apiKey))._unsafeUnwrapErr().type).toBe('InvalidKey');
  });

  it('serves nothing from the cache while the bus is interrupted or not yet subscribed', async () => {
    const ports = inMemoryPorts();
    const { apiKey } = await accountWithKey(world({}, ports));
    let listener: InvalidationListener | undefined;
    let release: () => void = () => undefined;
    const slowBus: InvalidationBus = {
      publish: async () => undefined,
      subscribe: (l) =>
        new Promise((resolve) => {
          listener = l;
          release = () => resolve(async () => undefined);
        }),
    };
    const counted = countingStore(ports.store);
    const manager = new ApiAccountManager({
      ...ports,
      store: counted.store,
      claimUrl: (t) => CLAIM_BASE + t,
      verifyCache: { ttlMs: 60_000 },
      invalidations: slowBus,
    });
    await manager.verifyApiKey(apiKey);
    await manager.verifyApiKey(apiKey);
    expect(counted.lookups()).toBe(2); // not subscribed yet: no caching
    release();
    await flush();
    await manager.verifyApiKey(apiKey);
    await manager.verifyApiKey(apiKey);
    expect(counted.lookups()).toBe(3);
    listener?.interrupted();
    await manager.verifyApiKey(apiKey);
    await manager.verifyApiKey(apiKey);
    expect(counted.lookups()).toBe(5);
    listener?.resumed();
    await manager.verifyApiKey(apiKey);
    await manager.verifyApiKey(apiKey);
    expect(counted.lookups()).toBe(6);
    await manager.close();
    await manager.verifyApiKey(apiKey);
    expect(counted.lookups()).toBe(7);
  });

  it('rejects a malformed cache configuration at construction', () => {
    for (const verifyCache of [{ ttlMs: 0 }, { ttlMs: 1.5 }, { ttlMs: 1000, maxEntries: -1 }]) {
      expect(() => world({ verifyCache })).toThrow(TypeError);
    }
  });
});

describe('verification cache for unknown keys and users', () => {
  it('remembers an unknown key only for negativeTtlMs', async () => {
    const ports = inMemoryPorts();
    const counted = countingStore(ports.store);
    const w = world(
      { store: counted.store, verifyCache: { ttlMs: 60_000, negativeTtlMs: 1_000 } },
      ports,
    );
    await flush();
    const unknown = Buffer.alloc(32, 7).toString('base64');
    for (let i = 0; i < 3; i++) {
      expect((await w.manager.verifyApiKey(unknown))._unsafeUnwrapErr()).toMatchObject({
        reason: 'unknown_key',
      });
    }
    expect(counted.lookups()).toBe(1);
    ports.clock.advance(1_000);
    await w.manager.verifyApiKey(unknown);
    expect(counted.lookups()).toBe(2);
  });

  it('remembers an unknown signer only for negativeTtlMs', async () => {
    const ports = inMemoryPorts();
    let lookups = 0;
    const store: AccountStore = {
      ...ports.store,
      findSigner: (tenant, usernameKey) => {
        lookups += 1;
        return ports.store.findSigner(tenant, usernameKey);
      },
    };
    const w = world(
      {
        store,
        sealer: freshSealer(),
        verifyCache: { ttlMs: 60_000, negativeTtlMs: 1_000 },
      },
      ports,
    );
    await flush();
    const request = probe('Nobody Ltd', ports.clock.now());
    for (let i = 0; i < 3; i++) {
      expect((await w.manager.verifySignedRequest(request))._unsafeUnwrapErr()).toMatchObject({
        reason: 'unknown_user',
      });
    }
    expect(lookups).toBe(1);
    ports.clock.advance(1_000);
    await w.manager.verifySignedRequest(request);
    expect(lookups).toBe(2);
  });
});

describe('verification cache and keys claimed after a probe', () => {
  type Probe = 'before create' | 'before claim';
  type Observer = 'the same instance' | 'another instance';

  async function probedThenClaimed(when: Probe, observer: Observer) {
    const ports = inMemoryPorts();
    const options = {
      sealer: freshSealer(),
      verifyCache: { ttlMs: 60_000, negativeTtlMs: 60_000 },
    };
    const admin1 = world(options, ports);
    const verifier = observer === 'the same instance' ? admin1 : world(options, ports);
    await flush();
    const early = probe('Early Ltd', ports.clock.now());
    if (when === 'before create') {
      expect((await verifier.manager.verifySignedRequest(early))._unsafeUnwrapErr()).toMatchObject({
        reason: 'unknown_user',
      });
    }
    await admin1.manager.createAccount(admin, {
      username: 'Early Ltd',
      email: 'early@partner.example',
      phone: '+447911123456',
    });
    if (when === 'before claim') {
      expect((await verifier.manager.verifySignedRequest(early))._unsafeUnwrapErr()).toMatchObject({
        reason: 'no_key',
      });
    }
    const claimed = (await admin1.manager.claimApiKey(admin1.lastClaim()))._unsafeUnwrap();
    return verifier.manager.verifySignedRequest(
      await signedRequest(claimed, { method: 'GET', url: PROBED_URL }, ports.clock.now()),
    );
  }

  for (const observer of ['the same instance', 'another instance'] as const) {
    it.each(['before create', 'before claim'] as const)(
      `accepts the first signed request after the claim on ${observer}, the username probed %s`,
      async (probe) => {
        expect((await probedThenClaimed(probe, observer))._unsafeUnwrap()).toMatchObject({
          username: 'Early Ltd',
          scheme: 'SpektrixAPI3',
        });
      },
    );
  }
});
