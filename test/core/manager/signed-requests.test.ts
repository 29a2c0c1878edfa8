import {
  type ApiAccountManagerOptions,
  type InMemoryPorts,
  inMemoryPorts,
  signRequest,
} from 'api-accounts';
import { describe, expect, it } from 'vitest';
import { accountInput, accountWithKey, admin, freshSealer, world } from '../../helpers.js';

const BASE = 'https://box-office.example/acme/api/v3';

function sealedWorld(
  options: Partial<ApiAccountManagerOptions> = {},
  ports: InMemoryPorts = inMemoryPorts(),
) {
  return world({ sealer: freshSealer(), ...options }, ports);
}

/** A signed request as a partner's client would send it, dated by the world's clock. */
async function signed(
  w: ReturnType<typeof world>,
  account: { username: string; apiKey: string },
  request: { method: string; url: string; body?: string | Uint8Array },
) {
  const headers = (
    await signRequest({
      ...request,
      username: account.username,
      apiKey: account.apiKey,
      date: w.ports.clock.now(),
    })
  )._unsafeUnwrap();
  return { ...request, headers: { Authorization: headers.authorization, Date: headers.date } };
}

describe('verifySignedRequest (SPEC section 3)', () => {
  it.each([
    ['GET', `${BASE}/customers/I-AK11-1ATK`, undefined],
    ['POST', `${BASE}/customers`, JSON.stringify({ name: 'test', city: 'Zürich' })],
    ['PUT', `${BASE}/customers/1`, new TextEncoder().encode('{"emoji":"🎟"}')],
    ['DELETE', `${BASE}/baskets/42`, undefined],
    [
      'GET',
      `${BASE}/events?from=2026-01-01T00%3A00%3A00Z&q=a+b&tags=x,y&redirect=https%3A%2F%2Fx.example%2F%3Fa%3D1`,
      undefined,
    ],
    ['GET', `${BASE}/search?name=Caf%C3%A9&empty=&flag`, undefined],
  ])('round-trips signRequest → verifySignedRequest: %s %s', async (method, url, body) => {
    const w = sealedWorld();
    const account = await accountWithKey(w, accountInput({ username: 'ACME Tickets' }));
    const request = await signed(w, account, {
      method,
      url,
      ...(body === undefined ? {} : { body }),
    });
    expect((await w.manager.verifySignedRequest(request))._unsafeUnwrap()).toEqual({
      accountId: account.id,
      tenant: 'default',
      username: 'ACME Tickets',
      mode: 'system-owner',
      scheme: 'SpektrixAPI3',
      keyState: 'current',
      keyExpiresAt: null,
      deprecatedAt: null,
      scopes: [],
      rateLimit: null,
      quota: null,
    });
  });

  it('accepts a bodiless non-GET request signed with or without the empty-body MD5', async () => {
    const w = sealedWorld();
    const account = await accountWithKey(w);
    const { createHmac } = await import('node:crypto');
    const date = w.ports.clock.now().toUTCString();
    const url = `${BASE}/baskets/42`;
    const secret = Buffer.from(account.apiKey, 'base64');
    for (const text of [
      `DELETE\n${url}\n${date}`,
      `DELETE\n${url}\n${date}\n1B2M2Y8AsgTpgAmY7PhCfg==`,
    ]) {
      const signature = createHmac('sha1', secret).update(text).digest('base64');
      const headers = { authorization: `SpektrixAPI3 ${account.username}:${signature}`, date };
      expect(
        (await w.manager.verifySignedRequest({ method: 'DELETE', url, headers, body: '' })).isOk(),
      ).toBe(true);
    }
  });

  it('reads a Fetch Headers object and a plain record alike, names in any case', async () => {
    const w = sealedWorld();
    const account = await accountWithKey(w);
    const request = await signed(w, account, { method: 'GET', url: `${BASE}/customers` });
    const fetchHeaders = new Headers(request.headers);
    expect(
      (await w.manager.verifySignedRequest({ ...request, headers: fetchHeaders })).isOk(),
    ).toBe(true);
    const shouting = { AUTHORIZATION: request.headers.Authorization, DATE: [request.headers.Date] };
    expect((await w.manager.verifySignedRequest({ ...request, headers: shouting })).isOk()).toBe(
      true,
    );
  });

  it('matches the username ignoring case, as the account is unique ignoring case', async () => {
    const w = sealedWorld();
    const account = await accountWithKey(w, accountInput({ username: 'ACME Tickets' }));
    const request = await signed(
      w,
      { ...account, username: 'acme tickets' },
      { method: 'GET', url: `${BASE}/x` },
    );
    expect((await w.manager.verifySignedRequest(request))._unsafeUnwrap().accountId).toBe(
      account.id,
    );
  });

  it('rebuilds the URL from the public base URL behind a proxy', async () => {
    const w = sealedWorld({
      signedRequests: { publicBaseUrl: 'https://box-office.example/acme/' },
    });
    const account = await accountWithKey(w);
    const request = await signed(w, account, { method: 'GET', url: `${BASE}/customers?x=1` });
    for (const seen of ['http://10.0.0.7:8080/api/v3/customers?x=1', '/api/v3/customers?x=1']) {
      expect((await w.manager.verifySignedRequest({ ...request, url: seen })).isOk()).toBe(true);
    }
    expect(
      (
        await w.manager.verifySignedRequest({ ...request, url: '/api/v3/customers?x=2' })
      )._unsafeUnwrapErr(),
    ).toMatchObject({
      reason: 'bad_signature',
    });
  });

  it('allows the Date 15 minutes either way by default, and a configured window', async () => {
    const w = sealedWorld();
    w.ports.clock.set(new Date('2026-11-28T10:00:00.000Z')); // Date headers have whole seconds
    const account = await accountWithKey(w);
    const request = await signed(w, account, { method: 'GET', url: `${BASE}/x` });
    w.ports.clock.advance(15 * 60 * 1000);
    expect((await w.manager.verifySignedRequest(request)).isOk()).toBe(true);
    w.ports.clock.advance(1000);
    expect((await w.manager.verifySignedRequest(request))._unsafeUnwrapErr()).toMatchObject({
      type: 'InvalidKey',
      reason: 'stale_date',
    });
    w.ports.clock.advance(-31 * 60 * 1000);
    expect((await w.manager.verifySignedRequest(request))._unsafeUnwrapErr()).toMatchObject({
      reason: 'stale_date',
    });

    const tight = sealedWorld({ signedRequests: { dateWindowMs: 60_000 } });
    const other = await accountWithKey(tight);
    const soon = await signed(tight, other, { method: 'GET', url: `${BASE}/x` });
    tight.ports.clock.advance(61_000);
    expect((await tight.manager.verifySignedRequest(soon))._unsafeUnwrapErr()).toMatchObject({
      reason: 'stale_date',
    });
  });

  it('refuses with a reason for every way a request can be wrong', async () => {
    const w = sealedWorld();
    const account = await accountWithKey(w);
    const good = await signed(w, account, {
      method: 'POST',
      url: `${BASE}/customers`,
      body: '{"a":1}',
    });
    const pending = (
      await w.manager.createAccount(admin, accountInput({ username: 'Pending Ltd' }))
    )._unsafeUnwrap();
    const cases: [string, Parameters<typeof w.manager.verifySignedRequest>[0]][] = [
      ['malformed_header', { ...good, headers: { ...good.headers, Authorization: 'Bearer abc' } }],
      [
        'malformed_header',
        {
          ...good,
          headers: { ...good.headers, Authorization: `SpektrixAPI3 ${account.username}` },
        },
      ],
      ['malformed_header', { ...good, headers: { Date: good.headers.Date } }],
      ['missing_date', { ...good, headers: { Authorization: good.headers.Authorization } }],
      ['malformed_date', { ...good, headers: { ...good.headers, Date: '2026-11-28T10:00:00Z' } }],
      ['relative_url', { ...good, url: '/api/v3/customers' }],
      [
        'unknown_user',
        {
          ...good,
          headers: {
            ...good.headers,
            Authorization: good.headers.Authorization.replace(account.username, 'Nobody'),
          },
        },
      ],
      [
        'no_key',
        {
          ...good,
          headers: {
            ...good.headers,
            Authorization: good.headers.Authorization.replace(
              account.username,
              pending.account.username,
            ),
          },
        },
      ],
      ['bad_signature', { ...good, body: '{"a":2}' }],
      ['bad_signature', { ...good, method: 'PUT' }],
      ['bad_signature', { ...good, url: `${BASE}/customers?` }],
      ['bad_signature', { ...good, body: undefined }],
    ];
    for (const [reason, request] of cases) {
      expect(
        (await w.manager.verifySignedRequest(request))._unsafeUnwrapErr(),
        reason,
      ).toMatchObject({ type: 'InvalidKey', reason });
    }
    expect((await w.manager.verifySignedRequest(good)).isOk()).toBe(true);
  });

  it('never throws on garbage', async () => {
    const w = sealedWorld();
    for (const request of [
      null,
      undefined,
      42,
      {},
      { headers: null },
      { method: 'GET', url: 5, headers: { authorization: 7 } },
    ]) {
      const result = await w.manager.verifySignedRequest(request as never);
      expect(result._unsafeUnwrapErr().type).toBe('InvalidKey');
    }
  });

  it('stops a valid signature after a reset or deactivation, and again after reactivation only for the same key', async () => {
    const w = sealedWorld();
    const account = await accountWithKey(w);
    const request = await signed(w, account, { method: 'GET', url: `${BASE}/x` });
    expect((await w.manager.verifySignedRequest(request)).isOk()).toBe(true);
    await w.manager.deactivateAccount(admin, account.id);
    expect((await w.manager.verifySignedRequest(request))._unsafeUnwrapErr()).toMatchObject({
      type: 'AccountInactive',
    });
    await w.manager.reactivateAccount(admin, account.id);
    expect((await w.manager.verifySignedRequest(request)).isOk()).toBe(true);
    await w.manager.resetApiKey(admin, account.id, { confirm: true });
    expect((await w.manager.verifySignedRequest(request))._unsafeUnwrapErr()).toMatchObject({
      reason: 'no_key',
    });
    const { apiKey } = (await w.manager.claimApiKey(w.lastClaim()))._unsafeUnwrap();
    expect((await w.manager.verifySignedRequest(request))._unsafeUnwrapErr()).toMatchObject({
      reason: 'bad_signature',
    });
    const fresh = await signed(
      w,
      { username: account.username, apiKey },
      { method: 'GET', url: `${BASE}/x` },
    );
    expect((await w.manager.verifySignedRequest(fresh)).isOk()).toBe(true);
  });

  it('with a verification cache, still stops a signature at once on reset or deactivation', async () => {
    const w = sealedWorld({ verifyCache: { ttlMs: 60_000 } });
    await new Promise((resolve) => setTimeout(resolve, 0));
    const account = await accountWithKey(w);
    const request = await signed(w, account, { method: 'GET', url: `${BASE}/x` });
    expect((await w.manager.verifySignedRequest(request)).isOk()).toBe(true);
    await w.manager.deactivateAccount(admin, account.id);
    expect((await w.manager.verifySignedRequest(request))._unsafeUnwrapErr().type).toBe(
      'AccountInactive',
    );
    await w.manager.reactivateAccount(admin, account.id);
    await w.manager.resetApiKey(admin, account.id, { confirm: true });
    expect((await w.manager.verifySignedRequest(request))._unsafeUnwrapErr()).toMatchObject({
      reason: 'no_key',
    });
  });

  it('without a sealer refuses signed requests clearly, while bearer keys work', async () => {
    const w = world();
    const account = await accountWithKey(w);
    const request = await signed(w, account, { method: 'GET', url: `${BASE}/x` });
    const refused = (await w.manager.verifySignedRequest(request))._unsafeUnwrapErr();
    expect(refused).toMatchObject({ type: 'InvalidKey', reason: 'signing_not_configured' });
    expect(refused.message).toMatch(/SecretSealer/);
    expect((await w.manager.verifyApiKey(account.apiKey)).isOk()).toBe(true);
  });

  it('cannot verify signatures of keys issued before the sealer, or in the prefixed format', async () => {
    const ports = inMemoryPorts();
    const before = world({}, ports);
    const old = await accountWithKey(before);
    const after = sealedWorld({}, ports);
    const oldRequest = await signed(after, old, { method: 'GET', url: `${BASE}/x` });
    expect((await after.manager.verifySignedRequest(oldRequest))._unsafeUnwrapErr()).toMatchObject({
      reason: 'signing_unavailable',
    });

    const prefixed = sealedWorld({ keyFormat: { prefix: 'ak_live' } });
    const account = await accountWithKey(prefixed);
    expect(prefixed.ports.store.snapshot().accounts[0]?.key?.sealedSecret).toBeNull();
    expect((await prefixed.manager.verifyApiKey(account.apiKey)).isOk()).toBe(true);
  });

  it('stores the secret sealed, never in clear', async () => {
    const w = sealedWorld();
    const account = await accountWithKey(w);
    const stored = JSON.stringify(w.ports.store.snapshot());
    const material = Buffer.from(account.apiKey, 'base64');
    for (const encoding of ['base64', 'base64url', 'hex'] as const) {
      expect(stored).not.toContain(material.toString(encoding).slice(0, 16));
    }
    expect(w.ports.store.snapshot().accounts[0]?.key?.sealedSecret).toMatch(/^k1\./);
  });

  it('reports a sealed secret that does not unseal as PortFailed (sealer), never a crash', async () => {
    const ports = inMemoryPorts();
    const w = sealedWorld({}, ports);
    const account = await accountWithKey(w);
    const other = sealedWorld({}, ports); // a different sealing key: the stored value is foreign to it
    const request = await signed(w, account, { method: 'GET', url: `${BASE}/x` });
    expect((await other.manager.verifySignedRequest(request))._unsafeUnwrapErr()).toMatchObject({
      type: 'PortFailed',
      port: 'sealer',
    });
  });
});

describe('verifySignedRequest edges', () => {
  async function goodRequest(options: Partial<ApiAccountManagerOptions> = {}) {
    const w = sealedWorld(options);
    const account = await accountWithKey(w);
    const request = await signed(w, account, { method: 'GET', url: `${BASE}/customers` });
    return { w, account, request };
  }

  it.each(['', 'GET1', '1GET', ' GET', 'GET\n', 'G'.repeat(17), 'GE T'])(
    'refuses the method %j as a malformed request',
    async (method) => {
      const { w, request } = await goodRequest();
      expect(
        (await w.manager.verifySignedRequest({ ...request, method }))._unsafeUnwrapErr(),
      ).toMatchObject({ type: 'InvalidKey', reason: 'malformed_header' });
    },
  );

  it.each([42, {}, [1, 2], null])(
    'refuses a body that is neither text nor bytes (%j)',
    async (body) => {
      const { w, request } = await goodRequest();
      expect(
        (
          await w.manager.verifySignedRequest({ ...request, body: body as never })
        )._unsafeUnwrapErr(),
      ).toMatchObject({ type: 'InvalidKey', reason: 'malformed_header' });
    },
  );

  it('takes the URL as absolute only when it starts with a scheme, and bounds its length', async () => {
    const { w, account, request } = await goodRequest();
    for (const url of [
      ` ${BASE}/customers`,
      `see ${BASE}/customers`,
      '',
      `${BASE}/${'x'.repeat(8200)}`,
    ]) {
      expect(
        (await w.manager.verifySignedRequest({ ...request, url }))._unsafeUnwrapErr(),
        url.slice(0, 40),
      ).toMatchObject({ type: 'InvalidKey', reason: 'relative_url' });
    }
    const longest = `${BASE}/${'x'.repeat(8192 - BASE.length - 1)}`;
    expect(longest).toHaveLength(8192);
    const long = await signed(w, account, { method: 'GET', url: longest });
    expect((await w.manager.verifySignedRequest(long)).isOk()).toBe(true);
  });

  it('rebuilds from the public base URL a URL with only a query, or a path without its slash', async () => {
    const base = 'https://box-office.example/acme';
    const { w, account } = await goodRequest({ signedRequests: { publicBaseUrl: base } });
    const query = await signed(w, account, { method: 'GET', url: `${base}?page=2` });
    expect((await w.manager.verifySignedRequest({ ...query, url: '?page=2' })).isOk()).toBe(true);
    const path = await signed(w, account, { method: 'GET', url: `${base}/api/v3/x` });
    expect((await w.manager.verifySignedRequest({ ...path, url: 'api/v3/x' })).isOk()).toBe(true);
    expect(
      (await w.manager.verifySignedRequest({ ...path, url: 42 as never }))._unsafeUnwrapErr(),
    ).toMatchObject({ reason: 'relative_url' });
  });

  it('keeps the cached verdicts of two signers apart', async () => {
    const w = sealedWorld({ verifyCache: { ttlMs: 60_000 } });
    const first = await accountWithKey(w);
    const second = await accountWithKey(w, accountInput({ username: 'Second Ltd' }));
    for (const account of [first, second, first, second]) {
      const request = await signed(w, account, { method: 'GET', url: `${BASE}/customers` });
      expect((await w.manager.verifySignedRequest(request))._unsafeUnwrap()).toMatchObject({
        accountId: account.id,
        username: account.username,
      });
    }
  });

  it.each([
    [
      'throws',
      () => {
        throw new Error('clock down');
      },
    ],
    ['answers an invalid Date', () => new Date(Number.NaN)],
    ['answers a string', () => '2026-12-01T00:00:00Z'],
    ['answers a number', () => 1_700_000_000_000],
  ])(
    'answers PortFailed (clock) when the clock %s, and bearer keys still verify',
    async (_, now) => {
      const ports = inMemoryPorts();
      const { w, account, request } = await (async () => {
        const healthy = sealedWorld({}, ports);
        const account = await accountWithKey(healthy);
        const request = await signed(healthy, account, { method: 'GET', url: `${BASE}/x` });
        const clock = { now: now as () => Date };
        return {
          w: sealedWorld({ clock, verifyCache: { ttlMs: 60_000 } }, ports),
          account,
          request,
        };
      })();
      const failed = await w.manager.verifySignedRequest(request);
      expect(failed._unsafeUnwrapErr()).toMatchObject({ type: 'PortFailed', port: 'clock' });
      expect((await w.manager.verifyApiKey(account.apiKey)).isOk()).toBe(true);
    },
  );
});

describe('a sealer that answers garbage', () => {
  it.each([
    ['an empty string', ''],
    ['a number', 42],
    ['nothing', undefined],
  ])('when sealing (%s) fails the claim with PortFailed and keeps it open', async (_, sealed) => {
    const sealer = { ...freshSealer(), seal: async () => sealed as string };
    const w = world({ sealer });
    await w.manager.createAccount(admin, accountInput());
    const claim = w.lastClaim();
    expect((await w.manager.claimApiKey(claim))._unsafeUnwrapErr()).toMatchObject({
      type: 'PortFailed',
      port: 'sealer',
    });
    const fixed = world({ sealer: freshSealer() }, w.ports);
    expect((await fixed.manager.claimApiKey(claim)).isOk()).toBe(true);
  });

  it.each([
    ['empty bytes', new Uint8Array(0)],
    ['a string', 'secret'],
    ['an array', [1, 2, 3]],
  ])('when unsealing (%s) fails the verification with PortFailed', async (_, secret) => {
    const sealer = freshSealer();
    const ports = inMemoryPorts();
    const w = world({ sealer }, ports);
    const account = await accountWithKey(w);
    const request = await signed(w, account, { method: 'GET', url: `${BASE}/x` });
    const broken = world(
      { sealer: { ...sealer, unseal: async () => secret as Uint8Array } },
      ports,
    );
    expect((await broken.manager.verifySignedRequest(request))._unsafeUnwrapErr()).toMatchObject({
      type: 'PortFailed',
      port: 'sealer',
    });
  });
});

describe('verifySignedRequest: the same work whether the username exists or not', () => {
  it('unseals exactly once per uncached verification for known, unknown and key-less signers', async () => {
    const inner = freshSealer();
    let unseals = 0;
    const sealer = {
      seal: (secret: Uint8Array, context: string) => inner.seal(secret, context),
      unseal: (sealed: string, context: string) => {
        unseals += 1;
        return inner.unseal(sealed, context);
      },
    };
    const w = world({ sealer });
    const known = await accountWithKey(w, accountInput({ username: 'Known Ltd' }));
    await w.manager.createAccount(admin, accountInput({ username: 'Keyless Ltd' }));
    const cost = async (username: string) => {
      const request = await signed(
        w,
        { username, apiKey: known.apiKey },
        {
          method: 'GET',
          url: `${BASE}/customers`,
        },
      );
      const before = unseals;
      const result = await w.manager.verifySignedRequest(request);
      return { unseals: unseals - before, result };
    };
    const found = await cost('Known Ltd');
    expect(found.result.isOk()).toBe(true);
    const unknown = await cost('Nobody Ltd');
    expect(unknown.result._unsafeUnwrapErr()).toMatchObject({ reason: 'unknown_user' });
    const keyless = await cost('Keyless Ltd');
    expect(keyless.result._unsafeUnwrapErr()).toMatchObject({ reason: 'no_key' });
    // Two each: the current key's and a rotation's previous key's, or decoys in their place (#23).
    expect([found.unseals, unknown.unseals, keyless.unseals]).toEqual([2, 2, 2]);
  });

  it('answers a sealer outage alike for known and unknown usernames', async () => {
    const inner = freshSealer();
    let down = false;
    const sealer = {
      seal: (secret: Uint8Array, context: string) => inner.seal(secret, context),
      unseal: (sealed: string, context: string) =>
        down ? Promise.reject(new Error('KMS unreachable')) : inner.unseal(sealed, context),
    };
    const w = world({ sealer });
    const known = await accountWithKey(w, accountInput({ username: 'Known Ltd' }));
    down = true;
    const types = [];
    for (const username of ['Known Ltd', 'Nobody Ltd']) {
      const request = await signed(
        w,
        { username, apiKey: known.apiKey },
        {
          method: 'GET',
          url: `${BASE}/customers`,
        },
      );
      types.push((await w.manager.verifySignedRequest(request))._unsafeUnwrapErr().type);
    }
    expect(types).toEqual(['PortFailed', 'PortFailed']);
  });
});

describe('verifySignedRequest: bodies read by a function, and the edges of the request', () => {
  async function setUp() {
    const w = sealedWorld();
    const account = await accountWithKey(w, accountInput({ username: 'ACME Tickets' }));
    return { w, account };
  }
  const body = JSON.stringify({ name: 'test' });

  it('reads a body given as a function once the cheap checks pass, as text or bytes', async () => {
    const { w, account } = await setUp();
    const request = await signed(w, account, { method: 'POST', url: `${BASE}/customers`, body });
    let reads = 0;
    const asText = await w.manager.verifySignedRequest({
      ...request,
      body: async () => {
        reads += 1;
        return body;
      },
    } as never);
    expect(asText._unsafeUnwrap().accountId).toBe(account.id);
    const asBytes = await w.manager.verifySignedRequest({
      ...request,
      body: () => new TextEncoder().encode(body),
    } as never);
    expect(asBytes.isOk()).toBe(true);
    const stale = await w.manager.verifySignedRequest({
      ...request,
      headers: { ...request.headers, Date: 'Mon, 21 Oct 2020 07:28:00 GMT' },
      body: async () => {
        reads += 1;
        return body;
      },
    } as never);
    expect(stale._unsafeUnwrapErr()).toMatchObject({ type: 'InvalidKey', reason: 'stale_date' });
    expect(reads).toBe(1);
    const get = await signed(w, account, { method: 'GET', url: `${BASE}/customers` });
    const none = await w.manager.verifySignedRequest({ ...get, body: () => undefined } as never);
    expect(none.isOk()).toBe(true);
  });

  it('answers a reader that fails with BodyUnreadable, and one that stopped at its bound with BodyTooLarge', async () => {
    const { w, account } = await setUp();
    const request = await signed(w, account, { method: 'POST', url: `${BASE}/customers`, body });
    const tooLarge = {
      type: 'BodyTooLarge',
      message: 'The body is larger than 10 bytes.',
      limit: 10,
    };
    const answers = await Promise.all(
      [
        async () => Promise.reject(tooLarge),
        async () => Promise.reject({ type: 'Other' }),
        async () => Promise.reject(new Error('socket hang up')),
        () => {
          throw new Error('no stream');
        },
        async () => 42,
        async () => ({ type: 'BodyTooLarge' }),
      ].map((read) => w.manager.verifySignedRequest({ ...request, body: read } as never)),
    );
    expect(answers.map((answer) => answer._unsafeUnwrapErr().type)).toEqual([
      'BodyTooLarge',
      'BodyUnreadable',
      'BodyUnreadable',
      'BodyUnreadable',
      'BodyUnreadable',
      'BodyUnreadable',
    ]);
    expect(answers[0]?._unsafeUnwrapErr()).toEqual(tooLarge);
    expect(JSON.stringify(answers[4]?._unsafeUnwrapErr())).toContain(
      'the body reader answered something else',
    );
  });

  it('refuses a body that is neither text, bytes nor a reader, and a method that is not one', async () => {
    const { w, account } = await setUp();
    const request = await signed(w, account, { method: 'POST', url: `${BASE}/customers`, body });
    const odd = await w.manager.verifySignedRequest({ ...request, body: 42 } as never);
    expect(odd._unsafeUnwrapErr()).toMatchObject({
      type: 'InvalidKey',
      reason: 'malformed_header',
    });
    for (const method of ['', 'G T', 'GETGETGETGETGETGE', 'GÉT', 7]) {
      const refused = await w.manager.verifySignedRequest({ ...request, method } as never);
      expect(refused._unsafeUnwrapErr()).toMatchObject({ reason: 'malformed_header' });
    }
    const sixteen = await w.manager.verifySignedRequest({ ...request, method: 'GETGETGETGETGETG' });
    expect(sixteen._unsafeUnwrapErr()).toMatchObject({ reason: 'bad_signature' });
  });

  it('accepts a lower-case GET signed without the body it carries, and shows the bodiless string it signs', async () => {
    const { w, account } = await setUp();
    const url = `${BASE}/customers`;
    const unsigned = await signed(w, account, { method: 'GET', url });
    const accepted = await w.manager.verifySignedRequest({
      ...unsigned,
      method: 'get',
      body: '{}',
    });
    expect(accepted.isOk()).toBe(true);
    const date = unsigned.headers.Date;
    const wrong = {
      ...unsigned,
      method: 'get',
      body: '{}',
      headers: {
        ...unsigned.headers,
        Authorization: 'SpektrixAPI3 ACME Tickets:AAAAAAAAAAAAAAAAAAAAAAAAAAA=',
      },
    };
    const refused = (await w.manager.verifySignedRequest(wrong))._unsafeUnwrapErr();
    expect(refused).toMatchObject({
      reason: 'bad_signature',
      stringToSign: `GET\n${url}\n${date}`,
    });
    const post = { ...wrong, method: 'POST' };
    const postRefused = (await w.manager.verifySignedRequest(post))._unsafeUnwrapErr();
    expect(postRefused).toMatchObject({
      stringToSign: `POST\n${url}\n${date}\nmZFLkyvTelC5g8XnyQrpOw==`,
    });
  });

  it('refuses a key claimed before the sealer was configured as unable to sign', async () => {
    const ports = inMemoryPorts();
    const before = world({}, ports);
    const account = await accountWithKey(before, accountInput({ username: 'Old Key Ltd' }));
    const after = sealedWorld({}, ports);
    const request = await signed(after, account, { method: 'GET', url: `${BASE}/customers` });
    const refused = (await after.manager.verifySignedRequest(request))._unsafeUnwrapErr();
    expect(refused).toMatchObject({ type: 'InvalidKey', reason: 'signing_unavailable' });
  });

  it('refuses a client address that is not text for an account with an allowlist', async () => {
    const w = sealedWorld();
    const account = await accountWithKey(
      w,
      accountInput({ username: 'Listed Ltd', allowedIps: ['203.0.113.0/24'] }),
    );
    const request = await signed(w, account, { method: 'GET', url: `${BASE}/customers` });
    const fromNumber = await w.manager.verifySignedRequest({ ...request, clientIp: 203 } as never);
    expect(fromNumber._unsafeUnwrapErr().type).toBe('IpNotAllowed');
    const listed = await w.manager.verifySignedRequest({ ...request, clientIp: '203.0.113.9' });
    expect(listed.isOk()).toBe(true);
  });
});
