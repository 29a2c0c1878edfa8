/**
 * The partner examples in docs/partners.md (`examples/partners/`), run as a
 * partner runs them, against the demo box office: each signs a GET and a POST
 * and must be accepted. curl, Node and Python run everywhere; PHP where
 * `php` is installed (CI installs it).
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { SETTINGS_ADMINISTRATOR } from 'api-accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemo } from '../e2e/browser.js';

const run = promisify(execFile);
const examples = resolve(import.meta.dirname, '../../examples/partners');
const hasPhp = ['/usr/bin/php', '/usr/local/bin/php'].some((path) => existsSync(path));

let demo: Awaited<ReturnType<typeof startDemo>>;
let env: NodeJS.ProcessEnv;
beforeAll(async () => {
  demo = await startDemo();
  // The examples date their requests by the real clock.
  demo.clock.set(new Date());
  const admin = { id: 'sam', roles: [SETTINGS_ADMINISTRATOR], tenants: ['riverside'] };
  const username = 'Théâtre Partner';
  (
    await demo.manager.createAccount(admin, {
      tenant: 'riverside',
      username,
      email: 'dev@partner.example',
      phone: '+447894123456',
    })
  )._unsafeUnwrap();
  const [sms, email] = ['sms', 'email'].map((channel) =>
    demo.inbox.items().find((item) => item.channel === channel),
  );
  const token = /token=([\w-]+)/.exec(email && 'text' in email ? email.text : '')?.[1] ?? '';
  const code = /\b(\d{6})\b/.exec(sms?.text ?? '')?.[1] ?? '';
  const { apiKey } = (await demo.manager.claimApiKey({ token, code }))._unsafeUnwrap();
  env = {
    ...process.env,
    BASE_URL: `${demo.url}/riverside`,
    API_USERNAME: username,
    API_KEY: apiKey,
  };
});
afterAll(() => demo?.close());

const accepted = (stdout: string) => {
  expect(stdout).toMatch(/"method":"POST","bodyBytes":41/);
  expect(stdout).toContain('"customers"');
};

describe('the partner examples, against the demo', () => {
  it('curl and openssl', async () => {
    const { stdout } = await run('bash', [join(examples, 'curl.sh')], { env });
    accepted(stdout);
  });

  it('Node (fetch)', async () => {
    const { stdout } = await run('node', [join(examples, 'node.mjs')], { env });
    expect(stdout).toMatch(/^GET 200 /m);
    expect(stdout).toMatch(/^POST 200 /m);
    accepted(stdout);
  });

  it('Python (standard library)', async () => {
    const { stdout } = await run('python3', [join(examples, 'python.py')], { env });
    expect(stdout).toMatch(/^POST 200 /m);
    accepted(stdout);
  });

  it.skipIf(!hasPhp)('PHP (standard library)', async () => {
    const { stdout } = await run('php', [join(examples, 'php.php')], { env });
    expect(stdout).toMatch(/^POST 200 /m);
    accepted(stdout);
  });
});
