import { randomBytes } from 'node:crypto';
import { sqliteStore } from 'api-accounts/sqlite';
import { settableClock } from 'api-accounts/testing';
import Database from 'better-sqlite3';
import { createDemoApp } from '../../examples/demo/app.js';

/** The demo app on an in-memory SQLite file, with its manager, inbox and settable clock. */
export async function startDemoApp() {
  const store = sqliteStore(new Database(':memory:'));
  await store.migrate();
  const clock = settableClock();
  const app = createDemoApp({
    store,
    clock,
    sealingKey: randomBytes(32),
    origin: () => 'http://localhost:3000',
  });
  return { ...app, clock };
}

/** The demo app, called as a browser would at localhost:3000. */
export async function startDemo() {
  const app = await startDemoApp();
  return (path: string, init: RequestInit = {}) =>
    app.fetch(new Request(`http://localhost:3000${path}`, init));
}
