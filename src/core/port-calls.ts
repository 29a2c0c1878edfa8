import type { AccountStore } from '../ports/account-store.js';
import type { Clock } from '../ports/clock.js';
import type { EmailMessage, EmailSender } from '../ports/email-sender.js';
import type { KeyGenerator } from '../ports/key-generator.js';
import type { QuotaCounter, QuotaDecision, QuotaUse } from '../ports/quota-counter.js';
import type { RateLimitDecision, RateLimiter, RateLimitPolicy } from '../ports/rate-limiter.js';
import type { SecretSealer } from '../ports/secret-sealer.js';
import type { SmsMessage, SmsSender } from '../ports/sms-sender.js';
import type { UserDirectory } from '../ports/user-directory.js';
import { type ClaimSecrets, generateClaimSecrets } from './claim/claim-secrets.js';
import type { RetryPolicy } from './delivery/retry-policy.js';
import { sendWithRetry } from './delivery/send-with-retry.js';
import { type DeliveryFailed, errors, type PortFailed, type StoreUnavailable } from './errors.js';
import { err, errAsync, ok, Result, ResultAsync } from './result.js';
import { isKeyHolderAnswer, isSignerAnswer } from './store-answers.js';
import type { Telemetry } from './telemetry/telemetry.js';

type Async<F> = F extends (...args: infer A) => Promise<infer R>
  ? (...args: A) => ResultAsync<R, StoreUnavailable>
  : never;

/** The store methods the operations call (the change feed and bus are the cache's). */
type StoreMethod = Exclude<keyof AccountStore, 'invalidations' | 'readChangesSince'>;

/** Every store method, returning `ResultAsync` with `StoreUnavailable` for any rejection or throw. */
export type StoreCalls = { readonly [M in StoreMethod]: Async<AccountStore[M]> };

/**
 * The ports verification uses, as the core calls them: each call wrapped
 * once, where it enters the core, so that a rejection or a synchronous throw
 * becomes a typed error instead of escaping.
 */
export interface VerificationPorts {
  readonly store: StoreCalls;
  readonly now: () => Result<Date, PortFailed>;
  /** Uses a unit of a rate limit; a failing or confused limiter is `PortFailed('rateLimiter')`. */
  readonly consumeRateLimit: (
    key: string,
    policy: RateLimitPolicy,
  ) => Promise<Result<RateLimitDecision, PortFailed>>;
  /** Uses `use.cost` of a quota; a failing or confused counter is `PortFailed('quotaCounter')`. */
  readonly consumeQuota: (use: QuotaUse) => Promise<Result<QuotaDecision, PortFailed>>;
  /**
   * The counter's paired step (`QuotaCounter.pairedWith` the configured
   * limiter): `use.cost` of the quota and one unit of the rate limit, both or
   * neither, in one call. `null` when the counter has none.
   */
  readonly consumeQuotaAndRateLimit:
    | ((
        use: QuotaUse,
        rateLimit: { readonly key: string; readonly policy: RateLimitPolicy },
      ) => Promise<Result<QuotaDecision, PortFailed>>)
    | null;
  /** A period's count, as the quota counter has it. */
  readonly quotaUsed: (key: string) => ResultAsync<number, PortFailed>;
  /** Present only when a sealer is configured. */
  readonly sealer: {
    readonly seal: (secret: Uint8Array, context: string) => ResultAsync<string, PortFailed>;
    readonly unseal: (sealed: string, context: string) => ResultAsync<Uint8Array, PortFailed>;
    /**
     * Unseals a decoy secret of the same size as a real one, for a signer with
     * no secret to open (unknown username, no key yet): so that it costs what
     * a real signer costs, and timing does not tell which usernames exist.
     */
    readonly unsealDecoy: () => ResultAsync<Uint8Array, PortFailed>;
  } | null;
}

/** Every port as the core calls it: verification's, and those of claims and administration. */
export interface PortCalls extends VerificationPorts {
  readonly isEmailTakenByUser: (
    email: string,
    tenant: string,
  ) => ResultAsync<boolean, StoreUnavailable>;
  readonly randomBytes: (length: number) => Result<Uint8Array, PortFailed>;
  readonly claimSecrets: () => Result<ClaimSecrets, PortFailed>;
  /** Sends with retries and a timeout per try; answers how many tries it took. */
  readonly sendSms: (message: SmsMessage) => ResultAsync<number, DeliveryFailed>;
  readonly sendEmail: (message: EmailMessage) => ResultAsync<number, DeliveryFailed>;
}

/**
 * A port method as the core calls it: a rejection, a synchronous throw, or an
 * answer `accept` refuses becomes `toError(cause)`. This is neverthrow's
 * `ResultAsync.fromThrowable` written as a native async function: the
 * library's build runs its own through a generator-based helper that costs
 * about 2 µs per call (docs/performance.md), and every verification makes one.
 */
function portCall<A extends unknown[], T, E>(
  call: (...args: A) => Promise<T>,
  toError: (cause: unknown) => E,
  accept: (value: T) => boolean = () => true,
): (...args: A) => ResultAsync<T, E> {
  const answer = portAnswer(call, toError, accept);
  return (...args) => new ResultAsync(answer(...args));
}

/**
 * {@link portCall}'s answer as a plain promise of a `Result`, for the one
 * port the hot path calls on every verification (the rate limiter): a
 * caller that finishes with one native `then` saves the promise layers a
 * `ResultAsync` chain adds, which measured about 2 µs a verification.
 */
function portAnswer<A extends unknown[], T, E>(
  call: (...args: A) => Promise<T>,
  toError: (cause: unknown) => E,
  accept: (value: T) => boolean = () => true,
): (...args: A) => Promise<Result<T, E>> {
  const answered = (value: T): Result<T, E> =>
    accept(value)
      ? ok(value)
      : err(toError(new TypeError('the port answered with data of the wrong shape')));
  const failed = (cause: unknown): Result<T, E> => err(toError(cause));
  // `then` rather than an async function: one promise fewer on every call.
  return (...args: A): Promise<Result<T, E>> => {
    try {
      return Promise.resolve(call(...args)).then(answered, failed);
    } catch (cause) {
      return Promise.resolve(failed(cause));
    }
  };
}

/**
 * Every store method the core calls, with the check its answer must pass:
 * what verification reads decides who gets in, so those answers are
 * checked; the rest are the adapter's to prove with the contract suite. A
 * `Record`, so a method added to the port and missing here fails to compile.
 */
const STORE_ANSWER_CHECKS: Record<StoreMethod, ((value: never) => boolean) | null> = {
  insertAccount: null,
  findAccountById: null,
  findKeyHolder: isKeyHolderAnswer,
  findSigner: isSignerAnswer,
  findAccountByClaimToken: null,
  listAccounts: null,
  countAccounts: null,
  listDueAccounts: null,
  applyAccountChange: null,
  recordFailedClaimAttempt: null,
  completeClaim: null,
  listEvents: null,
  deleteAccount: null,
  recordUsage: null,
  readUsage: null,
};

/** Wraps the ports verification uses. */
export function wrapVerificationPorts(ports: {
  readonly store: AccountStore;
  readonly clock: Clock;
  readonly sealer: SecretSealer | undefined;
  readonly rateLimiter: RateLimiter;
  readonly quotaCounter: QuotaCounter;
}): VerificationPorts {
  const { store, rateLimiter, quotaCounter } = ports;
  const storeFailed = (cause: unknown) => errors.storeUnavailable('store', cause);
  const consumeRateLimit = portAnswer(
    (key: string, policy: RateLimitPolicy) => rateLimiter.consume(key, policy),
    (cause) => errors.portFailed('rateLimiter', cause),
    isRateLimitDecision,
  );
  const quotaFailed = (cause: unknown) => errors.portFailed('quotaCounter', cause);
  const consumeQuota = portAnswer(
    (use: QuotaUse) => quotaCounter.consume(use),
    quotaFailed,
    isQuotaDecision,
  );
  const quotaUsed = portCall((key: string) => quotaCounter.used(key), quotaFailed, isCount);
  // Decided once: whether the counter can take the rate limit's unit in the same step.
  const paired = quotaCounter.pairedWith?.(rateLimiter) ?? null;
  const storeCalls = Object.fromEntries(
    (
      Object.entries(STORE_ANSWER_CHECKS) as [StoreMethod, ((value: unknown) => boolean) | null][]
    ).map(([method, check]) => [
      method,
      portCall(
        (...args: unknown[]) =>
          (store[method] as (...a: unknown[]) => Promise<unknown>).apply(store, args),
        storeFailed,
        check ?? undefined,
      ),
    ]),
  ) as unknown as StoreCalls;
  return {
    store: storeCalls,
    now: Result.fromThrowable(
      () => {
        const now = ports.clock.now();
        if (!(now instanceof Date) || Number.isNaN(now.getTime())) {
          throw new TypeError('Clock.now() did not return a valid Date');
        }
        return new Date(now.getTime());
      },
      (cause) => errors.portFailed('clock', cause),
    ),
    consumeRateLimit,
    consumeQuota,
    consumeQuotaAndRateLimit: paired ? portAnswer(paired, quotaFailed, isQuotaDecision) : null,
    quotaUsed,
    sealer: ports.sealer ? wrapSealer(ports.sealer) : null,
  };
}

/** Adds the ports of claims and administration to verification's. */
export function wrapPorts(
  verification: VerificationPorts,
  ports: {
    readonly directory: UserDirectory;
    readonly keys: KeyGenerator;
    readonly sms: SmsSender;
    readonly email: EmailSender;
  },
  retry: RetryPolicy,
  telemetry: Telemetry | null = null,
): PortCalls {
  // Each message handed to its sender, or given up on after its tries, is counted once.
  const counted = <M>(
    channel: 'sms' | 'email',
    send: (message: M) => ResultAsync<number, DeliveryFailed>,
  ): ((message: M) => ResultAsync<number, DeliveryFailed>) =>
    telemetry
      ? (message: M) =>
          send(message)
            .map((tries) => {
              telemetry.delivered(channel, 'sent');
              return tries;
            })
            .mapErr((error) => {
              telemetry.delivered(channel, 'failed');
              return error;
            })
      : send;
  return {
    ...verification,
    isEmailTakenByUser: portCall(
      async (email: string, tenant: string) =>
        (await ports.directory.isEmailTaken(email, tenant)) === true,
      (cause) => errors.storeUnavailable('directory', cause),
    ),
    randomBytes: Result.fromThrowable(
      (length: number) => {
        const bytes = ports.keys.randomBytes(length);
        if (!(bytes instanceof Uint8Array) || bytes.length !== length) {
          throw new TypeError(`KeyGenerator.randomBytes(${length}) returned the wrong bytes`);
        }
        return bytes;
      },
      (cause) => errors.portFailed('keys', cause),
    ),
    claimSecrets: Result.fromThrowable(
      () => generateClaimSecrets(ports.keys),
      (cause) => errors.portFailed('keys', cause),
    ),
    sendSms: counted<SmsMessage>(
      'sms',
      sendWithRetry('sms', (message: SmsMessage, o) => ports.sms.send(message, o), retry),
    ),
    sendEmail: counted<EmailMessage>(
      'email',
      sendWithRetry('email', (message: EmailMessage, o) => ports.email.send(message, o), retry),
    ),
  };
}

/** Bound like an account id, so the decoy's associated data is as long as a real one's. */
const DECOY_CONTEXT = 'acct_decoy00000000000000000';

function wrapSealer(sealer: SecretSealer): NonNullable<PortCalls['sealer']> {
  const failed = (cause: unknown) => errors.portFailed('sealer', cause);
  const seal = portCall(
    (secret: Uint8Array, context: string) => sealer.seal(secret, context),
    failed,
    (sealed) => typeof sealed === 'string' && sealed.length > 0,
  );
  const unseal = portCall(
    (sealed: string, context: string) => sealer.unseal(sealed, context),
    failed,
    (secret) => secret instanceof Uint8Array && secret.length > 0,
  );
  // Sealed once, on first need; a failed attempt is forgotten so the next one tries again.
  let decoy: ResultAsync<string, PortFailed> | null = null;
  // Once sealed, a decoy is unsealed exactly as a real secret is: no step more.
  let sealedDecoy: string | null = null;
  const sealDecoy = () => {
    decoy ??= seal(new Uint8Array(32), DECOY_CONTEXT)
      .map((sealed) => {
        sealedDecoy = sealed;
        return sealed;
      })
      .orElse((error) => {
        decoy = null;
        return errAsync(error);
      });
    return decoy;
  };
  return {
    seal,
    unseal,
    unsealDecoy: () =>
      sealedDecoy === null
        ? sealDecoy().andThen((sealed) => unseal(sealed, DECOY_CONTEXT))
        : unseal(sealedDecoy, DECOY_CONTEXT),
  };
}

const isCount = (n: unknown): n is number => typeof n === 'number' && Number.isFinite(n) && n >= 0;

/** A limiter's answer decides who gets in: anything but a well-formed decision refuses. */
function isRateLimitDecision(value: unknown): value is RateLimitDecision {
  if (typeof value !== 'object' || value === null) return false;
  const { allowed, remaining, resetAfterMs, retryAfterMs } = value as Record<string, unknown>;
  return allowed === true
    ? isCount(remaining) && isCount(resetAfterMs)
    : allowed === false && isCount(retryAfterMs);
}

/** So does a quota counter's. */
function isQuotaDecision(value: unknown): value is QuotaDecision {
  if (typeof value !== 'object' || value === null) return false;
  const { allowed, used, reason, retryAfterMs, rateLimit } = value as Record<string, unknown>;
  if (allowed === true) {
    return (
      isCount(used) &&
      (rateLimit === undefined ||
        (isRateLimitDecision(rateLimit) && (rateLimit as RateLimitDecision).allowed))
    );
  }
  return (
    allowed === false &&
    ((reason === 'quota' && isCount(used)) || (reason === 'rate_limit' && isCount(retryAfterMs)))
  );
}
