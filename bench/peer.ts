/**
 * Runs the peer comparison (bench/peers/peer.ts), installing the peer's
 * packages into bench/peers on first use so the project's own install stays lean.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

if (!existsSync('bench/peers/node_modules/better-auth')) {
  console.log('Installing the peer (better-auth) into bench/peers …');
  const install = spawnSync(
    'npm',
    ['install', '--no-audit', '--no-fund', '--prefix', 'bench/peers'],
    { stdio: 'inherit' },
  );
  if (install.status !== 0) process.exit(install.status ?? 1);
}
const run = spawnSync('npx', ['tsx', 'bench/peers/peer.ts'], { stdio: 'inherit' });
process.exit(run.status ?? 1);
