import {
  DeliveryError,
  type DeliveryErrorInit,
  type DeliveryFailureReason,
  type SendOptions,
} from '../../ports/delivery.js';

/**
 * What every HTTP SMS adapter accepts besides its credentials.
 *
 * @example
 * ```ts
 * const http: HttpSenderOptions = { timeoutMs: 5_000 };
 * ```
 */
export interface HttpSenderOptions {
  /** How long one request may take. Default 10 s; the core's own timeout also applies. */
  readonly timeoutMs?: number;
  /** The `fetch` to use; default the global one. Tests and proxies pass their own. */
  readonly fetch?: typeof fetch;
}

/** A provider's answer, read whole: the status, the headers and the body text. */
export interface ProviderResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly body: string;
}

/**
 * POSTs to a provider and reads the answer, turning a timeout, an abort from
 * the core or a failed connection into a retryable {@link DeliveryError}. The
 * request body is never part of an error: it holds the code.
 */
export async function postToProvider(
  provider: string,
  url: string,
  request: { readonly headers: Record<string, string>; readonly body: string },
  options: HttpSenderOptions,
  sendOptions: SendOptions | undefined,
): Promise<ProviderResponse> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const signals = [AbortSignal.timeout(timeoutMs)];
  if (sendOptions?.signal) signals.push(sendOptions.signal);
  try {
    const response = await (options.fetch ?? fetch)(url, {
      method: 'POST',
      headers: request.headers,
      body: request.body,
      signal: AbortSignal.any(signals),
      redirect: 'error',
    });
    return { status: response.status, headers: response.headers, body: await response.text() };
  } catch (cause) {
    throw transportFailure(provider, cause, timeoutMs);
  }
}

function transportFailure(provider: string, cause: unknown, timeoutMs: number): DeliveryError {
  const name = cause instanceof Error ? cause.name : '';
  if (name === 'TimeoutError' || name === 'AbortError') {
    return new DeliveryError({
      reason: 'timeout',
      retryable: true,
      provider,
      detail: `no answer within ${timeoutMs} ms`,
    });
  }
  return new DeliveryError({
    reason: 'connection',
    retryable: true,
    provider,
    detail: networkCode(cause) ?? 'the connection failed',
  });
}

function networkCode(cause: unknown): string | undefined {
  const inner = cause instanceof Error ? (cause as Error & { cause?: unknown }).cause : undefined;
  const code = (inner as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * The wait a provider asked for in `Retry-After` (seconds or an HTTP date), in
 * milliseconds, or `undefined` when absent or unreadable.
 */
export function retryAfterMs(headers: Headers, nowMs: number): number | undefined {
  const value = headers.get('retry-after');
  if (value === null) return undefined;
  if (/^\d{1,6}$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

/**
 * Parses a provider's JSON answer; `undefined` when it is not JSON.
 */
export function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

/** What a provider said besides its HTTP status. */
export type ProviderDetails = Pick<DeliveryErrorInit, 'providerCode' | 'retryAfterMs' | 'detail'>;

/**
 * The classification by HTTP status alone, for answers without a provider code
 * the adapter knows: 401/403 authentication, 408 timeout, 429 rate limited,
 * 5xx server error (all retryable but authentication), any other 4xx rejected.
 */
export function failureForStatus(
  provider: string,
  status: number,
  details: ProviderDetails = {},
): DeliveryError {
  const [reason, retryable] = reasonForStatus(status);
  return new DeliveryError({ ...details, provider, status, reason, retryable });
}

function reasonForStatus(status: number): [DeliveryFailureReason, boolean] {
  if (status === 401 || status === 403) return ['authentication', false];
  if (status === 408) return ['timeout', true];
  if (status === 429) return ['rate_limited', true];
  if (status >= 500) return ['server_error', true];
  return ['rejected', false];
}

/**
 * `{ [key]: value }`, or `{}` when the value is `undefined`: builds objects for
 * exact optional properties without writing `undefined` into them.
 */
export function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
