/**
 * `npm start`: the demo box office on the SQLite store in `.demo/`, with a
 * development inbox. Open the printed URL and sign in as Sam.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { systemClock } from 'api-accounts';
import { sqliteStore } from 'api-accounts/sqlite';
import Database from 'better-sqlite3';
import { createDemoApp } from './app.js';
import { serve } from './serve.js';

const dir = process.env['DEMO_DIR'] ?? '.demo';
mkdirSync(dir, { recursive: true });
const keyFile = join(dir, 'sealing-key');
if (!existsSync(keyFile))
  writeFileSync(keyFile, randomBytes(32).toString('base64'), { mode: 0o600 });
const sealingKey = Buffer.from(readFileSync(keyFile, 'utf8'), 'base64');

const store = sqliteStore(new Database(join(dir, 'api-accounts.db')));
await store.migrate();

let origin = '';
const demo = createDemoApp({ store, clock: systemClock(), sealingKey, origin: () => origin });
const port = Number(process.env['PORT'] ?? 3000);
const server = await serve(demo.fetch, port);
origin = server.url;
console.log(`api-accounts demo box office: ${server.url}`);
console.log(
  'Sign in as Sam Patel (Settings Administrator), create an API account, then open the Dev inbox.',
);
console.log(`Data lives in ${dir}/ (delete it to start over). Ctrl+C to stop.`);

const stop = async () => {
  await server.close();
  store.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
