/**
 * The storage port: one method per thing the manager does, each stating what must
 * hold under concurrency. The manager decides (validation, claim rules, events);
 * the store applies each decision atomically and reports the outcome as a value.
 *
 * Secrets never reach the store in clear: keys, claim tokens and claim codes
 * arrive as SHA-256 hex digests.
 *
 * @module
 */

import type { InvalidationBus } from './invalidation-bus.js';
import type { QuotaPolicy } from './quota-counter.js';
import type { RateLimitPolicy } from './rate-limiter.js';

/**
 * Who may use an account's key for what, from where and how often.
 *
 * @example
 * ```ts
 * const access: AccountAccess = {
 *   scopes: ['customers:read'], allowedIps: ['203.0.113.0/24'], rateLimit: { limit: 600, windowMs: 60_000 },
 *   quota: { limit: 100_000, period: 'month' },
 * };
 * ```
 */
export interface AccountAccess {
  /**
   * The scopes granted; `null` when never set (an account from before
   * scopes, or made while the host declared none), which holds every scope
   * the host declares.
   */
  readonly scopes: readonly string[] | null;
  /** Addresses and CIDR ranges, normalised, that its requests may come from; empty: anywhere. */
  readonly allowedIps: readonly string[];
  /** Its own rate limit; `null`: the manager's default. */
  readonly rateLimit: RateLimitPolicy | null;
  /** Its own quota; `null`: the manager's default. */
  readonly quota: QuotaPolicy | null;
}

/**
 * The key issued to an account, as stored: its digest only.
 *
 * @example
 * ```ts
 * const key: StoredKey = {
 *   hash: sha256Hex(apiKey), issuedAt: new Date(), sealedSecret: null,
 *   expiresAt: null, remindersSent: 0, expiryRecorded: false,
 * };
 * ```
 */
export interface StoredKey {
  /** SHA-256 hex of the key string; unique across all accounts (current and previous keys alike). */
  readonly hash: string;
  readonly issuedAt: Date;
  /** The key's secret sealed by a `SecretSealer`, for signed requests; `null` without a sealer. */
  readonly sealedSecret: string | null;
  /** When the key stops working (`keyLifetime`); `null`: never. */
  readonly expiresAt: Date | null;
  /** How many of the expiry reminders were sent for this key. */
  readonly remindersSent: number;
  /** Whether the key's expiry was recorded (`key.expired`). */
  readonly expiryRecorded: boolean;
}

/**
 * The key a planned rotation superseded: it keeps working until `endsAt`.
 * An account has at most one.
 *
 * @example
 * ```ts
 * const previous: PreviousKey = {
 *   hash: current.hash, sealedSecret: current.sealedSecret, supersededAt: now,
 *   endsAt: new Date(now.getTime() + 14 * 86_400_000), graceAfterClaimMs: 86_400_000,
 * };
 * ```
 */
export interface PreviousKey {
  /** SHA-256 hex of the key string; unique across all accounts (current and previous keys alike). */
  readonly hash: string;
  readonly sealedSecret: string | null;
  /** When the rotation superseded it. */
  readonly supersededAt: Date;
  /** When it stops working. */
  readonly endsAt: Date;
  /**
   * While the new key is unclaimed: once the claim completes, `endsAt`
   * becomes at most the claim's time plus this (and this becomes `null`).
   */
  readonly graceAfterClaimMs: number | null;
}

/**
 * An open key claim: what the link and the SMS code are checked against.
 *
 * @example
 * ```ts
 * const claim: StoredClaim = {
 *   tokenHash, codeHash, openedAt: now, expiresAt: new Date(now.getTime() + 86_400_000),
 *   attempts: 0, maxAttempts: 5,
 * };
 * ```
 */
export interface StoredClaim {
  /** SHA-256 hex of the link token; unique across all open claims, and the claim's identity. */
  readonly tokenHash: string;
  /** SHA-256 hex binding the code to the token; the code alone is never hashed. */
  readonly codeHash: string;
  readonly openedAt: Date;
  readonly expiresAt: Date;
  /** Wrong codes entered so far; never exceeds `maxAttempts`. */
  readonly attempts: number;
  readonly maxAttempts: number;
}

/**
 * An API account as stored.
 *
 * @example
 * ```ts
 * const found: AccountRecord | null = await store.findAccountById(id);
 * ```
 */
export interface AccountRecord {
  readonly id: string;
  /** The tenant (venue) it belongs to, for good: `'default'` for single-tenant hosts. */
  readonly tenant: string;
  /** As entered, trimmed and NFC-normalised. */
  readonly username: string;
  /** The case-folded username; unique within its tenant. */
  readonly usernameKey: string;
  /** Normalised (trimmed, NFC, lower-case); unique within its tenant. */
  readonly email: string;
  /** E.164. */
  readonly phone: string;
  readonly active: boolean;
  /** Starts at 1; every change bumps it by exactly 1. */
  readonly version: number;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  /** `null` until a claim completes, and again after a reset or a rotation. */
  readonly key: StoredKey | null;
  /** The key a rotation superseded, still working until its `endsAt`; at most one. */
  readonly previousKey: PreviousKey | null;
  /** The open claim, if any. An account never has both a (current) key and a claim. */
  readonly claim: StoredClaim | null;
  /** The last accepted verification flushed by {@link AccountStore.recordUsage}; `null`: none yet. */
  readonly lastUsedAt: Date | null;
  readonly access: AccountAccess;
}

/**
 * Verifications of one account's keys on one UTC day, counted in memory and
 * flushed in batches by the core.
 *
 * @example
 * ```ts
 * const count: UsageCount = { accountId, day: '2026-12-02', accepted: 120, refused: 3, lastUsedAt: now };
 * ```
 */
export interface UsageCount {
  readonly accountId: string;
  /** `YYYY-MM-DD`, UTC. */
  readonly day: string;
  readonly accepted: number;
  readonly refused: number;
  /** The last accepted verification among these; `null` when none was accepted. */
  readonly lastUsedAt: Date | null;
}

/**
 * One day of an account's usage, as {@link AccountStore.readUsage} answers.
 *
 * @example
 * ```ts
 * const day: UsageDay = { day: '2026-12-02', accepted: 120, refused: 3 };
 * ```
 */
export interface UsageDay {
  readonly day: string;
  readonly accepted: number;
  readonly refused: number;
}

/**
 * What verification needs to know about the holder of a key, and nothing more.
 *
 * @example
 * ```ts
 * const holder: KeyHolder = {
 *   accountId: 'acct_…', tenant: 'default', username: 'ACME', active: true, keyHash: '9f86…',
 *   keyState: 'current', expiresAt: null, supersededAt: null,
 *   access: { scopes: ['customers:read'], allowedIps: [], rateLimit: null, quota: null },
 * };
 * ```
 */
export interface KeyHolder {
  readonly accountId: string;
  readonly tenant: string;
  readonly username: string;
  readonly active: boolean;
  /** The stored digest: the one the lookup was asked for. */
  readonly keyHash: string;
  /** Whether the hash is the account's current key or the previous one a rotation superseded. */
  readonly keyState: 'current' | 'previous';
  /** When this key stops working: a current key's expiry (`null`: never), a previous key's `endsAt`. */
  readonly expiresAt: Date | null;
  /** A previous key's `supersededAt`; `null` for the current key. */
  readonly supersededAt: Date | null;
  readonly access: AccountAccess;
}

/**
 * What verifying a signed request needs to know about the account a username
 * names.
 *
 * @example
 * ```ts
 * const signer: Signer = {
 *   accountId: 'acct_…', tenant: 'default', username: 'ACME', active: true, keyHash: '9f86…', sealedSecret: 'k1.…',
 *   keyExpiresAt: null, previous: null, access: { scopes: null, allowedIps: [], rateLimit: null, quota: null },
 * };
 * ```
 */
export interface Signer {
  readonly accountId: string;
  readonly tenant: string;
  readonly username: string;
  readonly active: boolean;
  /** `null` while no key is issued. */
  readonly keyHash: string | null;
  /** The key's secret sealed by the `SecretSealer`; `null` when none was sealed. */
  readonly sealedSecret: string | null;
  /** When the current key expires; `null`: never, or no key. */
  readonly keyExpiresAt: Date | null;
  /** The previous key a rotation superseded, while the account has one. */
  readonly previous: {
    readonly keyHash: string;
    readonly sealedSecret: string | null;
    readonly supersededAt: Date;
    readonly endsAt: Date;
  } | null;
  readonly access: AccountAccess;
}

/**
 * What happened to an account, as stored and as returned by `accountHistory`.
 *
 * @example
 * ```ts
 * const event: AccountEvent = { type: 'account.deactivated', accountId, tenant: 'default', actorId: 'admin-1', at: now };
 * ```
 */
export interface AccountEvent {
  readonly type: AccountEventType;
  readonly accountId: string;
  /** The account's tenant, so that an audit log can file the event under its venue. */
  readonly tenant: string;
  /** The administrator who acted; `null` for the partner's own claim steps. */
  readonly actorId: string | null;
  readonly at: Date;
  /** For `account.updated`: the names of the fields that changed (never their values). */
  readonly fields?: readonly ('username' | 'email' | 'phone')[];
  /** For `key.rotation_opened`: until when the previous key works at most; for `key.reminder_sent`: the key's expiry. */
  readonly until?: Date;
  /** For `account.scopes_changed` and `account.access_changed`: what changed, before and after. */
  readonly changes?: AccessChanges;
  /** For `key.leaked`: who reported it and where the key was found; never the key. */
  readonly leak?: LeakReport;
}

/**
 * Where a leaked key was found, as its reporter said: a scanner's name
 * (`github`, `gitlab`, `support`…) and the address of the finding, if any.
 *
 * @example
 * ```ts
 * const report: LeakReport = { source: 'github', url: 'https://github.com/acme/app/blob/abc123/.env' };
 * ```
 */
export interface LeakReport {
  readonly source: string;
  readonly url: string | null;
}

/**
 * What an access change changed, before and after (never a secret).
 *
 * @example
 * ```ts
 * const changes: AccessChanges = { scopes: { before: ['customers:read'], after: ['customers:read', 'orders:write'] } };
 * ```
 */
export interface AccessChanges {
  readonly scopes?: { readonly before: readonly string[]; readonly after: readonly string[] };
  readonly allowedIps?: { readonly before: readonly string[]; readonly after: readonly string[] };
  readonly rateLimit?: {
    readonly before: RateLimitPolicy | null;
    readonly after: RateLimitPolicy | null;
  };
  readonly quota?: { readonly before: QuotaPolicy | null; readonly after: QuotaPolicy | null };
}

/**
 * Every kind of event the manager records.
 *
 * - `account.created` — an administrator created the account (a claim was opened).
 * - `account.updated` — username, email or phone changed.
 * - `account.deactivated` / `account.reactivated` — access switched off / on.
 * - `account.scopes_changed` — the scopes granted changed (`changes.scopes`).
 * - `account.access_changed` — the allowed addresses, the rate limit or the quota changed (`changes`).
 * - `key.reset` — the key (and any previous key) was revoked and a new claim opened.
 * - `key.rotation_opened` — a planned rotation: a new claim opened, the key working on as the previous one.
 * - `key.grace_ended` — the previous key stopped working (ended early, or its time was up).
 * - `key.leaked` — a key was reported found in public (`leak`): a current key was revoked and a
 *   new claim opened, as on reset; a previous key's grace ended.
 * - `key.reminder_sent` — the partner was reminded that its key expires.
 * - `key.expired` — the key's lifetime ended.
 * - `account.deleted` — the account was deleted; this entry is all its history keeps.
 * - `claim.resent` — a fresh claim replaced the pending one.
 * - `claim.cancelled` — a contact change cancelled the pending claim.
 * - `claim.code_rejected` — a wrong code used one attempt.
 * - `key.claimed` — the partner claimed the key.
 *
 * @example
 * ```ts
 * const switchedOff = items.filter((event) => event.type === 'account.deactivated');
 * ```
 */
export type AccountEventType =
  | 'account.created'
  | 'account.updated'
  | 'account.deactivated'
  | 'account.reactivated'
  | 'account.scopes_changed'
  | 'account.access_changed'
  | 'key.reset'
  | 'key.rotation_opened'
  | 'key.grace_ended'
  | 'key.leaked'
  | 'key.reminder_sent'
  | 'key.expired'
  | 'account.deleted'
  | 'claim.resent'
  | 'claim.cancelled'
  | 'claim.code_rejected'
  | 'key.claimed';

/**
 * Outcome of {@link AccountStore.insertAccount}.
 *
 * - `inserted` — the account, its claim and its events are stored.
 * - `username_taken` / `email_taken` — another account holds it; nothing was written.
 *
 * @example
 * ```ts
 * // In an SQL adapter: a unique violation on the email index becomes
 * return { outcome: 'email_taken' };
 * ```
 */
export type InsertAccountOutcome =
  | { readonly outcome: 'inserted' }
  | { readonly outcome: 'username_taken' }
  | { readonly outcome: 'email_taken' };

/**
 * A change to one account, decided by the manager and applied by
 * {@link AccountStore.applyAccountChange}. Fields left out are not touched.
 *
 * @example
 * ```ts
 * const change: AccountChange = {
 *   accountId, expectedVersion: account.version, at: now,
 *   active: false, events: [{ type: 'account.deactivated', accountId, actorId, at: now }],
 * };
 * ```
 */
export interface AccountChange {
  readonly accountId: string;
  /** Applied only if the stored version still equals this. */
  readonly expectedVersion: number;
  /** Becomes `updatedAt`. */
  readonly at: Date;
  /** New username (with its key), email and phone; absent when unchanged. */
  readonly profile?: {
    readonly username: string;
    readonly usernameKey: string;
    readonly email: string;
    readonly phone: string;
  };
  readonly active?: boolean;
  /** New scopes, allowed addresses and rate limit, all three. */
  readonly access?: AccountAccess;
  /** Drop the current key: it stops verifying as soon as this change is applied. */
  readonly revokeKey?: true;
  /** Set the previous key (a rotation), or drop it (`null`): it stops verifying as soon as this change is applied. */
  readonly previousKey?: PreviousKey | null;
  /** Record what was done about the current key's expiry. */
  readonly keyNotices?: { readonly remindersSent: number; readonly expiryRecorded: boolean };
  /** `open` replaces any pending claim with this one; `cancel` removes the pending claim. */
  readonly claim?:
    | { readonly kind: 'open'; readonly claim: StoredClaim }
    | { readonly kind: 'cancel' };
  /** Appended to the account's history in the same transaction. */
  readonly events: readonly AccountEvent[];
}

/**
 * Outcome of {@link AccountStore.applyAccountChange}.
 *
 * - `applied` — written; `account` is the stored result with `version` bumped by one.
 * - `not_found` — no account has this id.
 * - `version_conflict` — the stored version differs from `expectedVersion`; nothing written.
 * - `username_taken` / `email_taken` — the new profile collides; nothing written.
 *
 * @example
 * ```ts
 * if (updatedRows === 0) return { outcome: 'version_conflict' };
 * ```
 */
export type ApplyChangeOutcome =
  | { readonly outcome: 'applied'; readonly account: AccountRecord }
  | { readonly outcome: 'not_found' }
  | { readonly outcome: 'version_conflict' }
  | { readonly outcome: 'username_taken' }
  | { readonly outcome: 'email_taken' };

/**
 * Outcome of {@link AccountStore.recordFailedClaimAttempt}.
 *
 * - `counted` — one attempt used; `attempts` is the new count (at most `maxAttempts`).
 * - `locked` — the claim had no attempts left; nothing changed.
 * - `gone` — the claim is no longer the account's open claim (used, replaced, cancelled).
 *
 * @example
 * ```ts
 * return { outcome: 'counted', attempts: row.attempts, maxAttempts: row.max_attempts };
 * ```
 */
export type FailedAttemptOutcome =
  | { readonly outcome: 'counted'; readonly attempts: number; readonly maxAttempts: number }
  | { readonly outcome: 'locked' }
  | { readonly outcome: 'gone' };

/**
 * Outcome of {@link AccountStore.completeClaim}.
 *
 * - `completed` — the key is stored, the claim consumed; `account` is the result.
 * - `gone` — the claim was already used, replaced or cancelled.
 * - `locked` / `expired` — the claim can no longer be completed.
 * - `inactive` — the account is switched off; the claim stays open.
 *
 * @example
 * ```ts
 * return { outcome: 'completed', account: toRecord(row) };
 * ```
 */
export type CompleteClaimOutcome =
  | { readonly outcome: 'completed'; readonly account: AccountRecord }
  | { readonly outcome: 'gone' }
  | { readonly outcome: 'locked' }
  | { readonly outcome: 'expired' }
  | { readonly outcome: 'inactive' };

/**
 * Where a page of {@link AccountStore.listAccounts} starts: after this
 * account, in the order of the page's `sort` (the last account of the
 * previous page).
 *
 * @example
 * ```ts
 * const next: AccountPosition = { id: last.id, createdAt: last.createdAt, usernameKey: last.usernameKey, lastUsedAt: last.lastUsedAt };
 * ```
 */
export interface AccountPosition {
  readonly id: string;
  readonly createdAt: Date;
  readonly usernameKey: string;
  readonly lastUsedAt: Date | null;
}

/**
 * How {@link AccountStore.listAccounts} orders accounts, always ascending with
 * the id breaking ties: by `createdAt`, by `usernameKey`, or by `lastUsedAt`
 * with never-used accounts first.
 *
 * @example
 * ```ts
 * const sort: AccountSort = 'lastUsedAt'; // the integrations idle longest come first
 * ```
 */
export type AccountSort = 'createdAt' | 'username' | 'lastUsedAt';

/**
 * An account's state for listing: a claim that can still be completed (open,
 * not expired, not locked), a key issued, or neither.
 *
 * @example
 * ```ts
 * const waiting: AccountState = 'claim_pending';
 * ```
 */
export type AccountState = 'claim_pending' | 'key_issued' | 'no_key';

/**
 * Which accounts {@link AccountStore.listAccounts} and
 * {@link AccountStore.countAccounts} include; every given condition must hold.
 *
 * @example
 * ```ts
 * const filter: AccountFilter = { active: true, state: 'key_issued', unusedSince: monthAgo };
 * ```
 */
export interface AccountFilter {
  /** Only accounts of these tenants; absent: every tenant. */
  readonly tenants?: readonly string[];
  readonly active?: boolean;
  /** Judged at `now` (a claim pending until it expires). */
  readonly state?: AccountState;
  /** Never used, or last used before this. */
  readonly unusedSince?: Date;
  /**
   * A prefix of the case-folded username (`usernameKey`) or of the
   * normalised email, as given (already folded and normalised by the core).
   */
  readonly search?: { readonly usernameKey: string; readonly email: string };
}

/**
 * A page of the store's change feed, from {@link AccountStore.readChangesSince}.
 *
 * @example
 * ```ts
 * const page: ChangePage = { accountIds: ['acct_…'], position: '42', more: false };
 * ```
 */
export interface ChangePage {
  /** Accounts with events appended since the position asked from (repeats allowed). */
  readonly accountIds: readonly string[];
  /** Where to read on from; opaque to the caller. */
  readonly position: string;
  /** `true` when the page was cut short: read again at once from `position`. */
  readonly more: boolean;
}

/**
 * Where API accounts, their claims and their history live.
 *
 * Methods may reject or throw when the storage fails; the manager turns that into
 * `StoreUnavailable`. Every write is all-or-nothing: on failure nothing of it is
 * visible. Records returned are the caller's to keep: later writes do not mutate
 * them.
 *
 * Prove an implementation with `accountStoreContract` from `api-accounts/testing`.
 *
 * @example
 * ```ts
 * import { inMemoryPorts } from 'api-accounts';
 * const store: AccountStore = inMemoryPorts().store;
 * ```
 */
export interface AccountStore {
  /**
   * For a store shared by several app instances: the bus that carries changes
   * between them, so verification caches everywhere drop a changed account.
   * The manager subscribes through it unless given its own `invalidations`.
   */
  readonly invalidations?: InvalidationBus;

  /**
   * Stores a new account (with its open claim) and its events, atomically.
   *
   * Guarantee: username (by `usernameKey`) and email are unique within the
   * account's tenant even under concurrent inserts and edits: of many
   * concurrent calls with one email in one tenant, exactly one returns
   * `inserted`. Two tenants may each hold the same username and email.
   */
  insertAccount(
    account: AccountRecord,
    events: readonly AccountEvent[],
  ): Promise<InsertAccountOutcome>;

  /**
   * The account with this id, or `null`. With `tenants`, an account of any
   * other tenant is `null` too, answered by the same lookup: an administrator
   * of one venue can tell another venue's account from a missing one neither
   * by the answer nor by its timing.
   */
  findAccountById(id: string, tenants?: readonly string[]): Promise<AccountRecord | null>;

  /**
   * Who holds the key with this hash, as its current key or as its previous
   * one, or `null`. The hot path of verification: must be indexed lookups,
   * read only the few columns of {@link KeyHolder}, and never write.
   *
   * Keys are unique across tenants: without `tenant` the holder may be of
   * any tenant. With `tenant`, a holder of another tenant is `null`, answered
   * by the same lookup as a key nobody holds, so that a key used at another
   * venue's door costs what a made-up one does.
   *
   * Guarantee: once a change revoking the key (or dropping the previous key)
   * has been applied, this returns `null` for the old hash.
   */
  findKeyHolder(keyHash: string, tenant?: string): Promise<KeyHolder | null>;

  /**
   * The account of `tenant` whose case-folded username is `usernameKey`, as a
   * signed request's verifier needs it, or `null`. An indexed lookup; never
   * writes.
   */
  findSigner(tenant: string, usernameKey: string): Promise<Signer | null>;

  /** The account whose open claim has this token hash, or `null` (used, replaced, cancelled, unknown). */
  findAccountByClaimToken(tokenHash: string): Promise<AccountRecord | null>;

  /**
   * Up to `limit` accounts matching `filter`, in `sort` order, starting after
   * `after` (from the first when `null`). Stable under inserts: no account is
   * skipped or repeated between pages. Keyset pagination: a page deep in the
   * list costs what the first one does.
   */
  listAccounts(query: {
    readonly limit: number;
    readonly after: AccountPosition | null;
    readonly sort: AccountSort;
    readonly filter: AccountFilter;
    /** The time `filter.state` is judged at. */
    readonly now: Date;
  }): Promise<AccountRecord[]>;

  /** How many accounts match `filter` (judged at `now`). */
  countAccounts(query: { readonly filter: AccountFilter; readonly now: Date }): Promise<number>;

  /**
   * Accounts that may have key expiry or grace work due, for `runDueTasks`:
   * a current key expiring at or before `keysExpiringBy` whose expiry is not
   * yet recorded, or a previous key ending at or before `previousEndingBy`.
   * Up to `limit`, in id order, after the id `after` (from the first when
   * `null`). May return accounts with nothing due (the core decides); never
   * misses one. Reads only; the core applies what it decides through
   * `applyAccountChange`, so of several instances running the tasks at once,
   * exactly one applies each step.
   */
  listDueAccounts(query: {
    readonly keysExpiringBy: Date;
    readonly previousEndingBy: Date;
    readonly limit: number;
    readonly after: string | null;
  }): Promise<AccountRecord[]>;

  /**
   * Applies `change` if the stored version equals `change.expectedVersion`, bumps
   * the version by one, sets `updatedAt`, and appends the events, atomically.
   *
   * Guarantees: optimistic concurrency (of concurrent changes based on one
   * version, exactly one is applied); a new username or email is unique as in
   * `insertAccount`; `revokeKey` makes `findKeyHolder` miss the old hash at
   * once; opening a claim replaces the previous one, whose token no longer finds
   * the account. An account's tenant never changes.
   */
  applyAccountChange(change: AccountChange): Promise<ApplyChangeOutcome>;

  /**
   * Uses one attempt of the account's open claim with this token hash, if it has
   * attempts left, and appends `event` when it does.
   *
   * Guarantee: the counter cannot overshoot. Of any number of concurrent calls on
   * a claim with `n` attempts left, exactly `n` return `counted` and the rest
   * `locked`. Does not change the account's version.
   */
  recordFailedClaimAttempt(
    accountId: string,
    tokenHash: string,
    event: AccountEvent,
  ): Promise<FailedAttemptOutcome>;

  /**
   * Consumes the account's open claim with this token hash and stores `key`, if
   * the claim is still open, not expired at `at`, has attempts left, and the
   * account is active. Bumps the version, sets `updatedAt`, appends `event`,
   * atomically. A previous key with `graceAfterClaimMs` gets
   * `endsAt = min(endsAt, at + graceAfterClaimMs)`, and the grace becomes `null`.
   *
   * Guarantee: exactly one caller consumes the claim. Of any number of
   * concurrent calls for one claim, at most one returns `completed`.
   */
  completeClaim(
    accountId: string,
    tokenHash: string,
    key: StoredKey,
    at: Date,
    event: AccountEvent,
  ): Promise<CompleteClaimOutcome>;

  /**
   * Deletes the account if its version still equals `expectedVersion`: its
   * row (and with it the key, any previous key and the claim), its usage and
   * its events, and appends `event` in their place, atomically. Guarantee:
   * once `deleted` is answered, no key of the account verifies.
   */
  deleteAccount(
    accountId: string,
    expectedVersion: number,
    event: AccountEvent,
  ): Promise<{ readonly outcome: 'deleted' | 'not_found' | 'version_conflict' }>;

  /**
   * Adds the counts to each account's day totals and moves each account's
   * `lastUsedAt` forward to the count's (never back), all in one transaction.
   * Counts for an account that no longer exists are dropped.
   *
   * Guarantee: totals are sums, so batches flushed by several instances at
   * once all count, whatever their order.
   */
  recordUsage(counts: readonly UsageCount[]): Promise<void>;

  /** The account's usage on the days from `fromDay` to `toDay` (`YYYY-MM-DD`, both included) that have any, oldest first. */
  readUsage(accountId: string, fromDay: string, toDay: string): Promise<UsageDay[]>;

  /**
   * The account's events, oldest first (in the order they were appended).
   * With `tenants`, only events of an account of one of them (a deleted
   * account's too).
   */
  listEvents(accountId: string, tenants?: readonly string[]): Promise<AccountEvent[]>;

  /**
   * The change feed that keeps verification caches honest across instances
   * and processes, whatever happens to notifications: which accounts had
   * events appended since `position` (`null`: none, only the current end of
   * the feed, to start from). Read-only; never writes.
   *
   * Guarantee: a change whose write had returned before this call started is
   * reported by this call or by an earlier one in the chain of positions, even
   * when writes commit in another order than their sequence numbers.
   *
   * Optional: without it, a manager with `verifyCache` must be told
   * `singleInstance: true`, because nothing would bring another process's
   * revocations to its cache.
   */
  readChangesSince?(position: string | null): Promise<ChangePage>;
}
