/**
 * `npm start`: the demo box office on the SQLite store in `.demo/`, with a
 * development inbox. Open the printed URL and sign in as Sam.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { sqliteStore } from 'api-accounts/sqlite';
import Database from 'better-sqlite3';
import { createDemoApp } from './app.js';
import { databaseFile, loadSealingKey, loadSecretScanningTestKey } from './files.js';
import { serve } from './serve.js';
import { startTelemetry } from './telemetry.js';

// Everything the demo writes is for its owner only: the database, its WAL files, the key.
process.umask(0o077);
// Spans and metrics through the global OpenTelemetry providers, as a host would register them.
const telemetry = startTelemetry();
const dir = process.env['DEMO_DIR'] ?? '.demo';
const secretsDir =
  process.env['DEMO_SECRETS_DIR'] ?? join(homedir(), '.config', 'api-accounts-demo');
const sealingKey = loadSealingKey(secretsDir);
const secretScanningKey = loadSecretScanningTestKey(secretsDir);

const store = sqliteStore(new Database(databaseFile(dir)));
await store.migrate();

let origin = '';
const publicBaseUrl = process.env['PUBLIC_BASE_URL'];
const dateWindowMs = process.env['DATE_WINDOW_MS']
  ? Number(process.env['DATE_WINDOW_MS'])
  : undefined;
const demo = createDemoApp({
  store,
  clock: { now: () => new Date() },
  sealingKey,
  origin: () => origin,
  signedRequests: {
    ...(publicBaseUrl ? { publicBaseUrl } : {}),
    ...(dateWindowMs === undefined ? {} : { dateWindowMs }),
  },
  onRefused: (line) => console.log(line),
  // A local stand-in for GitHub's signing keys; a real host leaves publicKeys out (GitHub's own).
  secretScanningKeys: async () => [secretScanningKey],
});
const port = Number(process.env['PORT'] ?? 3000);
const server = await serve(demo.fetch, port);
origin = server.url;
console.log(`api-accounts demo box office: ${server.url}`);
console.log(
  'Sign in as Sam Patel (Settings Administrator), create an API account, then open the Dev inbox.',
);
console.log(`Data lives in ${dir}/ (delete it to start over). Ctrl+C to stop.`);
console.log(`The sealing key lives apart, in ${secretsDir}/ (or give SEALING_KEY).`);
console.log(
  `Leak reports: node examples/secret-scanning/report.mjs <key> posts one, signed, to ${server.url}/github/secret-scanning.`,
);
if (publicBaseUrl)
  console.log(`Partners sign requests against ${publicBaseUrl} (PUBLIC_BASE_URL).`);
console.log(
  `OpenTelemetry spans and metrics go to ${telemetry.destination} (set OTEL_EXPORTER_OTLP_ENDPOINT for a collector).`,
);

const stop = async () => {
  await server.close();
  await telemetry.shutdown();
  store.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
