/**
 * The demo's files, kept as a careful host would keep them: the sealing key
 * in a folder of its own (never beside the database), created owner-only, and
 * refused when anyone else may read it; the database created owner-only.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import {
  chmodSync,
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import type { GitHubPublicKey } from 'api-accounts/secret-scanning';

/** Permission bits that let the group or others in. */
const GROUP_OR_OTHERS = 0o077;

/**
 * The 32-byte sealing key: from `SEALING_KEY` (base64) when set, else from
 * `<secretsDir>/sealing-key`, made on first start. Throws when the file may be
 * read by the group or others.
 */
export function loadSealingKey(secretsDir: string, fromEnv = process.env['SEALING_KEY']): Buffer {
  if (fromEnv) return checkedKey(Buffer.from(fromEnv, 'base64'), 'SEALING_KEY');
  mkdirSync(secretsDir, { recursive: true, mode: 0o700 });
  const file = join(secretsDir, 'sealing-key');
  if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString('base64'), { mode: 0o600 });
  const mode = statSync(file).mode;
  if ((mode & GROUP_OR_OTHERS) !== 0) {
    throw new Error(
      `${file} may be read by others (mode ${(mode & 0o777).toString(8)}): run chmod 600 on it, or move it out of reach`,
    );
  }
  return checkedKey(Buffer.from(readFileSync(file, 'utf8'), 'base64'), file);
}

/**
 * The stand-in for GitHub's secret scanning signing key: an ECDSA P-256 key
 * pair in `<secretsDir>/secret-scanning-test-key.pem`, made on first start.
 * `examples/secret-scanning/report.mjs` signs with its private half; the
 * demo's receiver trusts its public half, as a host trusts GitHub's.
 */
export function loadSecretScanningTestKey(secretsDir: string): GitHubPublicKey {
  mkdirSync(secretsDir, { recursive: true, mode: 0o700 });
  const file = join(secretsDir, 'secret-scanning-test-key.pem');
  if (!existsSync(file)) {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    writeFileSync(file, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  }
  const key = createPublicKey(createPrivateKey(readFileSync(file, 'utf8')))
    .export({ type: 'spki', format: 'pem' })
    .toString();
  return { key_identifier: SECRET_SCANNING_TEST_KEY_ID, key, is_current: true };
}

/** The identifier the stand-in key goes by, in reports and in the receiver's key list. */
export const SECRET_SCANNING_TEST_KEY_ID = 'api-accounts-demo-test-key';

/** The database file, created owner-only (and tightened if an earlier run left it open to others). */
export function databaseFile(dataDir: string): string {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = join(dataDir, 'api-accounts.db');
  closeSync(openSync(file, 'a', 0o600));
  if ((statSync(file).mode & GROUP_OR_OTHERS) !== 0) chmodSync(file, 0o600);
  return file;
}

function checkedKey(key: Buffer, from: string): Buffer {
  if (key.length !== 32) throw new Error(`${from} must hold 32 bytes in base64`);
  return key;
}
