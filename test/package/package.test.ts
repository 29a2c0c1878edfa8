/**
 * The package users install, made as a publisher makes it: the checkout's
 * files copied to a fresh folder without `dist/`, packed there with `npm pack`
 * (whose `prepack` builds), unpacked into a fresh project, and used from there
 * with Node's own resolution — every subpath, as ESM and as CommonJS — and
 * type-checked under TypeScript's node10 resolution (`"module": "commonjs"`,
 * NestJS's default).
 */
import { execFile } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = resolve(import.meta.dirname, '../..');
/** What the smoke program and the type check need besides the package: the host's drivers. */
const HOST_PACKAGES = [
  'neverthrow',
  'libphonenumber-js',
  'better-sqlite3',
  'pg',
  'ioredis',
  'nodemailer',
  '@electric-sql/pglite',
  '@types',
];

let checkout = '';
let project = '';
let packed: { filename: string; unpackedSize: number; files: { path: string }[] };

/**
 * A checkout as a publisher has it: the files git tracks (and new ones it
 * does not ignore), as they are in the working tree, without `dist/` or
 * anything else a build leaves; the dependencies linked from this one.
 */
async function cleanCheckout(): Promise<string> {
  const folder = mkdtempSync(join(tmpdir(), 'api-accounts-checkout-'));
  const { stdout } = await run(
    'git',
    ['ls-files', '-z', '--cached', '--others', '--exclude-standard'],
    { cwd: root, maxBuffer: 16 * 1024 * 1024 },
  );
  for (const file of new Set(stdout.split('\0'))) {
    if (file === '' || !existsSync(join(root, file))) continue;
    cpSync(join(root, file), join(folder, file), { recursive: true });
  }
  symlinkSync(join(root, 'node_modules'), join(folder, 'node_modules'));
  return folder;
}

beforeAll(async () => {
  checkout = await cleanCheckout();
  expect(existsSync(join(checkout, 'dist'))).toBe(false);
  project = mkdtempSync(join(tmpdir(), 'api-accounts-installed-'));
  // `npm pack` runs `prepack`, which builds: what `npm publish` does too.
  const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', project], {
    cwd: checkout,
    maxBuffer: 16 * 1024 * 1024,
  });
  // The build's own output comes first, on the same stream; the JSON report is last.
  packed = JSON.parse(stdout.slice(stdout.search(/^\[$/m)))[0];
  const installed = join(project, 'node_modules/api-accounts');
  mkdirSync(installed, { recursive: true });
  await run('tar', [
    '-xzf',
    join(project, packed.filename),
    '-C',
    installed,
    '--strip-components=1',
  ]);
  for (const name of HOST_PACKAGES) {
    mkdirSync(join(project, 'node_modules', name, '..'), { recursive: true });
    symlinkSync(join(root, 'node_modules', name), join(project, 'node_modules', name));
  }
  writeFileSync(join(project, 'package.json'), '{ "name": "a-host", "private": true }\n');
}, 240_000);

afterAll(() => {
  for (const folder of [project, checkout]) {
    if (folder) rmSync(folder, { recursive: true, force: true });
  }
});

describe('the packed package', () => {
  it('holds the build, the migrations as SQL, the licence and the docs, without source maps', () => {
    const paths = packed.files.map((file) => file.path);
    for (const wanted of [
      'LICENSE',
      'README.md',
      'CHANGELOG.md',
      'package.json',
      'dist/index.cjs',
      'migrations/sqlite/0001.sql',
      'migrations/postgres/0002.sql',
      'migrations/postgres/0003.sql',
    ]) {
      expect(paths).toContain(wanted);
    }
    expect(paths.filter((path) => path.endsWith('.map'))).toEqual([]);
    expect(
      paths.filter(
        (path) =>
          !/^(dist\/|migrations\/(sqlite|postgres)\/\d{4}\.sql$|LICENSE$|README\.md$|CHANGELOG\.md$|package\.json$)/.test(
            path,
          ),
      ),
    ).toEqual([]);
    // 1.62 MB with tenants, quotas, telemetry and api-accounts/secret-scanning (ESM, CJS and the types of each): a
    // budget that catches source maps or a bundled dependency, not a subpath's few kilobytes.
    expect(packed.unpackedSize).toBeLessThan(1_700_000);
  });

  it("links its README only to places that exist from the registry's page", () => {
    const readme = readFileSync(join(project, 'node_modules/api-accounts/README.md'), 'utf8');
    const prose = readme.replace(/```[\s\S]*?```/g, '');
    const targets = [...prose.matchAll(/\]\(([^)\s]+)\)/g)].map((match) => match[1] ?? '');
    const slugs = [...prose.matchAll(/^#+ (.+)$/gm)].map((match) =>
      (match[1] ?? '')
        .toLowerCase()
        .replace(/[^\p{L}\p{N} _-]/gu, '')
        .replace(/ /g, '-'),
    );
    const repository =
      /^https:\/\/(?:github\.com\/api-accounts\/api-accounts\/(?:blob|tree)\/main|raw\.githubusercontent\.com\/api-accounts\/api-accounts\/main)\/(.+)$/;
    expect(targets.length).toBeGreaterThan(10);
    for (const target of targets) {
      if (target.startsWith('#')) {
        expect(slugs, target).toContain(target.slice(1));
        continue;
      }
      expect(target, 'a relative link breaks on the registry page').toMatch(/^https:\/\//);
      const inRepository = repository.exec(target);
      // What the README links to in this repository is there, in the checkout it was packed from.
      if (inRepository)
        expect(existsSync(join(checkout, inRepository[1] ?? '')), target).toBe(true);
    }
  });

  for (const mode of ['esm', 'cjs'] as const) {
    it(`works from a fresh project, every subpath as ${mode === 'esm' ? 'ESM (import)' : 'CommonJS (require)'}`, async () => {
      const { stdout } = await run('node', [join(root, 'test/package/smoke.mjs'), mode], {
        cwd: project,
        env: process.env,
      });
      const passed = stdout.trim().split('\n');
      expect(passed).toEqual([
        'ok api-accounts: create, claim, bearer and signed verification in memory',
        'ok api-accounts/testing: a contract suite runs against the in-memory store',
        'ok api-accounts/sqlite: migrate, then the whole lifecycle',
        'ok api-accounts/postgres: migrate, then the whole lifecycle',
        'ok api-accounts/middleware: fetchAuth lets a key through and refuses another',
        'ok api-accounts/nodemailer: a dropped connection is retried, then delivered',
        'ok api-accounts/sms: a gateway answering 503 is retried, then delivered',
        'ok api-accounts/claim-page: the link moves into a cookie',
        'ok api-accounts/admin-api: creates an account and serves its OpenAPI document',
        'ok api-accounts/secret-scanning: a leaked key reported with its pattern stops; an unsigned report is refused',
        'ok api-accounts/errors and api-accounts/ports: type-only modules that load',
        'ok one copy of each class across entry points',
      ]);
    }, 60_000);
  }

  describe.skipIf(!process.env['REDIS_URL'])('against the Redis at REDIS_URL', () => {
    for (const mode of ['esm', 'cjs'] as const) {
      it(`api-accounts/redis works from a fresh project as ${mode}`, async () => {
        const { stdout } = await run(
          'node',
          [join(root, 'test/package/smoke.mjs'), mode, 'redis'],
          {
            cwd: project,
            env: process.env,
          },
        );
        expect(stdout.trim()).toBe(
          'ok api-accounts/redis: an invalidation bus publishes and subscribes',
        );
      });
    }
  });

  // The checks above ran without @opentelemetry/api (telemetry off by itself); with it installed:
  for (const mode of ['esm', 'cjs'] as const) {
    it(`reports spans through @opentelemetry/api once the host installs it, as ${mode}`, async () => {
      const scope = join(project, 'node_modules/@opentelemetry');
      symlinkSync(join(root, 'node_modules/@opentelemetry'), scope);
      try {
        const { stdout } = await run(
          'node',
          [join(root, 'test/package/smoke.mjs'), mode, 'telemetry'],
          { cwd: project, env: process.env },
        ).catch((failed: { stderr?: string }) => {
          throw new Error(`the smoke check failed:\n${failed.stderr ?? String(failed)}`);
        });
        expect(stdout.trim()).toBe(
          'ok telemetry: with @opentelemetry/api installed, spans reach the provider the host registers',
        );
      } finally {
        rmSync(scope);
      }
    }, 60_000);
  }

  it('declares the api-accounts command, which runs from the unpacked package', async () => {
    const installed = join(project, 'node_modules/api-accounts');
    const manifest = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as {
      bin: Record<string, string>;
    };
    const bin = join(installed, manifest.bin['api-accounts'] ?? '');
    expect(readFileSync(bin, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
    const help = await run('node', [bin, '--help'], { cwd: project });
    expect(help.stdout).toContain('Usage: api-accounts <command>');
    const refused = await run('node', [bin, 'list'], { cwd: project }).catch(
      (error: { code: number; stderr: string }) => error,
    );
    expect(refused).toMatchObject({ code: 2 });
    expect((refused as { stderr: string }).stderr).toContain('api-accounts.config');
  });

  it('type-checks every subpath under "module": "commonjs" (node10 resolution)', async () => {
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          module: 'commonjs',
          target: 'es2022',
          strict: true,
          noEmit: true,
          skipLibCheck: false,
          types: ['node'],
        },
        files: ['host.ts'],
      }),
    );
    writeFileSync(
      join(project, 'host.ts'),
      [
        "import { ApiAccountManager, inMemoryPorts, type Principal } from 'api-accounts';",
        "import type { ResultAsync } from 'neverthrow';",
        "import { latestClaim } from 'api-accounts/testing';",
        "import { sqliteStore } from 'api-accounts/sqlite';",
        "import { postgresStore } from 'api-accounts/postgres';",
        "import { redisInvalidations } from 'api-accounts/redis';",
        "import { expressAuth } from 'api-accounts/middleware';",
        "import { nodemailerEmail } from 'api-accounts/nodemailer';",
        "import { twilioSms } from 'api-accounts/sms';",
        "import { claimPage } from 'api-accounts/claim-page';",
        "import { adminApi } from 'api-accounts/admin-api';",
        "import { githubSecretScanning } from 'api-accounts/secret-scanning';",
        "import type { InvalidKey } from 'api-accounts/errors';",
        "import type { AccountRecord } from 'api-accounts/ports';",
        'export type Used = [InvalidKey, AccountRecord];',
        'const manager = new ApiAccountManager({ ...inMemoryPorts(), claimUrl: (t: string) => t });',
        'const principal: ResultAsync<Principal, { type: string }> = manager.verifyApiKey("x");',
        'export const used = [latestClaim, sqliteStore, postgresStore, redisInvalidations, expressAuth, nodemailerEmail, twilioSms, claimPage, adminApi, githubSecretScanning, principal];',
        '',
      ].join('\n'),
    );
    const tsc = join(root, 'node_modules/typescript/bin/tsc');
    const result = await run('node', [tsc, '-p', project], { cwd: project }).catch(
      (error: { stdout: string }) => error,
    );
    expect(result.stdout).toBe('');
  }, 60_000);
});
