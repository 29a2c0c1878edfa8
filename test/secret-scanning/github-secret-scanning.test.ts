/**
 * Leaked keys (#26, SPEC section 10): GitHub's secret scanning reports,
 * signed with real ECDSA P-256 keys made here, and `reportLeakedKey` for
 * every other channel. Nothing is revoked for a report whose signature does
 * not verify; a live key stops at once, its owner is told where it was
 * found, and no token reaches a log, an error, the history or the answer.
 */
import { generateKeyPairSync, type KeyObject, randomBytes, sign } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type AccountEvent,
  type Actor,
  ApiAccountManager,
  inMemoryPorts,
  SETTINGS_ADMINISTRATOR,
} from 'api-accounts';
import { githubSecretScanning, keyPattern, type LeakNotice } from 'api-accounts/secret-scanning';
import { sqliteStore } from 'api-accounts/sqlite';
import { latestClaim } from 'api-accounts/testing';
import Database from 'better-sqlite3';
import { describe, expect, it, vi } from 'vitest';
import { accountInput, admin, type World, world } from '../helpers.js';

/** A signing key as GitHub holds one, and its public half as GitHub publishes it. */
function githubKey(identifier: string) {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  return {
    privateKey,
    published: {
      key_identifier: identifier,
      key: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      is_current: true,
    },
  };
}

const current = githubKey('a'.repeat(64));
const stranger = githubKey('b'.repeat(64));
const ENDPOINT = 'https://bo.example/github/secret-scanning';

/** GitHub's request: the findings, signed over the exact bytes sent. */
function reportOf(
  findings: unknown,
  { key = current.privateKey, identifier = current.published.key_identifier } = {} as {
    key?: KeyObject;
    identifier?: string;
  },
) {
  const body = typeof findings === 'string' ? findings : JSON.stringify(findings);
  const signature = sign('sha256', Buffer.from(body), key).toString('base64');
  return new Request(ENDPOINT, {
    method: 'POST',
    body,
    headers: {
      'content-type': 'application/json',
      'github-public-key-identifier': identifier,
      'github-public-key-signature': signature,
    },
  });
}

const finding = (token: string) => ({
  token,
  type: 'box_office_api_key',
  url: 'https://github.com/octocat/hello/blob/0123abc/.env',
  source: 'content',
});

async function setUp(overrides: Parameters<typeof world>[0] = {}) {
  const events: AccountEvent[] = [];
  const logged: string[] = [];
  const line = (...values: unknown[]) => void logged.push(JSON.stringify(values));
  const w = world({
    keyFormat: { prefix: 'ak_test' },
    onEvent: (event) => void events.push(event),
    logger: { debug: line, info: line, warn: line, error: line },
    logLevel: 'debug',
    ...overrides,
  });
  const leaks: LeakNotice[] = [];
  let keyLoads = 0;
  const receiver = githubSecretScanning(w.manager, {
    publicKeys: async () => {
      keyLoads += 1;
      return [current.published];
    },
    onLeak: (leak) => void leaks.push(leak),
  });
  return { w, events, logged, leaks, receiver, keyLoads: () => keyLoads };
}

async function keyed(w: World, input = accountInput(), actor: Actor = admin) {
  const created = (await w.manager.createAccount(actor, input))._unsafeUnwrap();
  const claim = w.lastClaim({ phone: input.phone, email: created.account.email });
  const { apiKey } = (await w.manager.claimApiKey(claim))._unsafeUnwrap();
  return { id: created.account.id, apiKey, email: created.account.email };
}

describe('githubSecretScanning (#26)', () => {
  it('revokes a live key at once, opens a new claim saying where it was found, and answers true_positive', async () => {
    const { w, events, logged, leaks, receiver } = await setUp();
    const { id, apiKey, email } = await keyed(w);
    const sent = w.ports.email.sent.length;
    const response = await receiver(reportOf([finding(apiKey)]));
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(JSON.parse(text)).toEqual([
      {
        token_hash: (await import('node:crypto')).createHash('sha256').update(apiKey).digest('hex'),
        token_type: 'box_office_api_key',
        label: 'true_positive',
      },
    ]);
    expect((await w.manager.verifyApiKey(apiKey))._unsafeUnwrapErr()).toMatchObject({
      type: 'InvalidKey',
      reason: 'unknown_key',
    });
    const mail = w.ports.email.sent.slice(sent);
    expect(mail).toHaveLength(1);
    expect(mail[0]?.to).toBe(email);
    expect(mail[0]?.subject).toContain('found in public');
    expect(mail[0]?.text).toContain('https://github.com/octocat/hello/blob/0123abc/.env');
    expect(mail[0]?.text).toContain('github:content');
    const account = (await w.manager.getAccount(admin, id))._unsafeUnwrap();
    expect(account).toMatchObject({ claimPending: true, keyIssuedAt: null });
    const history = (await w.manager.accountHistory(admin, id))._unsafeUnwrap().items;
    expect(history.at(-1)).toMatchObject({
      type: 'key.leaked',
      actorId: null,
      leak: { source: 'github:content', url: 'https://github.com/octocat/hello/blob/0123abc/.env' },
    });
    expect(leaks).toEqual([
      {
        accountId: id,
        tenant: 'default',
        keyState: 'current',
        source: 'github:content',
        url: 'https://github.com/octocat/hello/blob/0123abc/.env',
      },
    ]);
    // The new claim completes as any other, and the new key works.
    const claimed = (await w.manager.claimApiKey(w.lastClaim()))._unsafeUnwrap();
    expect((await w.manager.verifyApiKey(claimed.apiKey)).isOk()).toBe(true);
    // The token is nowhere: not in the answer, the history, the events, the logs or onLeak.
    for (const place of [
      text,
      JSON.stringify(history),
      JSON.stringify(events),
      ...logged,
      JSON.stringify(leaks),
    ]) {
      expect(place).not.toContain(apiKey);
    }
  });

  it('refuses 401, changing nothing, a report unsigned, signed by another key, under an unknown identifier or tampered with', async () => {
    const { w, receiver } = await setUp();
    const { apiKey } = await keyed(w);
    const sent = w.ports.email.sent.length;
    const body = JSON.stringify([finding(apiKey)]);
    const tampered = reportOf([finding('ak_test_nothing')]);
    const forged = [
      new Request(ENDPOINT, { method: 'POST', body }),
      reportOf(body, { key: stranger.privateKey }),
      reportOf(body, { key: stranger.privateKey, identifier: stranger.published.key_identifier }),
      new Request(ENDPOINT, { method: 'POST', body, headers: tampered.headers }),
      new Request(ENDPOINT, {
        method: 'POST',
        body,
        headers: {
          ...Object.fromEntries(reportOf(body).headers),
          'github-public-key-signature': 'not base64 at all!',
        },
      }),
    ];
    for (const request of forged) expect((await receiver(request)).status).toBe(401);
    expect((await w.manager.verifyApiKey(apiKey)).isOk()).toBe(true);
    expect(w.ports.email.sent.length).toBe(sent);
  });

  it('bounds what it reads: 405 for GET, 413 past the body or token limit, 400 for anything but a list of findings', async () => {
    const { w, receiver } = await setUp();
    const small = githubSecretScanning(w.manager, {
      publicKeys: async () => [current.published],
      maxBodyBytes: 1024,
      maxTokens: 3,
    });
    expect((await receiver(new Request(ENDPOINT))).status).toBe(405);
    expect((await small(reportOf([finding('x'.repeat(2000))]))).status).toBe(413);
    expect((await small(reportOf(Array.from({ length: 4 }, () => finding('t'))))).status).toBe(413);
    for (const bad of ['{"token":"x"}', 'not json', '[1]', '[{"type":"x"}]']) {
      expect((await receiver(reportOf(bad))).status).toBe(400);
    }
  });

  it('answers a second report of the same key false_positive, and sends nothing more', async () => {
    const { w, receiver, events } = await setUp();
    const { apiKey } = await keyed(w);
    await receiver(reportOf([finding(apiKey)]));
    const [sms, mail, recorded] = [
      w.ports.sms.sent.length,
      w.ports.email.sent.length,
      events.length,
    ];
    const again = await receiver(reportOf([finding(apiKey), finding(apiKey)]));
    expect(((await again.json()) as { label: string }[]).map((entry) => entry.label)).toEqual([
      'false_positive',
      'false_positive',
    ]);
    expect([w.ports.sms.sent.length, w.ports.email.sent.length, events.length]).toEqual([
      sms,
      mail,
      recorded,
    ]);
  });

  it("only ends a previous key's grace period, and tells the owner nothing new", async () => {
    const { w, receiver, leaks } = await setUp();
    const { id, apiKey } = await keyed(w);
    (await w.manager.rotateApiKey(admin, id, { confirm: true }))._unsafeUnwrap();
    const next = (await w.manager.claimApiKey(w.lastClaim()))._unsafeUnwrap();
    expect((await w.manager.verifyApiKey(apiKey))._unsafeUnwrap().keyState).toBe('previous');
    const mail = w.ports.email.sent.length;
    const labels = await receiver(reportOf([finding(apiKey)]));
    expect(((await labels.json()) as { label: string }[])[0]?.label).toBe('true_positive');
    expect((await w.manager.verifyApiKey(apiKey)).isErr()).toBe(true);
    expect((await w.manager.verifyApiKey(next.apiKey)).isOk()).toBe(true);
    expect((await w.manager.getAccount(admin, id))._unsafeUnwrap().previousKeyEndsAt).toBeNull();
    expect(w.ports.email.sent.length).toBe(mail);
    expect(leaks.map((leak) => leak.keyState)).toEqual(['previous']);
  });

  it('answers a batch of 1,000 tokens, live, revoked and made up, each with its label', async () => {
    const { w, receiver } = await setUp();
    const sam: Actor = { id: 'sam', roles: [SETTINGS_ADMINISTRATOR], tenants: '*' };
    const live = [];
    for (let i = 0; i < 20; i++) {
      live.push(
        (await keyed(w, { ...accountInput(), tenant: i % 2 ? 'venue-a' : 'venue-b' }, sam)).apiKey,
      );
    }
    const madeUp = Array.from(
      { length: 980 },
      () => `ak_test_${randomBytes(36).toString('base64url').slice(0, 49)}`,
    );
    const tokens = [...live, ...madeUp].sort(() => Math.random() - 0.5);
    const started = performance.now();
    const response = await receiver(reportOf(tokens.map(finding)));
    const answered = (await response.json()) as { label: string }[];
    expect(response.status).toBe(200);
    expect(answered).toHaveLength(1000);
    const positives = tokens.filter((_, i) => answered[i]?.label === 'true_positive');
    expect(positives.sort()).toEqual([...live].sort());
    expect(performance.now() - started).toBeLessThan(30_000);
  });

  it('stops the key on another instance sharing the store, within the revocation bound, caches on', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'api-accounts-leak-'));
    const file = join(dir, 'accounts.db');
    const databases: Database.Database[] = [];
    const instance = async () => {
      const db = new Database(file);
      databases.push(db);
      const store = sqliteStore(db);
      await store.migrate();
      const ports = inMemoryPorts();
      const manager = new ApiAccountManager({
        ...ports,
        store,
        keyFormat: { prefix: 'ak_test' },
        claimUrl: (token) => `https://bo.example/claim?token=${token}`,
        verifyCache: { ttlMs: 60_000 },
      });
      return { manager, ports };
    };
    const [one, other] = [await instance(), await instance()];
    try {
      (await one.manager.createAccount(admin, accountInput()))._unsafeUnwrap();
      const { apiKey } = (await one.manager.claimApiKey(latestClaim(one.ports)))._unsafeUnwrap();
      // The other instance has the key's verdict cached.
      expect((await other.manager.verifyApiKey(apiKey)).isOk()).toBe(true);
      const receiver = githubSecretScanning(one.manager, {
        publicKeys: async () => [current.published],
      });
      expect((await receiver(reportOf([finding(apiKey)]))).status).toBe(200);
      const reported = performance.now();
      while ((await other.manager.verifyApiKey(apiKey)).isOk()) {
        expect(performance.now() - reported).toBeLessThan(2_000);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    } finally {
      await Promise.all([one.manager.close(), other.manager.close()]);
      for (const db of databases) db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("fetches GitHub's keys once, and again only for an identifier it has not seen", async () => {
    const rotated = githubKey('c'.repeat(64));
    let published = [current.published];
    let loads = 0;
    const w = world({ keyFormat: { prefix: 'ak_test' } });
    const receiver = githubSecretScanning(w.manager, {
      publicKeys: async () => {
        loads += 1;
        return published;
      },
    });
    await receiver(reportOf([finding('ak_test_x')]));
    await receiver(reportOf([finding('ak_test_y')]));
    expect(loads).toBe(1);
    published = [current.published, rotated.published];
    const signedByNewKey = () =>
      reportOf([finding('ak_test_z')], {
        key: rotated.privateKey,
        identifier: rotated.published.key_identifier,
      });
    // Within a minute of the last fetch an unknown identifier is not worth another: refused.
    expect((await receiver(signedByNewKey())).status).toBe(401);
    expect(loads).toBe(1);
    // Later, GitHub's new key is fetched once and the report accepted.
    const later = performance.now() + 61_000;
    const clock = vi.spyOn(performance, 'now').mockReturnValue(later);
    try {
      expect((await receiver(signedByNewKey())).status).toBe(200);
      expect((await receiver(signedByNewKey())).status).toBe(200);
      expect(loads).toBe(2);
    } finally {
      clock.mockRestore();
    }
  });
});

describe('keyPattern (#26)', () => {
  it('gives the pattern of prefixed keys, which finds issued keys and not their near misses', async () => {
    const w = world({ keyFormat: { prefix: 'ak_live' } });
    const { apiKey } = await keyed(w);
    const pattern = keyPattern('ak_live');
    expect(pattern.source).toBe('\\bak_live_[0-9A-Za-z]{49}\\b');
    expect(pattern.test(`API_KEY=${apiKey}\n`)).toBe(true);
    expect(pattern.test(`API_KEY=${apiKey.slice(0, -1)}\n`)).toBe(false);
    expect(pattern.test(apiKey.replace('ak_live', 'ak_test'))).toBe(false);
    expect(() => keyPattern('ak live')).toThrow(TypeError);
  });
});
