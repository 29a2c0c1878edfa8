import type { AccountEvent, AccountStore } from '../ports/account-store.js';
import type { Clock } from '../ports/clock.js';
import type { EmailSender } from '../ports/email-sender.js';
import type { InvalidationBus } from '../ports/invalidation-bus.js';
import type { KeyGenerator } from '../ports/key-generator.js';
import type { QuotaCounter } from '../ports/quota-counter.js';
import type { RateLimiter } from '../ports/rate-limiter.js';
import type { SecretSealer } from '../ports/secret-sealer.js';
import type { SmsSender } from '../ports/sms-sender.js';
import type { UserDirectory } from '../ports/user-directory.js';
import { type AccessOptions, type ResolvedAccess, resolveAccess } from './access/access-policy.js';
import type { Authorize } from './actor.js';
import {
  type DeliveryOptions,
  type RetryPolicy,
  resolveRetryPolicy,
} from './delivery/retry-policy.js';
import { isValidKeyPrefix, type KeyFormat } from './keys/api-key-format.js';
import {
  type KeyLifetimeOptions,
  type ResolvedLifecycle,
  type RotationOptions,
  resolveLifecycle,
} from './lifecycle/key-lifecycle-options.js';
import type { Logger, LogLevel } from './logging/logger.js';
import {
  defaultEmailTemplate,
  defaultSmsTemplate,
  type EmailTemplate,
  isSupportedLocale,
  type SmsTemplate,
} from './messages/claim-messages.js';
import type { TelemetryOptions } from './telemetry/telemetry.js';
import type { UsageOptions } from './usage/usage-counter.js';
import { isKnownCountry, type PhoneOptions } from './validation/phone.js';

/**
 * Default claim time to live: 24 hours.
 *
 * @example
 * ```ts
 * new ApiAccountManager({ ...ports, claimUrl, claimTtlMs: DEFAULT_CLAIM_TTL_MS * 2 });
 * ```
 */
export const DEFAULT_CLAIM_TTL_MS = 24 * 60 * 60 * 1000;
/**
 * Default wrong codes allowed per claim.
 *
 * @example
 * ```ts
 * new ApiAccountManager({ ...ports, claimUrl, claimMaxAttempts: DEFAULT_CLAIM_MAX_ATTEMPTS + 2 });
 * ```
 */
export const DEFAULT_CLAIM_MAX_ATTEMPTS = 5;

/**
 * How verification results are cached.
 *
 * @example
 * ```ts
 * const options: VerifyCacheOptions = { ttlMs: 60_000, maxEntries: 100_000 };
 * ```
 */
export interface VerifyCacheOptions {
  /** How long a found key is trusted without asking the store. */
  readonly ttlMs: number;
  /** Most found keys kept; the least recently used go first. Default 100,000. */
  readonly maxEntries?: number;
  /**
   * Most unknown keys remembered, in a space of their own so that a flood of
   * made-up keys never pushes out a real one. Default the smaller of
   * `maxEntries` and 10,000.
   */
  readonly maxUnknownEntries?: number;
  /** How long an unknown key is remembered as unknown. Default the smaller of `ttlMs` and 5 s. */
  readonly negativeTtlMs?: number;
  /**
   * Say so when this process is the only one writing the store, and the store
   * has no change feed (`readChangesSince`). Without the feed nothing would
   * bring another process's revocation to this cache before `ttlMs`, so the
   * manager refuses a cache over such a store unless told this.
   */
  readonly singleInstance?: boolean;
}

/**
 * What verification is built from: the store, and the choices that decide
 * who gets in. Every field here is an option of `ApiAccountManager` too; a
 * verification-only service (`createVerifier`) takes these and nothing else.
 *
 * @example
 * ```ts
 * const options: VerifierOptions = { store, sealer, verifyCache: { ttlMs: 60_000 } };
 * ```
 */
export interface VerifierOptions extends AccessOptions {
  readonly store: AccountStore;
  /**
   * Time for claims' expiry and signed requests' `Date` window. Default the
   * system clock. (`inMemoryPorts()` brings a clock that stands still unless
   * moved: for tests, never for production.)
   */
  readonly clock?: Clock;
  /** Keys that expire, with reminders and optional automatic rotation. Keys never expire without it. */
  readonly keyLifetime?: KeyLifetimeOptions;
  /**
   * Counting of verifications for `accountUsage` and `lastUsedAt`: in memory,
   * written in one batch per interval (default 60 s), never on the
   * verification path. `false` turns it off.
   */
  readonly usage?: UsageOptions | false;
  /**
   * Cache verification results (an LRU with a TTL; unknown keys briefly).
   * Off when absent. A change made through this manager drops the account from
   * its cache at once; other instances learn of it through the invalidation bus.
   */
  readonly verifyCache?: VerifyCacheOptions;
  /**
   * Carries changes between app instances sharing one store. Defaults to the
   * store's own (`store.invalidations`), which `postgresStore` provides.
   */
  readonly invalidations?: InvalidationBus;
  /**
   * Seals each new key's secret so that `SpektrixAPI3` signed requests can be
   * verified. Without it, bearer keys work and signed requests are refused.
   */
  readonly sealer?: SecretSealer;
  readonly signedRequests?: SignedRequestOptions;
  /**
   * Where to log failed stores and providers, defects and (at debug) refused
   * keys and claims. `console` and pino loggers fit; entries are redacted.
   */
  readonly logger?: Logger;
  /** The least level logged. Default `'debug'` (everything the logger itself lets through). */
  readonly logLevel?: LogLevel;
  /**
   * Counts rate-limited verifications (`rateLimit`, here or on an account).
   * Default an in-memory limiter on the `clock`, per instance; behind several
   * instances use `redisRateLimiter` from `api-accounts/redis`.
   */
  readonly rateLimiter?: RateLimiter;
  /**
   * Counts quota use (`quota`, here or on an account). Default an in-memory
   * counter on the `clock`: exact on one instance, forgotten on restart.
   * Behind several instances use `redisQuotaCounter` from `api-accounts/redis`
   * (with `redisRateLimiter` on the same client, both in one round trip).
   */
  readonly quotaCounter?: QuotaCounter;
  /**
   * OpenTelemetry spans and metrics (SPEC section 11): by default the
   * global providers of `@opentelemetry/api` when the host installed it
   * (nothing otherwise); `{ tracer, meter }` to give your own; `false` to
   * turn them off.
   */
  readonly telemetry?: TelemetryOptions | false;
}

/**
 * Everything `ApiAccountManager` is built from: the ports, and the few choices a
 * host makes.
 *
 * @example
 * ```ts
 * const options: ApiAccountManagerOptions = {
 *   ...inMemoryPorts(),
 *   claimUrl: (token) => `https://box-office.example/api-access/claim?token=${token}`,
 *   phone: { defaultCountry: 'GB' },
 *   claim: { ttlMs: 24 * 60 * 60 * 1000, maxAttempts: 5 },
 *   keyFormat: 'base64',
 * };
 * ```
 */
export interface ApiAccountManagerOptions extends VerifierOptions {
  readonly sms: SmsSender;
  readonly email: EmailSender;
  /** Randomness for keys, tokens and codes. Default Node's CSPRNG. */
  readonly keys?: KeyGenerator;
  readonly directory: UserDirectory;
  /**
   * The secure claim page's address for a token (already URL-safe), in the
   * account's tenant: a multi-venue host can send each venue's partners to
   * its own page.
   */
  readonly claimUrl: (token: string, context: { readonly tenant: string }) => string;
  readonly phone?: PhoneOptions;
  readonly claim?: {
    /** How long a claim stays open. Default 24 h. */
    readonly ttlMs?: number;
    /** Wrong codes allowed before the claim locks. Default 5. */
    readonly maxAttempts?: number;
  };
  /** How new keys look. Default `'base64'`; keys issued in the other format keep working. */
  readonly keyFormat?: KeyFormat;
  /** Defaults and bounds of `rotateApiKey`'s grace period. */
  readonly rotation?: RotationOptions;
  /**
   * Who may do what: asked before every administrative call with the actor,
   * the method's name and the account id, when there is one. Only `true`
   * lets the call through. Default: the actor holds `SETTINGS_ADMINISTRATOR`.
   */
  readonly authorize?: Authorize;
  /** The host system's name, used in the claim messages. Default `'Box Office'`. */
  readonly systemName?: string;
  /** Replace the default claim SMS and email. */
  readonly messages?: MessageOptions;
  /** Retries and timeouts for sending the claim messages. */
  readonly delivery?: DeliveryOptions;
  /**
   * Called with each event after it is stored, to forward to the host's audit
   * log. Failures and slowness of the listener never affect the operation.
   */
  readonly onEvent?: (event: AccountEvent) => void | Promise<void>;
}

/**
 * The claim messages: replace either template, and choose the locale and time
 * zone the default templates write the expiry in. A host that translates reads
 * `context.locale` in its own templates; `createAccount`, `resetApiKey` and
 * `resendClaim` take a per-call `locale` that overrides this one.
 *
 * @example
 * ```ts
 * const messages: MessageOptions = { locale: 'en-GB', timeZone: 'Europe/London' };
 * ```
 */
export interface MessageOptions {
  readonly sms?: SmsTemplate;
  readonly email?: EmailTemplate;
  /** A BCP 47 tag. Default `'en'`. */
  readonly locale?: string;
  /** An IANA time zone for the expiry. Default `'UTC'`. */
  readonly timeZone?: string;
}

/**
 * How signed requests are checked.
 *
 * @example
 * ```ts
 * const signedRequests: SignedRequestOptions = { publicBaseUrl: 'https://api.box-office.example', dateWindowMs: 5 * 60_000 };
 * ```
 */
export interface SignedRequestOptions {
  /**
   * The scheme and host (and any path prefix) clients address, for apps behind
   * a proxy: the signed URL is rebuilt as this plus the request's path and
   * query, whatever the app itself saw. Without it, the request URL must be
   * absolute and is used as given.
   */
  readonly publicBaseUrl?: string;
  /** How far the `Date` header may be from now, either way. Default 15 minutes. */
  readonly dateWindowMs?: number;
}

/**
 * Default tolerance between a signed request's `Date` and the clock: 15 minutes.
 *
 * @example
 * ```ts
 * new ApiAccountManager({ ...ports, claimUrl, signedRequests: { dateWindowMs: DEFAULT_DATE_WINDOW_MS / 3 } });
 * ```
 */
export const DEFAULT_DATE_WINDOW_MS = 15 * 60 * 1000;

/** The verification options with defaults applied and checked once, at construction. */
export interface VerificationConfig {
  readonly verifyCache: VerifyCacheOptions | undefined;
  readonly invalidations: InvalidationBus | undefined;
  readonly sealer: SecretSealer | undefined;
  /** Without a trailing slash; `null` when request URLs are used as given. */
  readonly publicBaseUrl: string | null;
  readonly dateWindowMs: number;
  readonly lifecycle: ResolvedLifecycle;
  readonly usage: UsageOptions | false;
  readonly access: ResolvedAccess;
}

/** The options with defaults applied and checked once, at construction. */
export interface ResolvedConfig extends VerificationConfig {
  readonly claimUrl: ApiAccountManagerOptions['claimUrl'];
  readonly phone: PhoneOptions;
  readonly claimTtlMs: number;
  readonly claimMaxAttempts: number;
  readonly keyFormat: KeyFormat;
  readonly systemName: string;
  readonly smsTemplate: SmsTemplate;
  readonly emailTemplate: EmailTemplate;
  readonly locale: string;
  readonly timeZone: string;
  readonly retry: RetryPolicy;
  readonly onEvent: ((event: AccountEvent) => void | Promise<void>) | undefined;
}

const isPort = (value: unknown) => typeof value === 'object' && value !== null;

/** Throws the `TypeError` of a missing or malformed port, naming each. */
function requirePorts(
  options: Readonly<Record<string, unknown>>,
  required: readonly string[],
  optional: readonly string[],
): void {
  const missing = [
    ...required.filter((port) => !isPort(options[port])),
    // Optional, with production defaults; but not anything else.
    ...optional.filter((port) => options[port] !== undefined && !isPort(options[port])),
  ];
  if (missing.length > 0) {
    throw new TypeError(`ApiAccountManager: missing port(s): ${missing.join(', ')}`);
  }
}

/**
 * Applies defaults to the options verification needs and checks them. A
 * misconfiguration is a programming error in the host, found at start-up: it
 * throws a `TypeError` naming the option, rather than failing every later call.
 */
export function resolveVerificationConfig(options: VerifierOptions): VerificationConfig {
  requirePorts(options as unknown as Record<string, unknown>, ['store'], ['clock']);
  if (
    options.logLevel !== undefined &&
    !['debug', 'info', 'warn', 'error'].includes(options.logLevel)
  ) {
    throw new TypeError("ApiAccountManager: logLevel must be 'debug', 'info', 'warn' or 'error'");
  }
  if (options.rateLimiter !== undefined && typeof options.rateLimiter?.consume !== 'function') {
    throw new TypeError('ApiAccountManager: rateLimiter must have consume(key, policy)');
  }
  const { quotaCounter } = options;
  if (
    quotaCounter !== undefined &&
    (typeof quotaCounter?.consume !== 'function' || typeof quotaCounter.used !== 'function')
  ) {
    throw new TypeError('ApiAccountManager: quotaCounter must have consume(use) and used(key)');
  }
  const { verifyCache } = options;
  if (verifyCache !== undefined) {
    const positive = (n: unknown) => typeof n === 'number' && Number.isSafeInteger(n) && n > 0;
    if (!positive(verifyCache.ttlMs)) {
      throw new TypeError(
        'ApiAccountManager: verifyCache.ttlMs must be a positive whole number of ms',
      );
    }
    for (const field of ['maxEntries', 'maxUnknownEntries', 'negativeTtlMs'] as const) {
      if (verifyCache[field] !== undefined && !positive(verifyCache[field])) {
        throw new TypeError(
          `ApiAccountManager: verifyCache.${field} must be a positive whole number`,
        );
      }
    }
  }
  const base = options.signedRequests?.publicBaseUrl;
  if (base !== undefined && !/^https?:\/\/[^/?#\s]+(\/[^?#\s]*)?$/.test(base)) {
    throw new TypeError(
      'ApiAccountManager: signedRequests.publicBaseUrl must be an absolute http(s) URL without query',
    );
  }
  const dateWindowMs = options.signedRequests?.dateWindowMs ?? DEFAULT_DATE_WINDOW_MS;
  if (!Number.isSafeInteger(dateWindowMs) || dateWindowMs <= 0) {
    throw new TypeError(
      'ApiAccountManager: signedRequests.dateWindowMs must be a positive whole number of ms',
    );
  }
  return {
    verifyCache,
    invalidations: options.invalidations ?? options.store.invalidations,
    sealer: options.sealer,
    publicBaseUrl: base === undefined ? null : base.replace(/\/+$/, ''),
    dateWindowMs,
    lifecycle: resolveLifecycle(options),
    usage: resolveUsage(options.usage),
    access: resolveAccess(options),
  };
}

/** {@link resolveVerificationConfig}, and the options of claims, messages and administration. */
export function resolveConfig(options: ApiAccountManagerOptions): ResolvedConfig {
  requirePorts(
    options as unknown as Record<string, unknown>,
    ['store', 'sms', 'email', 'directory'],
    ['clock', 'keys'],
  );
  const verification = resolveVerificationConfig(options);
  if (options.authorize !== undefined && typeof options.authorize !== 'function') {
    throw new TypeError(
      'ApiAccountManager: authorize must be a function (actor, action, accountId?) => boolean',
    );
  }
  if (typeof options.claimUrl !== 'function') {
    throw new TypeError('ApiAccountManager: claimUrl must be a function (token) => string');
  }
  const claimTtlMs = options.claim?.ttlMs ?? DEFAULT_CLAIM_TTL_MS;
  if (!Number.isSafeInteger(claimTtlMs) || claimTtlMs <= 0) {
    throw new TypeError('ApiAccountManager: claim.ttlMs must be a positive whole number of ms');
  }
  const claimMaxAttempts = options.claim?.maxAttempts ?? DEFAULT_CLAIM_MAX_ATTEMPTS;
  if (!Number.isSafeInteger(claimMaxAttempts) || claimMaxAttempts < 1) {
    throw new TypeError(
      'ApiAccountManager: claim.maxAttempts must be a whole number of at least 1',
    );
  }
  const keyFormat = options.keyFormat ?? 'base64';
  if (keyFormat !== 'base64' && !isValidKeyPrefix(keyFormat.prefix)) {
    throw new TypeError(
      'ApiAccountManager: keyFormat.prefix must start with a letter and hold up to 32 letters, digits or _',
    );
  }
  const country = options.phone?.defaultCountry;
  if (country !== undefined && !isKnownCountry(country)) {
    throw new TypeError(
      `ApiAccountManager: phone.defaultCountry '${country}' is not a known country`,
    );
  }
  return {
    ...verification,
    // The rotation's defaults and bounds are the manager's: resolved with them.
    lifecycle: resolveLifecycle(options),
    claimUrl: options.claimUrl,
    phone: options.phone ?? {},
    claimTtlMs,
    claimMaxAttempts,
    keyFormat,
    systemName: options.systemName ?? 'Box Office',
    smsTemplate: options.messages?.sms ?? defaultSmsTemplate,
    emailTemplate: options.messages?.email ?? defaultEmailTemplate,
    ...messageSettings(options.messages),
    retry: resolveRetryPolicy(options.delivery),
    onEvent: options.onEvent,
  };
}

function resolveUsage(usage: UsageOptions | false | undefined): UsageOptions | false {
  if (usage === false) return false;
  if (usage === undefined) return {};
  for (const field of ['flushIntervalMs', 'maxAccounts'] as const) {
    const value = usage[field];
    if (value !== undefined && (!Number.isSafeInteger(value) || value <= 0)) {
      throw new TypeError(`ApiAccountManager: usage.${field} must be a positive whole number`);
    }
  }
  return usage;
}

function messageSettings(messages: MessageOptions | undefined): {
  locale: string;
  timeZone: string;
} {
  const locale = messages?.locale ?? 'en';
  const timeZone = messages?.timeZone ?? 'UTC';
  if (!isSupportedLocale(locale)) {
    throw new TypeError(`ApiAccountManager: messages.locale '${locale}' is not a valid BCP 47 tag`);
  }
  try {
    new Intl.DateTimeFormat('en', { timeZone });
  } catch {
    throw new TypeError(
      `ApiAccountManager: messages.timeZone '${timeZone}' is not a known time zone`,
    );
  }
  return { locale, timeZone };
}
