/**
 * The demo mounts the leak receiver with a local stand-in for GitHub's
 * signing key, and `examples/secret-scanning/report.mjs` posts a signed
 * report to it (#26): the key stops, a second report is a false positive.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { SETTINGS_ADMINISTRATOR } from 'api-accounts';
import { sqliteStore } from 'api-accounts/sqlite';
import { latestClaim } from 'api-accounts/testing';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { createDemoApp } from '../../examples/demo/app.js';
import { loadSecretScanningTestKey } from '../../examples/demo/files.js';
import { serve } from '../../examples/demo/serve.js';

describe('the demo receives a signed leak report from the example script (#26)', () => {
  it('stops the reported key, and answers a second report false_positive', async () => {
    const secrets = mkdtempSync(join(tmpdir(), 'api-accounts-leak-demo-'));
    const testKey = loadSecretScanningTestKey(secrets);
    const store = sqliteStore(new Database(':memory:'));
    await store.migrate();
    let origin = '';
    const demo = createDemoApp({
      store,
      clock: { now: () => new Date() },
      sealingKey: randomBytes(32),
      origin: () => origin,
      secretScanningKeys: async () => [testKey],
    });
    const server = await serve(demo.fetch, 0);
    origin = server.url;
    try {
      const sam = { id: 'sam', roles: [SETTINGS_ADMINISTRATOR], tenants: ['riverside'] };
      await demo.manager.createAccount(sam, {
        tenant: 'riverside',
        username: 'Leaky Ltd',
        email: 'dev@leaky.example',
        phone: '+447894123456',
      });
      const sent = demo.inbox.items().reverse();
      const claim = latestClaim({
        sms: { sent: sent.filter((m) => m.channel === 'sms') },
        email: { sent: sent.flatMap((m) => (m.channel === 'email' ? [m] : [])) },
      });
      const { apiKey } = (await demo.manager.claimApiKey(claim))._unsafeUnwrap();
      const report = () =>
        promisify(execFile)('node', ['examples/secret-scanning/report.mjs', apiKey], {
          env: { ...process.env, BASE_URL: server.url, DEMO_SECRETS_DIR: secrets },
        });
      const first = await report();
      expect(first.stdout).toMatch(/^200 .*"label":"true_positive"/);
      expect(first.stdout).not.toContain(apiKey);
      expect((await demo.manager.verifyApiKey(apiKey)).isErr()).toBe(true);
      expect((await report()).stdout).toContain('"label":"false_positive"');
    } finally {
      await server.close();
      store.close();
      rmSync(secrets, { recursive: true, force: true });
    }
  });
});
