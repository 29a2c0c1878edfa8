/**
 * Where the SDK writes what an operator should know: failed providers and
 * stores, defects, and (at debug) refused keys and claims. Shaped so that
 * `console` and a `pino` logger both fit as they are: each method takes an
 * object of fields, then a message.
 *
 * Everything passes through `redactSecrets` first; no key, code, token
 * or sealed secret reaches a logger.
 *
 * @example
 * ```ts
 * import pino from 'pino';
 * new ApiAccountManager({ ...ports, claimUrl, logger: pino() });
 * new ApiAccountManager({ ...ports, claimUrl, logger: console });
 * ```
 */
export interface Logger {
  /** Refused keys, codes and inputs: useful when watching for abuse. */
  debug?(fields: Record<string, unknown>, message: string): void;
  /** Recoveries, such as invalidations resuming. */
  info?(fields: Record<string, unknown>, message: string): void;
  /** A store or provider failed; the SDK answered with a typed error or a failed delivery. */
  warn(fields: Record<string, unknown>, message: string): void;
  /** A defect inside the SDK (`InternalError`). */
  error(fields: Record<string, unknown>, message: string): void;
}

/**
 * The levels the SDK writes at.
 *
 * @example
 * ```ts
 * const level: LogLevel = 'warn';
 * ```
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/**
 * Writes one redacted entry; never throws, whatever the logger does.
 */
export type Log = (level: LogLevel, message: string, fields: Record<string, unknown>) => void;
