import { redactSecrets } from '../redact-secrets.js';
import type { Log, Logger, LogLevel } from './logger.js';

const RANK: Readonly<Record<LogLevel, number>> = { debug: 0, info: 1, warn: 2, error: 3 };

/**
 * The core's one way to write a log entry: redacted, at `minLevel` or above,
 * and never throwing or waiting, whatever the host's logger does. Without a
 * logger, nothing. Node's `console` gets one line per entry (the message,
 * then the fields as JSON) instead of an object printed over many lines;
 * structured loggers (pino and the like) get the fields object.
 */
export function logTo(logger: Logger | undefined, minLevel: LogLevel = 'debug'): Log | null {
  if (!logger) return null;
  const oneLine = logger === (globalThis.console as unknown);
  return (level: LogLevel, message: string, fields: Record<string, unknown>) => {
    if (RANK[level] < RANK[minLevel]) return;
    try {
      const write = logger[level];
      if (typeof write !== 'function') return;
      const redacted = redactSecrets({ lib: 'api-accounts', ...fields }) as Record<string, unknown>;
      if (oneLine) {
        (write as unknown as (line: string) => void).call(
          logger,
          `${message} ${jsonLine(redacted)}`,
        );
        return;
      }
      write.call(logger, redacted, message);
    } catch {
      // A broken logger must not break the operation it was telling about.
    }
  };
}

/** The fields as one line of JSON, errors as their name and message. */
function jsonLine(fields: Record<string, unknown>): string {
  try {
    return JSON.stringify(fields, (_key, value: unknown) =>
      value instanceof Error ? { name: value.name, message: value.message } : value,
    );
  } catch {
    return '{}';
  }
}
