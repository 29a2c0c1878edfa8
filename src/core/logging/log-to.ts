import { redactSecrets } from '../redact-secrets.js';
import type { Log, Logger, LogLevel } from './logger.js';

/**
 * The core's one way to write a log entry: redacted, and never throwing or
 * waiting, whatever the host's logger does. Without a logger, nothing.
 */
export function logTo(logger: Logger | undefined): Log | null {
  if (!logger) return null;
  return (level: LogLevel, message: string, fields: Record<string, unknown>) => {
    try {
      const write = logger[level];
      if (typeof write !== 'function') return;
      write.call(
        logger,
        redactSecrets({ lib: 'api-accounts', ...fields }) as Record<string, unknown>,
        message,
      );
    } catch {
      // A broken logger must not break the operation it was telling about.
    }
  };
}
