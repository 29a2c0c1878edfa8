import type { ResultAsync } from '../result.js';
import type { Log, LogLevel } from './logger.js';
import type { RefusalDigest } from './refusal-digest.js';

/** Failures an operator must see; the rest (refused input, wrong codes) are debug. */
const LEVEL_OF: Readonly<Record<string, LogLevel>> = {
  InternalError: 'error',
  StoreUnavailable: 'warn',
  PortFailed: 'warn',
};

/**
 * Logs a public method's outcome: its error at the level it deserves, and
 * each claim message that could not be sent. Returns `result` itself when
 * there is no logger, so the verification path pays nothing.
 */
export function watchOutcome<T, E extends { readonly type: string }>(
  log: Log | null,
  method: string,
  result: ResultAsync<T, E>,
  refusals: RefusalDigest | null = null,
): ResultAsync<T, E> {
  if (!log) return result;
  return result
    .map((value) => {
      reportFailedDeliveries(log, method, value);
      return value;
    })
    .mapErr((error) => {
      const level = LEVEL_OF[error.type] ?? 'debug';
      // Refused keys arrive at the rate partners send them: the first of a kind is logged, the rest summed up.
      const counted = level === 'debug' && refusals?.covers(method) === true;
      if (counted && !refusals?.note(method, error.type)) return error;
      log(level, `api-accounts ${method} failed: ${error.type}`, { method, error });
      return error;
    });
}

function reportFailedDeliveries(log: Log, method: string, value: unknown): void {
  // runDueTasks counts the reminder and claim messages it could not send.
  const failures = (value as { deliveryFailures?: unknown } | null)?.deliveryFailures;
  if (typeof failures === 'number' && failures > 0) {
    log('warn', `api-accounts ${method}: ${failures} message(s) could not be sent`, {
      method,
      failures,
    });
  }
  const delivery = (
    value as { delivery?: Record<string, { status?: string; error?: unknown }> } | null
  )?.delivery;
  if (!delivery || typeof delivery !== 'object') return;
  for (const [channel, outcome] of Object.entries(delivery)) {
    if (outcome?.status === 'failed') {
      log('warn', `api-accounts ${method}: the ${channel} could not be sent`, {
        method,
        channel,
        error: outcome.error,
      });
    }
  }
}
