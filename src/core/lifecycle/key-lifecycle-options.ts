import type { EmailMessage } from '../../ports/email-sender.js';

/**
 * Keys that expire: each new key lives `ms`, and the partner is reminded
 * before it ends. Without it, keys never expire.
 *
 * @example
 * ```ts
 * const keyLifetime: KeyLifetimeOptions = {
 *   ms: 365 * 86_400_000,
 *   reminders: [30 * 86_400_000, 7 * 86_400_000],
 *   autoRotate: true,
 * };
 * ```
 */
export interface KeyLifetimeOptions {
  /** How long a key works from when it is claimed. */
  readonly ms: number;
  /** How long before expiry to email the partner; each once per key. Default none. */
  readonly reminders?: readonly number[];
  /**
   * With the first reminder, open a rotation: a new claim goes out, and the
   * old key works on until it expires (or the grace after the claim ends, if sooner).
   */
  readonly autoRotate?: boolean;
  /** Also text the partner's phone with each reminder. Default `false`. */
  readonly remindBySms?: boolean;
  /** Replace the reminder email (and SMS). */
  readonly reminderMessages?: {
    readonly email?: ReminderEmailTemplate;
    readonly sms?: ReminderSmsTemplate;
  };
}

/**
 * Bounds and defaults of `rotateApiKey`'s grace.
 *
 * @example
 * ```ts
 * const rotation: RotationOptions = { graceMs: 48 * 3_600_000, maxGraceMs: 7 * 86_400_000 };
 * ```
 */
export interface RotationOptions {
  /** How long the previous key works after the new one is claimed. Default 24 h. */
  readonly graceMs?: number;
  /** How long the previous key works at most if the new one is never claimed. Default 14 days. */
  readonly maxGraceMs?: number;
  /** The most a call may ask for either. Default 90 days. */
  readonly limitMs?: number;
}

/**
 * What a reminder is written from.
 *
 * @example
 * ```ts
 * const email: ReminderEmailTemplate = (c) => ({ subject: `Key of ${c.username} expires`, text: '…', html: '…' });
 * ```
 */
export interface ReminderContext {
  readonly systemName: string;
  /** The account's tenant (venue), for hosts whose messages differ per venue. */
  readonly tenant: string;
  readonly username: string;
  readonly expiresAt: Date;
  /** Whether a new key's claim went out with this reminder (`autoRotate`). */
  readonly rotationOpened: boolean;
  readonly locale: string;
  readonly timeZone: string;
}

/**
 * Writes the reminder email.
 *
 * @example
 * ```ts
 * const email: ReminderEmailTemplate = (c) => ({ subject: 'Key expiring', text: `Expires ${c.expiresAt.toISOString()}`, html: '<p>Key expiring</p>' });
 * ```
 */
export type ReminderEmailTemplate = (context: ReminderContext) => Omit<EmailMessage, 'to'>;

/**
 * Writes the reminder SMS.
 *
 * @example
 * ```ts
 * const sms: ReminderSmsTemplate = (c) => `${c.systemName}: the API key of ${c.username} expires soon`;
 * ```
 */
export type ReminderSmsTemplate = (context: ReminderContext) => string;

/** Default grace after the new key is claimed: 24 hours. */
export const DEFAULT_GRACE_MS = 24 * 60 * 60 * 1000;
/** Default longest grace when the new key is never claimed: 14 days. */
export const DEFAULT_MAX_GRACE_MS = 14 * 24 * 60 * 60 * 1000;
/** Default upper bound a call may ask for: 90 days. */
export const DEFAULT_GRACE_LIMIT_MS = 90 * 24 * 60 * 60 * 1000;

/** The lifecycle options, checked and with defaults. */
export interface ResolvedLifecycle {
  readonly keyLifetime: {
    readonly ms: number;
    /** Longest first. */
    readonly reminders: readonly number[];
    readonly autoRotate: boolean;
    readonly remindBySms: boolean;
    readonly email: ReminderEmailTemplate | undefined;
    readonly sms: ReminderSmsTemplate | undefined;
  } | null;
  readonly rotation: {
    readonly graceMs: number;
    readonly maxGraceMs: number;
    readonly limitMs: number;
  };
}

const isPositiveMs = (value: unknown): value is number =>
  typeof value === 'number' && Number.isSafeInteger(value) && value > 0;

/**
 * Checks the lifecycle options once, at construction; a misconfiguration
 * throws a `TypeError` naming the option.
 */
export function resolveLifecycle(options: {
  readonly keyLifetime?: KeyLifetimeOptions | undefined;
  readonly rotation?: RotationOptions | undefined;
}): ResolvedLifecycle {
  const fail = (message: string): never => {
    throw new TypeError(`ApiAccountManager: ${message}`);
  };
  const rotation = options.rotation ?? {};
  const limitMs = rotation.limitMs ?? DEFAULT_GRACE_LIMIT_MS;
  if (!isPositiveMs(limitMs)) fail('rotation.limitMs must be a positive whole number of ms');
  const graceMs = rotation.graceMs ?? Math.min(DEFAULT_GRACE_MS, limitMs);
  const maxGraceMs = rotation.maxGraceMs ?? Math.min(DEFAULT_MAX_GRACE_MS, limitMs);
  for (const [name, value] of [
    ['graceMs', graceMs],
    ['maxGraceMs', maxGraceMs],
  ] as const) {
    if (!isPositiveMs(value) || value > limitMs) {
      fail(`rotation.${name} must be a positive whole number of ms, at most rotation.limitMs`);
    }
  }
  const lifetime = options.keyLifetime;
  if (lifetime === undefined)
    return { keyLifetime: null, rotation: { graceMs, maxGraceMs, limitMs } };
  if (!isPositiveMs(lifetime.ms)) fail('keyLifetime.ms must be a positive whole number of ms');
  const reminders = [...(lifetime.reminders ?? [])];
  if (!reminders.every((r) => isPositiveMs(r) && r < lifetime.ms)) {
    fail(
      'keyLifetime.reminders must be positive whole numbers of ms, each less than keyLifetime.ms',
    );
  }
  if (lifetime.autoRotate === true && reminders.length === 0) {
    fail('keyLifetime.autoRotate opens the rotation with the first reminder: give at least one');
  }
  return {
    keyLifetime: {
      ms: lifetime.ms,
      reminders: [...new Set(reminders)].sort((a, b) => b - a),
      autoRotate: lifetime.autoRotate === true,
      remindBySms: lifetime.remindBySms === true,
      email: lifetime.reminderMessages?.email,
      sms: lifetime.reminderMessages?.sms,
    },
    rotation: { graceMs, maxGraceMs, limitMs },
  };
}
