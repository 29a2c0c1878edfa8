/**
 * A flood of distinct unknown keys — what an attacker guessing keys sends —
 * must not grow the process without bound: the negative cache is an LRU.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { inMemoryPorts } from 'api-accounts';
import { describe, expect, it } from 'vitest';
import { VerificationCache } from '../../src/core/verification/verdict-cache.js';
import { world } from '../helpers.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function heapAfterGc(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

/** The nth of a million distinct, well-formed base64 keys that no account holds. */
function unknownKey(n: number, buffer: Buffer): string {
  buffer.writeUInt32BE(n, 0);
  return buffer.toString('base64');
}

describe('memory under a flood of unknown keys', () => {
  it('verifies 1,000,000 distinct unknown keys with the heap bounded by the cache size', async () => {
    const maxEntries = 10_000;
    const ports = inMemoryPorts();
    // A counter, not a spy: a spy would keep a million arguments alive itself.
    let lookups = 0;
    const findKeyHolder = ports.store.findKeyHolder.bind(ports.store);
    const store = Object.assign(Object.create(ports.store) as typeof ports.store, {
      findKeyHolder: (digest: string) => {
        lookups += 1;
        return findKeyHolder(digest);
      },
    });
    const w = world({ store, verifyCache: { ttlMs: 60_000, maxEntries } }, ports);
    const buffer = Buffer.alloc(32, 7);
    // Warm up the code paths and fill the cache, then measure from a settled heap.
    for (let n = 0; n < 2 * maxEntries; n++) await w.manager.verifyApiKey(unknownKey(n, buffer));
    const before = heapAfterGc();
    let refused = 0;
    for (let n = 0; n < 1_000_000; n++) {
      const result = await w.manager.verifyApiKey(unknownKey(n, buffer));
      if (result.isErr() && result.error.type === 'InvalidKey') refused += 1;
    }
    const grown = heapAfterGc() - before;
    process.stderr.write(
      `1,000,000 unknown keys: heap grew ${(grown / 1024 / 1024).toFixed(1)} MB\n`,
    );
    expect(refused).toBe(1_000_000);
    // Unbounded, a million cached verdicts would take well over 100 MB.
    expect(grown).toBeLessThan(32 * 1024 * 1024);
    // The cache kept only the newest verdicts: the oldest keys go back to the store.
    // (First a turn of the event loop, which the loop above never gave: the cache
    // answers only within 1.5 s of its last catch-up from the store's change feed.)
    await new Promise((resolve) => setTimeout(resolve, 600));
    lookups = 0;
    for (let n = 0; n < 100; n++) await w.manager.verifyApiKey(unknownKey(n, buffer));
    expect(lookups).toBe(100);
    lookups = 0;
    for (let n = 999_900; n < 1_000_000; n++) await w.manager.verifyApiKey(unknownKey(n, buffer));
    expect(lookups).toBe(0);
  }, 120_000);

  it('keeps the cache itself at maxEntries', () => {
    const cache = new VerificationCache({ ttlMs: 60_000, maxEntries: 1_000 });
    for (let n = 0; n < 100_000; n++)
      cache.remember(`digest-${n}`, { kind: 'unknown' }, 0, cache.generation);
    expect(cache.size).toBe(1_000);
  });
});
