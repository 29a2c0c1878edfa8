/**
 * The OpenTelemetry SDK as a host would run it, minus the network: spans
 * batched (as in production) to an exporter that drops them, and metrics
 * aggregated for a reader nobody asks.
 */
import { metrics, trace } from '@opentelemetry/api';
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  TraceIdRatioBasedSampler,
} from '@opentelemetry/sdk-trace-base';

class IdleReader extends MetricReader {
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

/** `sampled`: the share of traces recorded (a host's ratio sampler); default all. */
export function droppingSdk(sampled = 1) {
  const tracerProvider = new BasicTracerProvider({
    ...(sampled < 1 ? { sampler: new TraceIdRatioBasedSampler(sampled) } : {}),
    spanProcessors: [
      new BatchSpanProcessor(
        { export: (_spans, done) => done({ code: 0 }), shutdown: async () => undefined },
        { maxQueueSize: 65_536, maxExportBatchSize: 4_096, scheduledDelayMillis: 100 },
      ),
    ],
  });
  const meterProvider = new MeterProvider({ readers: [new IdleReader()] });
  return { tracerProvider, meterProvider };
}

/** {@link droppingSdk}, registered as the global providers. */
export function registerDroppingSdk() {
  const sdk = droppingSdk();
  trace.setGlobalTracerProvider(sdk.tracerProvider);
  metrics.setGlobalMeterProvider(sdk.meterProvider);
  return sdk;
}
