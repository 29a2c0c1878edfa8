import { metrics, trace } from '@opentelemetry/api';
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  type MetricData,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { inMemoryPorts, signRequest } from 'api-accounts';
import { afterEach, describe, expect, it } from 'vitest';
import { accountInput, accountWithKey, admin, clerk, freshSealer, world } from '../helpers.js';

/** An OpenTelemetry SDK that keeps what it records in memory. */
function sdk() {
  const spans = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({
    spanProcessors: [new SimpleSpanProcessor(spans)],
  });
  const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 60_000 });
  const meterProvider = new MeterProvider({ readers: [reader] });
  return {
    tracerProvider,
    meterProvider,
    telemetry: {
      tracer: tracerProvider.getTracer('test'),
      meter: meterProvider.getMeter('test'),
    },
    spans: (): ReadableSpan[] => spans.getFinishedSpans(),
    async metrics(): Promise<Map<string, MetricData>> {
      await reader.forceFlush();
      const found = new Map<string, MetricData>();
      for (const resource of exporter.getMetrics()) {
        for (const scope of resource.scopeMetrics) {
          for (const metric of scope.metrics) found.set(metric.descriptor.name, metric);
        }
      }
      return found;
    },
  };
}

/** Every data point of a metric as `{ attributes, value }`. */
function points(metric: MetricData | undefined) {
  return (metric?.dataPoints ?? []).map((point) => ({
    attributes: point.attributes,
    value: point.value as number | { count: number },
  }));
}

afterEach(() => {
  trace.disable();
  metrics.disable();
});

describe('telemetry (SPEC section 11)', () => {
  it('records a span per verification with scheme, outcome, reason, account, tenant and cache', async () => {
    const otel = sdk();
    const w = world({
      telemetry: otel.telemetry,
      verifyCache: { ttlMs: 60_000, singleInstance: true },
    });
    const { id, apiKey } = await accountWithKey(w);
    await w.manager.verifyApiKey(apiKey);
    await w.manager.verifyApiKey(apiKey);
    await w.manager.verifyApiKey('not a key at all');
    const verifications = otel.spans().filter((span) => span.name === 'api_accounts.verify');
    expect(verifications.map((span) => span.attributes)).toEqual([
      {
        'api_accounts.scheme': 'bearer',
        'api_accounts.outcome': 'accepted',
        'api_accounts.account_id': id,
        'api_accounts.tenant': 'default',
        'api_accounts.cache': 'miss',
      },
      {
        'api_accounts.scheme': 'bearer',
        'api_accounts.outcome': 'accepted',
        'api_accounts.account_id': id,
        'api_accounts.tenant': 'default',
        'api_accounts.cache': 'hit',
      },
      {
        'api_accounts.scheme': 'bearer',
        'api_accounts.outcome': 'refused',
        'api_accounts.reason': 'malformed_key',
      },
    ]);
    // A refusal is an answer, not a failure of the system: the span's status stays unset.
    expect(verifications.map((span) => span.status.code)).toEqual([0, 0, 0]);
  });

  it('counts verifications by scheme, outcome and reason, and times them in seconds', async () => {
    const otel = sdk();
    const ports = inMemoryPorts();
    const w = world(
      {
        telemetry: otel.telemetry,
        sealer: freshSealer(),
        quota: { limit: 1, period: 'day' },
      },
      ports,
    );
    const signer = await accountWithKey(w);
    await w.manager.verifyApiKey(signer.apiKey);
    await w.manager.verifyApiKey(signer.apiKey);
    const request = { method: 'GET', url: 'https://box-office.example/api/v3/events' };
    const signed = (
      await signRequest({
        ...request,
        username: signer.username,
        apiKey: signer.apiKey,
        date: ports.clock.now(),
      })
    )._unsafeUnwrap();
    // Signed for another URL than the one it is sent to: a bad signature.
    await w.manager.verifySignedRequest({
      ...request,
      url: `${request.url}?changed`,
      headers: { authorization: signed.authorization, date: signed.date },
    });
    const recorded = await otel.metrics();
    expect(points(recorded.get('api_accounts.verifications'))).toEqual(
      expect.arrayContaining([
        {
          attributes: { 'api_accounts.scheme': 'bearer', 'api_accounts.outcome': 'accepted' },
          value: 1,
        },
        {
          attributes: {
            'api_accounts.scheme': 'bearer',
            'api_accounts.outcome': 'refused',
            'api_accounts.reason': 'quota_exceeded',
          },
          value: 1,
        },
        {
          attributes: {
            'api_accounts.scheme': 'SpektrixAPI3',
            'api_accounts.outcome': 'refused',
            'api_accounts.reason': 'bad_signature',
          },
          value: 1,
        },
      ]),
    );
    const duration = recorded.get('api_accounts.verification.duration');
    expect(duration?.descriptor.unit).toBe('s');
    const counts = points(duration).map((point) => (point.value as { count: number }).count);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(3);
  });

  it('records a span per administrative call, and counts deliveries by channel and outcome', async () => {
    const otel = sdk();
    const failing = {
      send: async () => {
        throw new Error('provider down');
      },
    };
    const w = world({ telemetry: otel.telemetry, sms: failing, delivery: { attempts: 1 } });
    const created = (await w.manager.createAccount(admin, accountInput()))._unsafeUnwrap();
    await w.manager.getAccount(clerk, created.account.id);
    await w.manager.resendClaim(admin, created.account.id);
    const calls = otel
      .spans()
      .filter((span) => span.name !== 'api_accounts.verify')
      .map((span) => ({ name: span.name, attributes: span.attributes }));
    expect(calls[0]).toEqual({
      name: 'api_accounts.createAccount',
      attributes: {
        'api_accounts.outcome': 'accepted',
        'api_accounts.account_id': created.account.id,
        'api_accounts.tenant': 'default',
      },
    });
    expect(calls[1]).toEqual({
      name: 'api_accounts.getAccount',
      attributes: { 'api_accounts.outcome': 'refused', 'api_accounts.reason': 'forbidden' },
    });
    expect(calls[2]?.name).toBe('api_accounts.resendClaim');
    const deliveries = points((await otel.metrics()).get('api_accounts.deliveries'));
    expect(deliveries).toEqual(
      expect.arrayContaining([
        {
          attributes: { 'api_accounts.channel': 'sms', 'api_accounts.outcome': 'failed' },
          value: 2,
        },
        {
          attributes: { 'api_accounts.channel': 'email', 'api_accounts.outcome': 'sent' },
          value: 2,
        },
      ]),
    );
  });

  it('measures the invalidation lag from a change to another instance dropping it', async () => {
    const otel = sdk();
    const ports = inMemoryPorts();
    const cache = { verifyCache: { ttlMs: 60_000 } };
    const a = world(cache, ports);
    const b = world({ ...cache, telemetry: otel.telemetry }, ports);
    const { id, apiKey } = await accountWithKey(a);
    expect((await b.manager.verifyApiKey(apiKey)).isOk()).toBe(true);
    ports.clock.advance(0);
    (await a.manager.deactivateAccount(admin, id))._unsafeUnwrap();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect((await b.manager.verifyApiKey(apiKey))._unsafeUnwrapErr().type).toBe('AccountInactive');
    const lag = (await otel.metrics()).get('api_accounts.invalidation.lag');
    expect(lag?.descriptor.unit).toBe('s');
    const [point] = points(lag);
    expect((point?.value as { count: number } | undefined)?.count).toBeGreaterThanOrEqual(1);
  });

  it('uses the global providers by default, even when the host registers them after the manager', async () => {
    const otel = sdk();
    const w = world();
    trace.setGlobalTracerProvider(otel.tracerProvider);
    metrics.setGlobalMeterProvider(otel.meterProvider);
    const { apiKey } = await accountWithKey(w);
    await w.manager.verifyApiKey(apiKey);
    expect(otel.spans().some((span) => span.name === 'api_accounts.verify')).toBe(true);
    expect((await otel.metrics()).has('api_accounts.verifications')).toBe(true);
  });

  it('records nothing with telemetry: false', async () => {
    const otel = sdk();
    trace.setGlobalTracerProvider(otel.tracerProvider);
    metrics.setGlobalMeterProvider(otel.meterProvider);
    const w = world({ telemetry: false });
    const { apiKey } = await accountWithKey(w);
    await w.manager.verifyApiKey(apiKey);
    expect(otel.spans()).toEqual([]);
    expect((await otel.metrics()).size).toBe(0);
  });

  it('keeps the metrics without spans with tracer: null, and the spans without metrics with meter: null', async () => {
    const otel = sdk();
    const metricsOnly = world({ telemetry: { tracer: null, meter: otel.telemetry.meter } });
    const first = await accountWithKey(metricsOnly);
    await metricsOnly.manager.verifyApiKey(first.apiKey);
    expect(otel.spans()).toEqual([]);
    expect(points((await otel.metrics()).get('api_accounts.verifications'))).toHaveLength(1);
    const other = sdk();
    const spansOnly = world({ telemetry: { tracer: other.telemetry.tracer, meter: null } });
    const second = await accountWithKey(spansOnly);
    await spansOnly.manager.verifyApiKey(second.apiKey);
    expect(other.spans().some((span) => span.name === 'api_accounts.verify')).toBe(true);
    expect((await other.metrics()).size).toBe(0);
  });

  it('marks a span as failed only when the system failed, and counts each refusal of a kind', async () => {
    const otel = sdk();
    const w = world({ telemetry: otel.telemetry });
    const { apiKey } = await accountWithKey(w);
    await w.manager.verifyApiKey('nonsense');
    await w.manager.verifyApiKey('nonsense');
    const broken = world({
      telemetry: otel.telemetry,
      store: { ...w.ports.store, findKeyHolder: async () => Promise.reject(new Error('down')) },
    });
    await broken.manager.verifyApiKey(apiKey);
    const failed = otel
      .spans()
      .filter((span) => span.attributes['api_accounts.reason'] === 'store_unavailable');
    expect(failed.map((span) => span.status)).toEqual([{ code: 2, message: 'StoreUnavailable' }]);
    expect(points((await otel.metrics()).get('api_accounts.verifications'))).toEqual(
      expect.arrayContaining([
        {
          attributes: {
            'api_accounts.scheme': 'bearer',
            'api_accounts.outcome': 'refused',
            'api_accounts.reason': 'malformed_key',
          },
          value: 2,
        },
      ]),
    );
  });

  it('takes the global meter for a part left out, and counts a change dated ahead of the clock as no lag', async () => {
    const otel = sdk();
    metrics.setGlobalMeterProvider(otel.meterProvider);
    const ports = inMemoryPorts();
    const w = world(
      { telemetry: { tracer: otel.telemetry.tracer }, verifyCache: { ttlMs: 60_000 } },
      ports,
    );
    const { id, apiKey } = await accountWithKey(w);
    await w.manager.verifyApiKey(apiKey);
    await ports.store.invalidations?.publish(id, new Date(ports.clock.now().getTime() + 60_000));
    const recorded = await otel.metrics();
    expect(recorded.has('api_accounts.verifications')).toBe(true);
    const [lag] = points(recorded.get('api_accounts.invalidation.lag'));
    // The clock stands still: every change so far, the one dated ahead included, is a lag of 0.
    expect(lag?.value).toMatchObject({ count: 3, sum: 0, min: 0 });
    expect(() => world({ telemetry: null as never })).toThrow(/telemetry must be/);
  });

  it('answers as before when the tracer or meter throws', async () => {
    const broken = {
      tracer: {
        startSpan: () => {
          throw new Error('tracer down');
        },
      },
      meter: {
        createObservableCounter: () => {
          throw new Error('meter down');
        },
        createCounter: () => {
          throw new Error('meter down');
        },
        createHistogram: () => {
          throw new Error('meter down');
        },
      },
    };
    const w = world({ telemetry: broken });
    const { apiKey } = await accountWithKey(w);
    expect((await w.manager.verifyApiKey(apiKey)).isOk()).toBe(true);
    expect(() => world({ telemetry: 'on' as never })).toThrow(/telemetry must be/);
  });

  it('never puts a key, signature, code or token in any attribute', async () => {
    const otel = sdk();
    const ports = inMemoryPorts();
    const w = world(
      {
        telemetry: otel.telemetry,
        sealer: freshSealer(),
        rateLimit: { limit: 2, windowMs: 60_000 },
      },
      ports,
    );
    const created = (await w.manager.createAccount(admin, accountInput()))._unsafeUnwrap();
    const claim = w.lastClaim();
    await w.manager.inspectClaim(claim.token);
    await w.manager.claimApiKey({ token: claim.token, code: '000000' });
    const { apiKey } = (await w.manager.claimApiKey(claim))._unsafeUnwrap();
    const request = { method: 'GET', url: 'https://box-office.example/api/v3/events' };
    const signed = (
      await signRequest({
        ...request,
        username: created.account.username,
        apiKey,
        date: ports.clock.now(),
      })
    )._unsafeUnwrap();
    const signature = signed.authorization.split(':').at(-1) ?? '';
    for (let i = 0; i < 3; i++) {
      await w.manager.verifyApiKey(apiKey);
      await w.manager.verifyApiKey(`${apiKey}x`);
      await w.manager.verifySignedRequest({
        ...request,
        headers: { authorization: signed.authorization, date: signed.date },
      });
    }
    await w.manager.reportLeakedKey(apiKey, { source: 'github' });
    const secrets = [apiKey, signature, claim.token, claim.code].filter((s) => s.length >= 6);
    const values: string[] = [];
    for (const span of otel.spans()) values.push(...Object.values(span.attributes).map(String));
    for (const metric of (await otel.metrics()).values()) {
      for (const point of metric.dataPoints)
        values.push(...Object.values(point.attributes).map(String));
    }
    expect(values.length).toBeGreaterThan(20);
    for (const value of values) {
      for (const secret of secrets) expect(value).not.toContain(secret);
    }
    expect(otel.spans().map((span) => span.name)).toEqual(
      expect.arrayContaining([
        'api_accounts.inspectClaim',
        'api_accounts.claimApiKey',
        'api_accounts.reportLeakedKey',
      ]),
    );
  });
});
