/**
 * A small timing harness: each case runs for a fixed time after a warm-up, and
 * reports operations per second. Ratios against a floor measured in the same
 * process are what the benchmarks print, so machine speed cancels out.
 */

export interface Measurement {
  readonly name: string;
  readonly opsPerSecond: number;
  readonly operations: number;
}

/** Runs `operation` back to back (awaiting each) for `seconds`, after a warm-up of a quarter of that. */
export async function measure(
  name: string,
  operation: (i: number) => unknown,
  seconds = Number(process.env['BENCH_SECONDS'] ?? 2),
): Promise<Measurement> {
  const run = async (ms: number) => {
    let operations = 0;
    const started = performance.now();
    let elapsed = 0;
    let yieldedAt = 0;
    while (elapsed < ms) {
      // A server turns its event loop between requests; so does this, every 50 ms, so that
      // timers (the cache's catch-up from the change feed among them) run as they would there.
      if (elapsed - yieldedAt > 50) {
        yieldedAt = elapsed;
        await new Promise((resolve) => setImmediate(resolve));
      }
      // Check the clock every 64 operations so that reading it does not dominate fast cases.
      for (let batch = 0; batch < 64; batch++) {
        const result = operation(operations);
        // ResultAsync is a thenable, not a Promise: await anything with a then().
        if (typeof (result as PromiseLike<unknown> | undefined)?.then === 'function') await result;
        operations += 1;
      }
      elapsed = performance.now() - started;
    }
    return { operations, elapsed };
  };
  await run(seconds * 250);
  const { operations, elapsed } = await run(seconds * 1000);
  return { name, operations, opsPerSecond: (operations / elapsed) * 1000 };
}

/**
 * Measures several cases in alternating rounds (a, b, c, a, b, c, …) and keeps
 * each case's median, so that drift in the machine (other load, GC after a
 * bulk load, CPU frequency) affects every case alike.
 */
export async function measureInRounds(
  cases: readonly { readonly name: string; readonly operation: (i: number) => unknown }[],
  rounds = Number(process.env['BENCH_ROUNDS'] ?? 3),
  seconds = Number(process.env['BENCH_SECONDS'] ?? 1),
): Promise<Measurement[]> {
  const results = cases.map(() => [] as Measurement[]);
  for (let round = 0; round < rounds; round++) {
    for (const [i, { name, operation }] of cases.entries()) {
      results[i]?.push(await measure(name, operation, seconds));
    }
  }
  return results.map((list) => {
    const sorted = [...list].sort((a, b) => a.opsPerSecond - b.opsPerSecond);
    return sorted[Math.floor(sorted.length / 2)] as Measurement;
  });
}

/** Prints rows of name, ops/s and ratio to a base, as an aligned table. */
export function printTable(
  title: string,
  rows: readonly { measurement: Measurement; base?: Measurement; target?: string }[],
): void {
  console.log(`\n${title}`);
  const header = ['case', 'ops/s', 'ratio', 'against', 'target'];
  const body = rows.map(({ measurement, base, target }) => [
    measurement.name,
    Math.round(measurement.opsPerSecond).toLocaleString('en-GB'),
    base ? `${(measurement.opsPerSecond / base.opsPerSecond).toFixed(2)} ×` : '',
    base ? base.name : '',
    target ?? '',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === 1 ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0)))
      .join('  ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of body) console.log(line(row));
}
