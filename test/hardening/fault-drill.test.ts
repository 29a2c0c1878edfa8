import { postgresStore } from 'api-accounts/postgres';
import { sqliteStore } from 'api-accounts/sqlite';
import { inMemoryAccountStore } from 'api-accounts/testing';
import Database from 'better-sqlite3';
import { describe, it } from 'vitest';
import { backendName, openBackend } from '../adapters/postgres/backend.js';
import { type DrillStore, runFaultDrill, stats } from './fault-model.js';

/** Runs the drill and prints what it did, for the record. */
async function drill(name: string, makeStore: () => Promise<DrillStore>, numRuns: number) {
  const before = { ...stats };
  const started = performance.now();
  await runFaultDrill(makeStore, numRuns);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  process.stderr.write(
    `fault drill on ${name}: ${stats.runs - before.runs} sequences, ${stats.commands - before.commands} commands, ${stats.faults - before.faults} injected faults, ${seconds} s\n`,
  );
}

describe('the lifecycle under injected faults (model-based)', () => {
  it('keeps every invariant on the in-memory store', async () => {
    await drill(
      'memory',
      async () => ({ store: inMemoryAccountStore(), close: async () => undefined }),
      500,
    );
  }, 120_000);

  it('keeps every invariant on SQLite', async () => {
    await drill(
      'SQLite',
      async () => {
        const store = sqliteStore(new Database(':memory:'));
        await store.migrate();
        return { store, close: async () => store.close() };
      },
      200,
    );
  }, 120_000);

  it(`keeps every invariant on PostgreSQL (${backendName})`, async () => {
    const backend = await openBackend();
    let run = 0;
    try {
      await drill(
        `PostgreSQL (${backendName})`,
        async () => {
          run += 1;
          const store = postgresStore(backend.pool, {
            ...backend.options,
            tablePrefix: `drill${run}_`,
          });
          await store.migrate();
          return { store, close: () => store.close() };
        },
        60,
      );
    } finally {
      await backend.close();
    }
  }, 300_000);
});
