/**
 * The demo's OpenTelemetry SDK: over OTLP/HTTP when OTEL_EXPORTER_OTLP_ENDPOINT
 * is set (a collector, Jaeger, Grafana Alloy…), otherwise one line per span
 * and a metrics summary every minute on the console. The SDK's spans and
 * metrics reach it through the global providers, as a host's would.
 */
import { metrics, trace } from '@opentelemetry/api';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import {
  AggregationTemporality,
  MeterProvider,
  type MetricData,
  PeriodicExportingMetricReader,
  type PushMetricExporter,
  type ResourceMetrics,
} from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  type ReadableSpan,
  type SpanExporter,
} from '@opentelemetry/sdk-trace-base';

/** ExportResultCode.SUCCESS of @opentelemetry/core. */
const SUCCESS = 0;

export interface DemoTelemetry {
  /** Where spans and metrics go, for the start-up message. */
  readonly destination: string;
  /** Sends what is buffered. */
  flush(): Promise<void>;
  shutdown(): Promise<void>;
}

export function startTelemetry(
  env: Readonly<Record<string, string | undefined>> = process.env,
  print: (line: string) => void = console.log,
  metricIntervalMs = 60_000,
): DemoTelemetry {
  const endpoint = env['OTEL_EXPORTER_OTLP_ENDPOINT'];
  const otlp = endpoint
    ? { url: (path: string) => `${endpoint.replace(/\/+$/, '')}${path}` }
    : null;
  const tracerProvider = new BasicTracerProvider({
    spanProcessors: [
      new BatchSpanProcessor(
        otlp ? new OTLPTraceExporter({ url: otlp.url('/v1/traces') }) : consoleSpans(print),
        { scheduledDelayMillis: 1_000 },
      ),
    ],
  });
  const reader = new PeriodicExportingMetricReader({
    exporter: otlp
      ? new OTLPMetricExporter({ url: otlp.url('/v1/metrics') })
      : consoleMetrics(print),
    exportIntervalMillis: metricIntervalMs,
  });
  const meterProvider = new MeterProvider({ readers: [reader] });
  trace.setGlobalTracerProvider(tracerProvider);
  metrics.setGlobalMeterProvider(meterProvider);
  return {
    destination: otlp ? `OTLP at ${endpoint}` : 'the console',
    async flush() {
      await Promise.all([tracerProvider.forceFlush(), meterProvider.forceFlush()]);
    },
    async shutdown() {
      await Promise.all([tracerProvider.shutdown(), meterProvider.shutdown()]);
      trace.disable();
      metrics.disable();
    },
  };
}

/** One line per span: its name, outcome, reason and duration. */
function consoleSpans(print: (line: string) => void): SpanExporter {
  return {
    export(spans: ReadableSpan[], done) {
      for (const span of spans) {
        const { attributes } = span;
        const ms = span.duration[0] * 1e3 + span.duration[1] / 1e6;
        const detail = ['scheme', 'outcome', 'reason', 'cache', 'tenant']
          .map((name) => attributes[`api_accounts.${name}`])
          .filter((value) => value !== undefined)
          .join(' ');
        print(`otel span ${span.name} ${detail} ${ms.toFixed(2)} ms`);
      }
      done({ code: SUCCESS });
    },
    async shutdown() {},
  };
}

/** The four metrics summed up: counters by their attributes, histograms as count and mean. */
function consoleMetrics(print: (line: string) => void): PushMetricExporter {
  return {
    export(resource: ResourceMetrics, done) {
      for (const scope of resource.scopeMetrics) {
        for (const metric of scope.metrics) print(describe(metric));
      }
      done({ code: SUCCESS });
    },
    selectAggregationTemporality: () => AggregationTemporality.CUMULATIVE,
    async forceFlush() {},
    async shutdown() {},
  };
}

function describe(metric: MetricData): string {
  const points = metric.dataPoints.map((point) => {
    const labels = Object.values(point.attributes).join(',');
    const value = point.value as number | { count: number; sum?: number };
    const shown =
      typeof value === 'number'
        ? String(value)
        : `${value.count}× mean ${((value.sum ?? 0) / Math.max(1, value.count)).toPrecision(3)}`;
    return `${labels || 'all'}=${shown}`;
  });
  return `otel metric ${metric.descriptor.name} ${points.join(' ')}`;
}
