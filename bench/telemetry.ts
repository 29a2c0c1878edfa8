/**
 * What OpenTelemetry costs verification (SPEC section 11), bearer keys over
 * 10,000 accounts, cached and uncached. The floor is `telemetry: false`,
 * which is also what a host without `@opentelemetry/api` runs (the SDK then
 * finds nothing to load, and takes the same path). Against it:
 *
 * - the global API installed but no SDK registered (no-op tracer and meter);
 * - the OpenTelemetry SDK with an exporter that drops every span and a
 *   metric reader nobody reads, spans batched as in production (target ≥ 0.85 × cached);
 * - the same with a ratio sampler recording 1 % of traces, and with metrics
 *   only (`tracer: null`);
 * - with `BENCH_BEFORE=<path to an earlier build's dist/index.js>`, that
 *   build too, measured in the same rounds: telemetry absent against the
 *   code before telemetry (target ≥ 0.97 ×).
 *
 * Part of `npm run bench`, which runs against the built package (dist/).
 */
import { pathToFileURL } from 'node:url';
import { trace } from '@opentelemetry/api';
import { ApiAccountManager, inMemoryPorts } from 'api-accounts';
import { seedKeyedAccounts } from './accounts.js';
import { type Measurement, measureInRounds, printTable } from './harness.js';
import { droppingSdk } from './otel-sdk.js';

const ACCOUNTS = 10_000;
const ports = inMemoryPorts();
const keys = await seedKeyedAccounts(ports, ACCOUNTS);
const key = (i: number) => keys[i % ACCOUNTS] ?? '';

const { tracerProvider, meterProvider } = droppingSdk();
const sdk = {
  tracer: tracerProvider.getTracer('bench'),
  meter: meterProvider.getMeter('bench'),
};
// What a host verifying at volume runs: a ratio sampler recording 1 % of traces.
const sampledSdk = droppingSdk(0.01);
const sampled = {
  tracer: sampledSdk.tracerProvider.getTracer('bench'),
  meter: sampledSdk.meterProvider.getMeter('bench'),
};

type Options = ConstructorParameters<typeof ApiAccountManager>[0];
type Made = { verifyApiKey(key: string): unknown };
const make = (Manager: new (options: Options) => Made, cached: boolean, extra: Partial<Options>) =>
  new Manager({
    ...ports,
    claimUrl: (t: string) => t,
    ...(cached
      ? { verifyCache: { ttlMs: 600_000, maxEntries: 100_000, singleInstance: true } }
      : {}),
    ...extra,
  } as Options);

const before = process.env['BENCH_BEFORE']
  ? ((await import(pathToFileURL(process.env['BENCH_BEFORE']).href)) as {
      ApiAccountManager: new (options: Options) => Made;
    })
  : null;

for (const cached of [true, false]) {
  const managers = {
    off: make(ApiAccountManager, cached, { telemetry: false }),
    noop: make(ApiAccountManager, cached, {}),
    sdk: make(ApiAccountManager, cached, { telemetry: sdk }),
    sampled: make(ApiAccountManager, cached, { telemetry: sampled }),
    metricsOnly: make(ApiAccountManager, cached, { telemetry: { tracer: null, meter: sdk.meter } }),
    ...(before
      ? {
          before: make(before.ApiAccountManager, cached, {}),
          // The same build twice: how far apart two identical cases land in this run.
          control: make(before.ApiAccountManager, cached, {}),
        }
      : {}),
  };
  await new Promise((resolve) => setTimeout(resolve, 10));
  for (const k of keys)
    for (const manager of Object.values(managers)) await manager.verifyApiKey(k);
  const cases = [
    {
      name: 'telemetry: false (or no @opentelemetry/api)',
      operation: (i: number) => managers.off.verifyApiKey(key(i)),
    },
    {
      name: 'global API, no SDK registered',
      operation: (i: number) => managers.noop.verifyApiKey(key(i)),
    },
    {
      name: 'SDK, spans dropped, metrics aggregated',
      operation: (i: number) => managers.sdk.verifyApiKey(key(i)),
    },
    {
      name: 'SDK, 1 % of traces sampled',
      operation: (i: number) => managers.sampled.verifyApiKey(key(i)),
    },
    {
      name: 'SDK metrics, no spans (tracer: null)',
      operation: (i: number) => managers.metricsOnly.verifyApiKey(key(i)),
    },
    ...(managers.before && managers.control
      ? [
          {
            name: 'the build before telemetry',
            operation: (i: number) => managers.before?.verifyApiKey(key(i)),
          },
          {
            name: 'the same build again (control)',
            operation: (i: number) => managers.control?.verifyApiKey(key(i)),
          },
        ]
      : []),
  ];
  const [off, noop, withSdk, withSampling, metricsOnly, old, control] = (await measureInRounds(
    cases,
  )) as [
    Measurement,
    Measurement,
    Measurement,
    Measurement,
    Measurement,
    Measurement | undefined,
    Measurement | undefined,
  ];
  printTable(
    `Telemetry, verifyApiKey ${cached ? 'cached' : 'uncached'}, ${ACCOUNTS.toLocaleString('en-GB')} accounts`,
    [
      ...(old && control
        ? [
            { measurement: old },
            { measurement: control, base: old },
            { measurement: off, base: old, target: '≥ 0.97 ×' },
          ]
        : [{ measurement: off }]),
      { measurement: noop, base: off },
      { measurement: withSdk, base: off, target: cached ? '≥ 0.85 ×' : '' },
      { measurement: withSampling, base: off },
      { measurement: metricsOnly, base: off },
    ],
  );
}
// Where the SDK's cost comes from: its own span, started and ended with nothing else around it.
const [bare] = (await measureInRounds([
  {
    name: 'a bare SDK span (startSpan, end)',
    operation: () => sdk.tracer.startSpan('api_accounts.verify').end(),
  },
])) as [Measurement];
console.log(
  `\n${bare.name}: ${(1e6 / bare.opsPerSecond).toFixed(2)} µs each (${Math.round(bare.opsPerSecond).toLocaleString('en-GB')}/s)`,
);
// The global API was never given a provider here; the no-op row is what a host without an SDK pays.
trace.disable();
await tracerProvider.shutdown();
await meterProvider.shutdown();
