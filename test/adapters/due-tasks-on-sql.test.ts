/**
 * runDueTasks from five instances at once, each with its own connection to
 * one database: the store decides atomically which instance applies (and
 * sends) each reminder, so every due reminder goes out exactly once.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type AccountStore,
  type Actor,
  ApiAccountManager,
  inMemoryPorts,
  SETTINGS_ADMINISTRATOR,
} from 'api-accounts';
import { postgresStore } from 'api-accounts/postgres';
import { sqliteStore } from 'api-accounts/sqlite';
import { latestClaim } from 'api-accounts/testing';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { type Backend, backendName, openBackend } from './postgres/backend.js';

const admin: Actor = { id: 'admin-1', roles: [SETTINGS_ADMINISTRATOR] };
const DAY = 24 * 3_600_000;
const INSTANCES = 5;
const ACCOUNTS = 4;

async function runConcurrently(stores: readonly AccountStore[]) {
  const ports = inMemoryPorts();
  const managers = stores.map(
    (store) =>
      new ApiAccountManager({
        ...ports,
        store,
        claimUrl: (token) => `https://box-office.example/claim?token=${token}`,
        keyLifetime: { ms: 365 * DAY, reminders: [30 * DAY] },
      }),
  );
  const [first] = managers;
  if (!first) throw new Error('no instance');
  const ids: string[] = [];
  for (let i = 0; i < ACCOUNTS; i++) {
    const created = (
      await first.createAccount(admin, {
        username: `Partner ${i}`,
        email: `dev${i}@partner.example`,
        phone: '+447894123456',
      })
    )._unsafeUnwrap();
    (await first.claimApiKey(latestClaim(ports)))._unsafeUnwrap();
    ids.push(created.account.id);
  }
  const before = ports.email.sent.length;
  ports.clock.advance(340 * DAY);
  const runs = await Promise.all(managers.map((manager) => manager.runDueTasks()));
  const sent = runs.reduce((sum, run) => sum + run._unsafeUnwrap().remindersSent, 0);
  const reminders = await Promise.all(
    ids.map(async (id) =>
      (await first.accountHistory(admin, id))
        ._unsafeUnwrap()
        .items.filter((event) => event.type === 'key.reminder_sent'),
    ),
  );
  await Promise.all(managers.map((manager) => manager.close()));
  return { sent, emails: ports.email.sent.length - before, reminders };
}

describe('runDueTasks on SQLite: five processes sharing one file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'api-accounts-due-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it(`sends each of ${ACCOUNTS} due reminders exactly once`, async () => {
    const file = join(dir, 'due.db');
    const connections = Array.from({ length: INSTANCES }, () => {
      const db = new Database(file);
      db.pragma('journal_mode = WAL');
      db.pragma('busy_timeout = 5000');
      return db;
    });
    const stores = connections.map((db) => sqliteStore(db));
    for (const store of stores) await store.migrate();
    const { sent, emails, reminders } = await runConcurrently(stores);
    expect(sent).toBe(ACCOUNTS);
    expect(emails).toBe(ACCOUNTS);
    for (const events of reminders) expect(events).toHaveLength(1);
    for (const db of connections) db.close();
  });
});

describe(`runDueTasks on PostgreSQL (${backendName}): five instances`, () => {
  let backend: Backend;
  afterAll(async () => {
    await backend?.close();
  });

  it(`sends each of ${ACCOUNTS} due reminders exactly once`, async () => {
    backend = await openBackend();
    const stores = Array.from({ length: INSTANCES }, () =>
      postgresStore(backend.secondPool ? backend.secondPool() : backend.pool, backend.options),
    );
    for (const store of stores) await store.migrate();
    const { sent, emails, reminders } = await runConcurrently(stores);
    expect(sent).toBe(ACCOUNTS);
    expect(emails).toBe(ACCOUNTS);
    for (const events of reminders) expect(events).toHaveLength(1);
    await Promise.all(stores.map((store) => store.close()));
  });
});
