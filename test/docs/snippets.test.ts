/**
 * Every TypeScript snippet of the README and docs/ compiles, as a host's
 * strict project would compile it. Each fenced `ts` block becomes a module;
 * the names snippets use without defining them (`manager`, `admin`, `app`…)
 * are declared once, with the SDK's own types where they are the SDK's, so
 * a wrong option, method or field in a snippet fails here.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { entryPoints } from '../../entry-points.mjs';

const root = join(import.meta.dirname, '../..');
const documents = [
  'README.md',
  ...readdirSync(join(root, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];

interface Snippet {
  readonly file: string;
  /** The line of the fence in the markdown file. */
  readonly line: number;
  readonly code: string;
}

function snippetsOf(file: string): Snippet[] {
  const lines = readFileSync(join(root, file), 'utf8').split('\n');
  const found: Snippet[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!/^```(ts|typescript)\s*$/.test(lines[i] ?? '')) continue;
    const start = i;
    const code: string[] = [];
    for (i += 1; i < lines.length && !(lines[i] ?? '').startsWith('```'); i++)
      code.push(lines[i] ?? '');
    found.push({ file, line: start + 1, code: code.join('\n') });
  }
  return found;
}

/**
 * What snippets use without defining: the host's own objects. SDK objects
 * carry the SDK's types; a framework's app is typed as the framework's.
 */
const AMBIENT = `
import type {
  AccountStore,
  Actor,
  ApiAccount,
  ApiAccountManager,
  EmailSender,
  InMemoryPorts,
  SecretSealer,
  SmsSender,
  UserDirectory,
} from 'api-accounts';
import type { Express, Request as ExpressRequest, Response as ExpressResponse } from 'express';
import type { FastifyInstance } from 'fastify';
import type { Hono } from 'hono';
import type { Redis } from 'ioredis';
import type { Transporter } from 'nodemailer';
import type { Pool } from 'pg';
import type { Meter, Tracer } from '@opentelemetry/api';
declare global {
  /** The host's own OpenTelemetry tracer and meter: the API's types must fit the options. */
  const tracer: Tracer;
  const meter: Meter;
  const manager: ApiAccountManager;
  const admin: Actor;
  const ports: InMemoryPorts;
  const store: AccountStore;
  const sms: SmsSender;
  const email: EmailSender;
  const directory: UserDirectory;
  const claimUrl: (token: string) => string;
  const sealer: SecretSealer;
  const sealingKeyBytes: Uint8Array;
  const pool: Pool;
  const redis: Redis;
  const transport: Transporter;
  const users: { existsWithEmail(email: string): Promise<boolean> };
  const accountSid: string;
  const authToken: string;
  const user: string;
  const pass: string;
  const token: string;
  const code: string;
  const apiKey: string;
  const username: string;
  const id: string;
  const method: string;
  const url: string;
  const headers: Headers;
  const body: string;
  const weekAgo: Date;
  const account: ApiAccount;
  /** The host's Hono app (the snippets that call c.req.raw). */
  const app: Hono;
  const expressApp: Express;
  const fastify: FastifyInstance;
  const log: { warn(...values: unknown[]): void };
  function ipOf(request: Request): string;
  function sessionOf(request: Request): Promise<{ user: Actor } | null>;
  function createOrder(req: ExpressRequest, res: ExpressResponse): void;
  function createMyStore(): AccountStore;
  function freshStore(): Promise<AccountStore>;
}
export {};
`;

describe('documentation snippets', () => {
  const snippets = documents.flatMap(snippetsOf);

  it('has snippets to check', () => {
    expect(snippets.length).toBeGreaterThan(15);
  });

  it('all compile under a strict host tsconfig', async () => {
    const dir = join(root, 'node_modules/.cache/api-accounts-snippets');
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'ambient.d.ts'), AMBIENT);
    const origins: Record<string, Snippet> = {};
    snippets.forEach((snippet, i) => {
      const name = `snippet-${String(i).padStart(2, '0')}.ts`;
      origins[name] = snippet;
      // A module, so that snippets can each declare the same names.
      writeFileSync(join(dir, name), `${snippet.code}\nexport {};\n`);
    });
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          lib: ['ES2022'],
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          skipLibCheck: true,
          noEmit: true,
          types: ['node'],
          paths: Object.fromEntries(
            Object.entries(entryPoints).map(([specifier, source]) => [
              specifier,
              [join(root, source)],
            ]),
          ),
        },
        include: ['*.ts'],
      }),
    );
    const tsc = join(root, 'node_modules/typescript/bin/tsc');
    const result = await promisify(execFile)('node', [tsc, '-p', dir], { cwd: dir }).catch(
      (error: { stdout: string }) => error,
    );
    // Each error where it is in the docs: file:line of the snippet's own line.
    const errors = result.stdout
      .split('\n')
      .filter((line) => /^snippet-\d+\.ts\(/.test(line))
      .map((line) => {
        const [, name, row, message] = /^(snippet-\d+\.ts)\((\d+),\d+\): (.*)$/.exec(line) ?? [];
        const origin = origins[name ?? ''];
        return origin ? `${origin.file}:${origin.line + Number(row)}: ${message}` : line;
      });
    expect(errors).toEqual([]);
    expect(result.stdout).not.toMatch(/error TS/);
  }, 120_000);
});
