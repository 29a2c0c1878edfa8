/**
 * The demo box office keeps its secrets as a careful host would: the inbox
 * behind sign-in, no page framable, the sealing key and database owner-only.
 */

import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { databaseFile, loadSealingKey } from '../../examples/demo/files.js';
import { startDemo } from './demo-app.js';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'aa-demo-'));
  dirs.push(dir);
  return dir;
};

const demo = startDemo;

describe('the demo', () => {
  it('shows the dev inbox only to someone signed in', async () => {
    const get = await demo();
    const anonymous = await get('/dev/inbox');
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.get('location')).toBe('/sign-in');
    const signedIn = await get('/dev/inbox', { headers: { cookie: 'demo_user=sam' } });
    expect(signedIn.status).toBe(200);
  });

  it('lets no page be framed', async () => {
    const get = await demo();
    for (const path of ['/sign-in', '/settings/api-accounts', '/dev/inbox']) {
      const response = await get(path, { headers: { cookie: 'demo_user=sam' } });
      expect(response.headers.get('content-security-policy'), path).toContain(
        "frame-ancestors 'none'",
      );
      expect(response.headers.get('x-frame-options'), path).toBe('DENY');
    }
  });

  it('makes the sealing key owner-only, and refuses one others may read', () => {
    const secrets = join(tempDir(), 'secrets');
    const key = loadSealingKey(secrets, '');
    expect(key).toHaveLength(32);
    expect(statSync(join(secrets, 'sealing-key')).mode & 0o777).toBe(0o600);
    expect(loadSealingKey(secrets, '')).toEqual(key);
    chmodSync(join(secrets, 'sealing-key'), 0o644);
    expect(() => loadSealingKey(secrets, '')).toThrow(/may be read by others/);
    expect(loadSealingKey(secrets, randomBytes(32).toString('base64'))).toHaveLength(32);
    expect(() => loadSealingKey(secrets, 'c2hvcnQ=')).toThrow(/32 bytes/);
  });

  it('creates the database owner-only, and tightens one an earlier run left open', () => {
    const data = tempDir();
    expect(statSync(databaseFile(data)).mode & 0o777).toBe(0o600);
    const open = tempDir();
    writeFileSync(join(open, 'api-accounts.db'), '', { mode: 0o644 });
    chmodSync(join(open, 'api-accounts.db'), 0o644);
    expect(statSync(databaseFile(open)).mode & 0o777).toBe(0o600);
  });
});
