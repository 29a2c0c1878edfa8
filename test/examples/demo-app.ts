import { randomBytes } from 'node:crypto';
import { sqliteStore } from 'api-accounts/sqlite';
import { settableClock } from 'api-accounts/testing';
import Database from 'better-sqlite3';
import { createDemoApp } from '../../examples/demo/app.js';

/** The demo app on an in-memory SQLite file, called as a browser would at localhost:3000. */
export async function startDemo() {
  const store = sqliteStore(new Database(':memory:'));
  await store.migrate();
  const app = createDemoApp({
    store,
    clock: settableClock(),
    sealingKey: randomBytes(32),
    origin: () => 'http://localhost:3000',
  });
  return (path: string, init: RequestInit = {}) =>
    app.fetch(new Request(`http://localhost:3000${path}`, init));
}
