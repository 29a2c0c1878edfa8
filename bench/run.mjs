// Runs every benchmark against the built package (dist/), one process each, in order.
// Usage: npm run bench [-- name…]   e.g. npm run bench -- verify-memory http
import { spawnSync } from 'node:child_process';

const all = [
  'verify-memory',
  'verify-storage',
  'rate-limit',
  'list-paging',
  'signer-timing',
  'tenants',
  'secret-scanning',
  'telemetry',
  'http',
  'peer',
];
const chosen = process.argv.slice(2).length > 0 ? process.argv.slice(2) : all;
for (const name of chosen) {
  const run = spawnSync('npx', ['tsx', `bench/${name}.ts`], {
    stdio: 'inherit',
    env: { ...process.env, TSX_TSCONFIG_PATH: 'bench/tsconfig.json' },
  });
  if (run.status !== 0) process.exit(run.status ?? 1);
}
