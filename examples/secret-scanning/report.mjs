#!/usr/bin/env node
// Posts a leak report to a receiver the way GitHub's secret scanning does: a
// JSON array of findings, signed with ECDSA P-256 over the exact bytes, the
// key named by Github-Public-Key-Identifier. For trying a receiver before
// GitHub sends real ones (docs/secret-scanning.md).
//
//   node examples/secret-scanning/report.mjs <key> [url where it was found]
//
// BASE_URL     the box office (default http://localhost:3000, the demo); posts to
//              $BASE_URL/github/secret-scanning
// SIGNING_KEY  a PEM file holding the private key (default the demo's stand-in,
//              $DEMO_SECRETS_DIR or ~/.config/api-accounts-demo/secret-scanning-test-key.pem)
// KEY_ID       the identifier the receiver knows that key by (default the demo's)
import { sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

const [token, url = 'https://github.com/octocat/hello-world/blob/main/.env'] =
  process.argv.slice(2);
if (!token) {
  console.error('Usage: node examples/secret-scanning/report.mjs <key> [url]');
  process.exit(2);
}
const secretsDir = process.env.DEMO_SECRETS_DIR ?? join(homedir(), '.config', 'api-accounts-demo');
const privateKey = readFileSync(
  process.env.SIGNING_KEY ?? join(secretsDir, 'secret-scanning-test-key.pem'),
  'utf8',
);
const body = JSON.stringify([{ token, type: 'api_accounts_key', url, source: 'content' }]);
const signature = sign('sha256', Buffer.from(body), privateKey).toString('base64');
const response = await fetch(
  `${process.env.BASE_URL ?? 'http://localhost:3000'}/github/secret-scanning`,
  {
    method: 'POST',
    body,
    headers: {
      'content-type': 'application/json',
      'github-public-key-identifier': process.env.KEY_ID ?? 'api-accounts-demo-test-key',
      'github-public-key-signature': signature,
    },
  },
);
console.log(response.status, await response.text());
process.exit(response.ok ? 0 : 1);
