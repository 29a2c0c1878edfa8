/**
 * The built binary (dist/cli/main.js, the package's bin) run as an operator
 * runs it: in a folder of its own with a configuration module, against
 * SQLite and against PostgreSQL (the server at DATABASE_URL, else an embedded
 * PGlite on disk), checking stdout, stderr and the exit status.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { backendName, databaseUrl } from '../adapters/postgres/backend.js';

const root = join(import.meta.dirname, '../..');
const bin = join(root, 'dist/cli/main.js');
const dist = (path: string) => pathToFileURL(join(root, 'dist', path)).href;
const folders: string[] = [];
afterAll(() => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

/** A folder inside the project (so the config's imports resolve) holding `api-accounts.config.<ext>`. */
function folderWith(config: string, name = 'api-accounts.config.mjs'): string {
  const folder = join(root, 'test-results', `cli-${randomBytes(4).toString('hex')}`);
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, name), config);
  folders.push(folder);
  return folder;
}

const PORTS = `
import { inMemoryPorts } from '${dist('index.js')}';
const { sms, email, directory } = inMemoryPorts();
const claimUrl = (token) => 'https://bo.example/claim?token=' + token;
const scopes = { 'customers:read': 'Read customers', 'orders:write': 'Create orders' };
`;

const SQLITE_CONFIG = `
import Database from 'better-sqlite3';
import { sqliteStore } from '${dist('sqlite/index.js')}';
${PORTS}
export const store = sqliteStore(new Database(new URL('./accounts.db', import.meta.url).pathname));
export default { store, sms, email, directory, claimUrl, scopes };
`;

const POSTGRES_CONFIG = databaseUrl
  ? `
import pg from 'pg';
import { postgresStore } from '${dist('postgres/index.js')}';
${PORTS}
const pool = new pg.Pool({ connectionString: ${JSON.stringify(databaseUrl)}, max: 2 });
export const store = postgresStore(pool, { schema: 'aa_cli_${randomBytes(4).toString('hex')}' });
export default { store, sms, email, directory, claimUrl, scopes };
`
  : `
import { PGlite } from '@electric-sql/pglite';
import { postgresStore } from '${dist('postgres/index.js')}';
${PORTS}
const db = new PGlite(new URL('./pgdata', import.meta.url).pathname);
const client = { query: async (text, values) => ({ rows: (await db.query(text, values)).rows }) };
export const store = postgresStore(client);
export default { store, sms, email, directory, claimUrl, scopes };
`;

interface Ran {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

function cli(folder: string, ...args: string[]): Promise<Ran> {
  return new Promise((resolve) => {
    execFile('node', [bin, ...args], { cwd: folder }, (error, stdout, stderr) => {
      resolve({ status: error ? Number(error.code) : 0, stdout, stderr });
    });
  });
}

describe('the api-accounts command line', () => {
  it('helps: every command has --help, exit 0; mistakes in the call exit 2', async () => {
    const folder = folderWith(SQLITE_CONFIG);
    const help = await cli(folder, '--help');
    expect(help.status).toBe(0);
    for (const command of [
      'migrate',
      'list',
      'show',
      'create',
      'update',
      'reset',
      'rotate',
      'deactivate',
      'reactivate',
      'history',
      'run-due-tasks',
      'resend-claim',
      'end-grace',
      'delete',
      'usage',
    ]) {
      expect(help.stdout).toContain(command);
      const own = await cli(folder, command, '--help');
      expect(own.status, command).toBe(0);
      expect(own.stdout, command).toContain(`api-accounts ${command}`);
    }
    expect((await cli(folder)).status).toBe(2);
    expect((await cli(folder, 'bogus')).status).toBe(2);
    const missingId = await cli(folder, 'show');
    expect(missingId.status).toBe(2);
    expect(missingId.stderr).toContain('show takes one account id');
    expect((await cli(folder, 'list', '--colour')).status).toBe(2);
    const elsewhere = folderWith('', 'unrelated.txt');
    const noConfig = await cli(elsewhere, 'list');
    expect(noConfig.status).toBe(2);
    expect(noConfig.stderr).toContain('api-accounts.config');
  }, 60_000);

  for (const [label, config] of [
    ['SQLite', SQLITE_CONFIG],
    [backendName, POSTGRES_CONFIG],
  ] as const) {
    it(`runs an account's whole life on ${label}: 0 done, 1 refused with the error's type`, async () => {
      const folder = folderWith(config);
      const migrated = await cli(folder, 'migrate');
      expect(migrated).toMatchObject({ status: 0, stdout: 'The store is migrated.\n' });
      expect(migrated.stderr).toContain('Migrating');
      const created = await cli(
        folder,
        'create',
        '--username',
        'ACME Tickets',
        '--email',
        'dev@acme.example',
        '--phone',
        '+447894123456',
        '--scopes',
        'customers:read',
        '--json',
        '--actor',
        'ops:alice',
      );
      expect(created.status, created.stderr).toBe(0);
      const { account } = JSON.parse(created.stdout) as {
        account: { id: string; scopes: string[] };
      };
      expect(account.scopes).toEqual(['customers:read']);
      const taken = await cli(
        folder,
        'create',
        '--username',
        'Other',
        '--email',
        'dev@acme.example',
        '--phone',
        '+447894123456',
      );
      expect(taken.status).toBe(1);
      expect(taken.stderr).toMatch(/^EmailTaken: /m);
      const listed = await cli(folder, 'list');
      expect(listed.stdout).toMatch(/ACME Tickets\s+dev@acme\.example\s+claim pending/);
      expect(listed.stdout).toContain('1 of 1');
      expect(
        JSON.parse((await cli(folder, 'list', '--json', '--search', 'acme')).stdout).total,
      ).toBe(1);
      expect((await cli(folder, 'show', account.id)).stdout).toContain(
        'username:          ACME Tickets',
      );
      const updated = await cli(
        folder,
        'update',
        account.id,
        '--rate-limit',
        '600/60',
        '--allowed-ips',
        '203.0.113.0/24',
        '--quota',
        '100000/month',
      );
      expect(updated.stdout).toContain('rate limit:        600 per 60 s');
      expect(updated.stdout).toContain('quota:             100000 per month');
      expect((await cli(folder, 'show', account.id)).stdout).toMatch(
        /quota used: {8}0 of 100000 this month \(UTC\), until \d{4}-\d\d-01T00:00:00\.000Z/,
      );
      const shown = JSON.parse((await cli(folder, 'show', account.id, '--json')).stdout);
      expect(shown.quotaStatus).toMatchObject({ limit: 100000, period: 'month', used: 0 });
      const badQuota = await cli(folder, 'update', account.id, '--quota', '10/year');
      expect(badQuota.status).toBe(2);
      expect(badQuota.stderr).toContain('--quota takes');
      expect(updated.stdout).toContain('203.0.113.0/24');
      // No terminal to ask on and no --yes: refused, nothing reset.
      const unconfirmed = await cli(folder, 'reset', account.id);
      expect(unconfirmed.status).toBe(1);
      expect(unconfirmed.stderr).toMatch(/^ConfirmationRequired: /m);
      expect((await cli(folder, 'reset', account.id, '--yes')).status).toBe(0);
      expect((await cli(folder, 'rotate', account.id, '--yes')).status).toBe(0);
      expect((await cli(folder, 'deactivate', account.id)).stdout).toContain(
        'active:            no',
      );
      expect((await cli(folder, 'reactivate', account.id)).stdout).toContain(
        'active:            yes',
      );
      const history = JSON.parse((await cli(folder, 'history', account.id, '--json')).stdout) as {
        items: { type: string; actorId: string }[];
      };
      expect(history.items.map((e) => e.type)).toEqual([
        'account.created',
        'account.access_changed',
        'key.reset',
        'key.reset',
        'account.deactivated',
        'account.reactivated',
      ]);
      expect(history.items[0]?.actorId).toBe('ops:alice');
      const due = await cli(folder, 'run-due-tasks', '--json');
      expect(due.status).toBe(0);
      expect(JSON.parse(due.stdout)).toMatchObject({ remindersSent: 0 });
      const missing = await cli(folder, 'show', 'acct_0000000000000000000000');
      expect(missing.status).toBe(1);
      expect(missing.stderr).toMatch(/^AccountNotFound: /m);
      expect(
        JSON.parse((await cli(folder, 'show', 'acct_0000000000000000000000', '--json')).stdout),
      ).toMatchObject({
        error: { type: 'AccountNotFound' },
      });
    }, 120_000);
  }

  it('resends, ends grace, reads usage and deletes; refuses what it cannot parse with 2; names the config (#23)', async () => {
    const folder = folderWith(SQLITE_CONFIG);
    expect((await cli(folder, 'migrate')).stderr).toContain(
      `Configuration: ${join(folder, 'api-accounts.config.mjs')}`,
    );
    const created = await cli(
      folder,
      'create',
      '--username=Gaps Ltd',
      '--email=gaps@partner.example',
      '--phone=+447894123456',
      '--json',
    );
    expect(created.status, created.stderr).toBe(0);
    const { account } = JSON.parse(created.stdout) as { account: { id: string } };
    const resent = await cli(folder, 'resend-claim', account.id);
    expect(resent.status, resent.stderr).toBe(0);
    expect(resent.stdout).toContain('SMS:               sent');
    const ended = await cli(folder, 'end-grace', account.id);
    expect(ended.status, ended.stderr).toBe(0);
    expect(ended.stdout).toContain('previous key ends: -');
    const usage = await cli(folder, 'usage', account.id, '--from=2026-01-01', '--to=2026-01-31');
    expect(usage.status, usage.stderr).toBe(0);
    expect(usage.stdout).toContain('DAY');
    const recent = await cli(folder, 'usage', account.id, '--json');
    expect(recent.status, recent.stderr).toBe(0);
    expect(JSON.parse(recent.stdout)).toEqual({ items: [] });
    for (const args of [
      ['rotate', account.id, '--yes', '--grace-hours', 'abc'],
      ['usage', account.id, '--from', 'yesterday'],
      ['list', '--limit', 'ten'],
      ['list', '--unused-since', 'last week'],
    ]) {
      const refused = await cli(folder, ...args);
      expect(refused.status, args.join(' ')).toBe(2);
      expect(refused.stderr).toContain(
        `--${(args.find((a) => a.startsWith('--') && a !== '--yes') ?? '').slice(2)}`,
      );
    }
    const invalid = await cli(folder, 'create', '--username=', '--email=nope', '--json');
    expect(invalid.status).toBe(1);
    expect(invalid.stderr).toMatch(/^InvalidInput: /m);
    expect(invalid.stderr).toMatch(/^ {2}email \(missing_at\): /m);
    expect(invalid.stderr).toMatch(/^ {2}phone \(not_a_string\): /m);
    const { error } = JSON.parse(invalid.stdout) as { error: { fields: { field: string }[] } };
    expect(error.fields.map((field) => field.field)).toEqual(['username', 'email', 'phone']);
    const unconfirmed = await cli(folder, 'delete', account.id);
    expect(unconfirmed.status).toBe(1);
    expect(unconfirmed.stderr).toMatch(/^ConfirmationRequired: Deleting/m);
    const deleted = await cli(folder, 'delete', account.id, '--yes');
    expect(deleted.status, deleted.stderr).toBe(0);
    expect(deleted.stdout).toContain(`Deleted ${account.id}`);
    expect((await cli(folder, 'show', account.id)).status).toBe(1);
  }, 120_000);

  it('acts in one tenant with --tenant: create, list and show there only (#25)', async () => {
    const folder = folderWith(SQLITE_CONFIG);
    expect((await cli(folder, 'migrate')).status).toBe(0);
    const partner = [
      '--username=Twin Ltd',
      '--email=twin@partner.example',
      '--phone=+447894123456',
    ];
    const inA = await cli(folder, 'create', ...partner, '--tenant=venue-a', '--json');
    expect(inA.status, inA.stderr).toBe(0);
    // The same partner in another venue is no clash.
    const inB = await cli(folder, 'create', ...partner, '--tenant', 'venue-b', '--json');
    expect(inB.status, inB.stderr).toBe(0);
    const a = (JSON.parse(inA.stdout) as { account: { id: string; tenant: string } }).account;
    expect(a.tenant).toBe('venue-a');
    const listed = await cli(folder, 'list', '--tenant=venue-a', '--json');
    expect(
      (JSON.parse(listed.stdout) as { items: { id: string }[] }).items.map((i) => i.id),
    ).toEqual([a.id]);
    expect((await cli(folder, 'list', '--json')).stdout).toContain('"total": 0');
    const shown = await cli(folder, 'show', a.id, '--tenant=venue-a');
    expect(shown.stdout).toMatch(/^tenant: +venue-a$/m);
    const elsewhere = await cli(folder, 'show', a.id, '--tenant=venue-b');
    expect(elsewhere.status).toBe(1);
    expect(elsewhere.stderr).toMatch(/^AccountNotFound/m);
    const bad = await cli(folder, 'list', '--tenant=no spaces');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--tenant');
  }, 120_000);

  it('loads a TypeScript configuration through tsx', async () => {
    const folder = folderWith(
      `${SQLITE_CONFIG.replace("import Database from 'better-sqlite3';", "import Database from 'better-sqlite3';\nconst typed: string = 'ts';")}`,
      'api-accounts.config.ts',
    );
    expect((await cli(folder, 'migrate')).status).toBe(0);
    expect((await cli(folder, 'list', '--json')).stdout).toContain('"total": 0');
  }, 60_000);
});
