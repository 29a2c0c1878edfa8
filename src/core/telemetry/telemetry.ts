import { createRequire } from 'node:module';
import type { Principal } from '../principal.js';
import type { Result } from '../result.js';

/** Attributes as OpenTelemetry takes them. */
type Attributes = Readonly<Record<string, string | number | boolean>>;

/**
 * The part of `@opentelemetry/api`'s `Span` the SDK uses: an OpenTelemetry
 * span fits as it is.
 *
 * @example
 * ```ts
 * const span: TelemetrySpan = tracer.startSpan('api_accounts.verify');
 * ```
 */
export interface TelemetrySpan {
  /** `false` for a span that records nothing (sampled out, or no SDK): its attributes are skipped. */
  isRecording?(): boolean;
  /** Sets one attribute: always an id, a tenant or one of the enums SPEC section 11 names. */
  setAttribute(key: string, value: string | number | boolean): unknown;
  /** Marks the span as failed (`code` 2, OpenTelemetry's `ERROR`) when the system failed. */
  setStatus(status: { readonly code: number; readonly message?: string }): unknown;
  /** Ends the span, once the call has its answer. */
  end(): void;
}

/**
 * The part of `@opentelemetry/api`'s `Tracer` the SDK uses: pass
 * `trace.getTracer('api-accounts')` or any tracer of the same shape.
 *
 * @example
 * ```ts
 * const tracer: TelemetryTracer = trace.getTracer('api-accounts');
 * ```
 */
export interface TelemetryTracer {
  /** Starts a span, a child of the active one (the request's, when the host traces its server). */
  startSpan(
    name: string,
    options?: { readonly attributes?: Readonly<Record<string, string | number | boolean>> },
  ): TelemetrySpan;
}

/**
 * The part of `@opentelemetry/api`'s `Meter` the SDK uses: pass
 * `metrics.getMeter('api-accounts')` or any meter of the same shape.
 *
 * @example
 * ```ts
 * const meter: TelemetryMeter = metrics.getMeter('api-accounts');
 * ```
 */
export interface TelemetryMeter {
  /** For `api_accounts.verifications`: counted in the process, reported when the meter collects. */
  createObservableCounter(
    name: string,
    options?: { readonly description?: string; readonly unit?: string },
  ): {
    /** Called at each collection with what to report. */
    addCallback(
      callback: (result: {
        observe(
          value: number,
          attributes?: Readonly<Record<string, string | number | boolean>>,
        ): void;
      }) => void,
    ): void;
  };
  /** For `api_accounts.deliveries`. */
  createCounter(
    name: string,
    options?: { readonly description?: string; readonly unit?: string },
  ): {
    /** Adds to the count. */
    add(value: number, attributes?: Readonly<Record<string, string | number | boolean>>): void;
  };
  /** For `api_accounts.verification.duration` and `api_accounts.invalidation.lag`. */
  createHistogram(
    name: string,
    options?: {
      readonly description?: string;
      readonly unit?: string;
      readonly advice?: { readonly explicitBucketBoundaries?: number[] };
    },
  ): {
    /** Records one value, in the histogram's unit. */
    record(value: number, attributes?: Readonly<Record<string, string | number | boolean>>): void;
  };
}

/**
 * Where the SDK reports spans and metrics (SPEC section 11). Left out, the
 * global providers of `@opentelemetry/api` when the package is installed
 * (nothing when it is not); `false` turns telemetry off.
 *
 * @example
 * ```ts
 * new ApiAccountManager({ ...ports, telemetry: { tracer: trace.getTracer('box-office') } });
 * ```
 */
export interface TelemetryOptions {
  /** Where spans go; left out, the global tracer; `null`: no spans (the metrics stay). */
  readonly tracer?: TelemetryTracer | null;
  /** Where metrics go; left out, the global meter; `null`: no metrics (the spans stay). */
  readonly meter?: TelemetryMeter | null;
}

/** What a verification found out on its way, for its span. */
export interface VerificationProbe {
  /** Whether the verdict came from the verification cache; `null` before it was looked for. */
  cache: 'hit' | 'miss' | null;
}

/** How a call ended, as telemetry reads it: its value, or its error's type (and reason). */
export type Settled = Result<unknown, { readonly type: string; readonly reason?: unknown }>;

/** A call under observation: told once how it ended. */
export type Observer = (settled: Settled) => void;

/** OpenTelemetry's `SpanStatusCode.ERROR`. */
const STATUS_ERROR = 2;
/** Failures of the system rather than refusals of a request: these mark a span as an error. */
const FAILURES = new Set(['StoreUnavailable', 'PortFailed', 'InternalError']);
/** From 50 µs (a cached bearer key) to 2.5 s (a store timing out). */
const DURATION_BOUNDARIES = [
  0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5,
];

/**
 * The SDK's spans and metrics, named as SPEC section 11 names them. Every
 * attribute is one of a fixed set of names whose values are ids, enums and
 * error types: never a key, signature, code or token.
 */
export interface Telemetry {
  /**
   * Starts observing a verification: its span, `api_accounts.verifications`
   * and `api_accounts.verification.duration`. The probe is for the cache to
   * fill in; the observer is told the result.
   */
  verification(
    scheme: Principal['scheme'],
    tenant: string | undefined,
  ): { readonly probe: VerificationProbe; readonly done: Observer };
  /** Starts observing an administrative call, `api_accounts.<method>`; `null` without a tracer. */
  operation(method: string): Observer | null;
  /** A claim or reminder message handed to its sender, or given up on: `api_accounts.deliveries`. */
  delivered(channel: 'sms' | 'email', outcome: 'sent' | 'failed'): void;
  /** This instance dropped an account's cached verdict `seconds` after the change: `api_accounts.invalidation.lag`. */
  invalidated(seconds: number): void;
}

/** The `@opentelemetry/api` module as far as the defaults need it. */
interface OpenTelemetryApi {
  readonly trace: { getTracer(name: string): TelemetryTracer };
  readonly metrics: {
    getMeterProvider(): unknown;
    getMeter(name: string): TelemetryMeter;
  };
}

/**
 * The telemetry the options ask for: `null` when turned off, or when left
 * out and `@opentelemetry/api` is not installed (so that hosts without it
 * pay nothing on any call).
 */
export function resolveTelemetry(options: TelemetryOptions | false | undefined): Telemetry | null {
  if (options === false) return null;
  if (options !== undefined && (typeof options !== 'object' || options === null)) {
    throw new TypeError('ApiAccountManager: telemetry must be { tracer?, meter? } or false');
  }
  const given = options ?? {};
  // The global API is loaded only for a part left out (`null` turns a part off).
  const needsApi = given.tracer === undefined || given.meter === undefined;
  const api = needsApi ? loadOpenTelemetryApi() : null;
  const tracer =
    given.tracer === undefined ? (api?.trace.getTracer('api-accounts') ?? null) : given.tracer;
  const { meter } = given;
  const meterOf = meter ? () => meter : meter === undefined && api ? globalMeter(api) : null;
  return tracer || meterOf ? telemetryOf(tracer, meterOf) : null;
}

/**
 * The global meter, taken again whenever the registered provider changes:
 * the metrics API has no proxy, so a meter taken before the host registers
 * its SDK would stay a no-op for good.
 */
function globalMeter(api: OpenTelemetryApi): () => TelemetryMeter {
  let provider: unknown;
  let meter: TelemetryMeter | null = null;
  return () => {
    const current = api.metrics.getMeterProvider();
    if (meter === null || current !== provider) {
      provider = current;
      meter = api.metrics.getMeter('api-accounts');
    }
    return meter;
  };
}

/** `@opentelemetry/api` when the host installed it; `null` otherwise. */
function loadOpenTelemetryApi(): OpenTelemetryApi | null {
  try {
    return createRequire(import.meta.url)('@opentelemetry/api') as OpenTelemetryApi;
  } catch {
    return null;
  }
}

/**
 * The verifications counted so far, per attribute set. Counted here and
 * reported when the meter collects (an observable counter): a verification
 * adds one to a number, instead of the meter hashing its attributes on
 * every call.
 */
class VerificationCounts {
  /** Accepted verifications per scheme: the common case, counted without building a key. */
  readonly #accepted: Record<Principal['scheme'], number> = { bearer: 0, SpektrixAPI3: 0 };
  readonly #refused = new Map<string, { readonly attributes: Attributes; value: number }>();

  add(scheme: Principal['scheme'], reason: string | undefined): void {
    if (reason === undefined) {
      this.#accepted[scheme] += 1;
      return;
    }
    const key = `${scheme} ${reason}`;
    const entry = this.#refused.get(key);
    if (entry) entry.value += 1;
    else this.#refused.set(key, { attributes: refusedAttributes(scheme, reason), value: 1 });
  }

  report(result: { observe(value: number, attributes?: Attributes): void }): void {
    for (const scheme of ['bearer', 'SpektrixAPI3'] as const) {
      const value = this.#accepted[scheme];
      if (value > 0) result.observe(value, ACCEPTED[scheme]);
    }
    for (const { attributes, value } of this.#refused.values()) result.observe(value, attributes);
  }
}

const ACCEPTED = {
  bearer: { 'api_accounts.scheme': 'bearer', 'api_accounts.outcome': 'accepted' },
  SpektrixAPI3: { 'api_accounts.scheme': 'SpektrixAPI3', 'api_accounts.outcome': 'accepted' },
} as const;

function refusedAttributes(scheme: string, reason: string): Attributes {
  return {
    'api_accounts.scheme': scheme,
    'api_accounts.outcome': 'refused',
    'api_accounts.reason': reason,
  };
}

type Instruments = ReturnType<typeof instrumentsOf>;

function instrumentsOf(meter: TelemetryMeter, counts: VerificationCounts) {
  meter
    .createObservableCounter('api_accounts.verifications', {
      description: 'Verifications of API keys and signed requests, by scheme, outcome and reason',
      unit: '{verification}',
    })
    .addCallback((result) => counts.report(result));
  return {
    duration: meter.createHistogram('api_accounts.verification.duration', {
      description: 'How long a verification took',
      unit: 's',
      advice: { explicitBucketBoundaries: DURATION_BOUNDARIES },
    }),
    deliveries: meter.createCounter('api_accounts.deliveries', {
      description: 'Claim and reminder messages sent or given up on, by channel',
      unit: '{message}',
    }),
    lag: meter.createHistogram('api_accounts.invalidation.lag', {
      description: "From an account's change to this instance dropping its cached verdict",
      unit: 's',
      advice: { explicitBucketBoundaries: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60] },
    }),
  };
}

/** Each scheme's span options, made once. */
const VERIFY_OPTIONS = {
  bearer: { attributes: { 'api_accounts.scheme': 'bearer' } },
  SpektrixAPI3: { attributes: { 'api_accounts.scheme': 'SpektrixAPI3' } },
} as const;

function telemetryOf(
  tracer: TelemetryTracer | null,
  meterOf: (() => TelemetryMeter) | null,
): Telemetry {
  const counts = new VerificationCounts();
  let instruments: Instruments | null = null;
  let instrumentsFor: TelemetryMeter | null = null;
  const metrics = (): Instruments | null => {
    if (!meterOf) return null;
    const meter = meterOf();
    if (meter !== instrumentsFor) {
      instrumentsFor = meter;
      instruments = null;
      instruments = instrumentsOf(meter, counts);
    }
    return instruments;
  };

  return {
    verification(scheme, tenant) {
      const started = performance.now();
      const span = startSpan(tracer, 'api_accounts.verify', VERIFY_OPTIONS[scheme]);
      const probe: VerificationProbe = { cache: null };
      const done: Observer = (settled) =>
        quietly(() => {
          const reason = settled.isOk() ? undefined : reasonOf(settled.error);
          counts.add(scheme, reason);
          metrics()?.duration.record((performance.now() - started) / 1000);
          if (!span) return;
          if (span.isRecording?.() !== false) {
            describe(span, settled, reason === undefined ? 'accepted' : 'refused', reason);
            const known = settled.isOk() ? (settled.value as Principal).tenant : tenant;
            if (known !== undefined) span.setAttribute('api_accounts.tenant', known);
            if (probe.cache) span.setAttribute('api_accounts.cache', probe.cache);
          }
          end(span, settled);
        });
      return { probe, done };
    },
    operation(method) {
      const span = startSpan(tracer, `api_accounts.${method}`);
      if (!span) return null;
      return (settled) =>
        quietly(() => {
          const reason = settled.isOk() ? undefined : reasonOf(settled.error);
          describe(span, settled, reason === undefined ? 'accepted' : 'refused', reason);
          const tenant = fieldOf(settled, 'tenant');
          if (tenant !== undefined) span.setAttribute('api_accounts.tenant', tenant);
          end(span, settled);
        });
    },
    delivered(channel, outcome) {
      quietly(() =>
        metrics()?.deliveries.add(1, {
          'api_accounts.channel': channel,
          'api_accounts.outcome': outcome,
        }),
      );
    },
    invalidated(seconds) {
      quietly(() => metrics()?.lag.record(Math.max(0, seconds)));
    },
  };
}

/** A span, or `null` without a tracer or when the tracer fails: tracing never fails a call. */
function startSpan(
  tracer: TelemetryTracer | null,
  name: string,
  options?: { readonly attributes?: Attributes },
): TelemetrySpan | null {
  if (!tracer) return null;
  try {
    return tracer.startSpan(name, options);
  } catch {
    return null;
  }
}

function quietly(report: () => void): void {
  try {
    report();
  } catch {
    // A failing tracer, meter or exporter must not change an answer.
  }
}

/** Outcome, reason and account of a settled call: ids, enums and error types only. */
function describe(
  span: TelemetrySpan,
  settled: Settled,
  outcome: 'accepted' | 'refused',
  reason: string | undefined,
): void {
  span.setAttribute('api_accounts.outcome', outcome);
  if (reason !== undefined) span.setAttribute('api_accounts.reason', reason);
  const accountId = fieldOf(settled, 'accountId') ?? fieldOf(settled, 'id');
  if (accountId !== undefined) span.setAttribute('api_accounts.account_id', accountId);
}

/**
 * Why a call was refused, in a bounded vocabulary: an invalid key's own
 * reason (`unknown_key`, `bad_signature`…), else the error's type in
 * snake case (`rate_limited`, `quota_exceeded`).
 */
export function reasonOf(error: { readonly type: string; readonly reason?: unknown }): string {
  if (error.type === 'InvalidKey' && typeof error.reason === 'string') return error.reason;
  return error.type.replace(/(?<=[a-z])(?=[A-Z])/g, '_').toLowerCase();
}

/** A string field of what a call answered (or of the account it carries). */
function fieldOf(settled: Settled, field: 'accountId' | 'id' | 'tenant'): string | undefined {
  const found = settled.isOk() ? settled.value : settled.error;
  if (typeof found !== 'object' || found === null) return undefined;
  const own = (found as Record<string, unknown>)[field];
  if (typeof own === 'string') return own;
  const account = (found as { account?: Record<string, unknown> }).account;
  const nested = account?.[field === 'accountId' ? 'id' : field];
  return typeof nested === 'string' ? nested : undefined;
}

function end(span: TelemetrySpan, settled: Settled): void {
  if (!settled.isOk() && FAILURES.has(settled.error.type)) {
    span.setStatus({ code: STATUS_ERROR, message: settled.error.type });
  }
  span.end();
}
