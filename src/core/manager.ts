import type { AccountEvent, UsageDay } from '../ports/account-store.js';
import type { ApiAccount } from './account.js';
import { type Actor, authorizer } from './actor.js';
import { changeFeed } from './change-feed.js';
import type { InternalError } from './errors.js';
import {
  type AccountUsageError,
  accountUsage,
  type QuotaStatus,
  quotaStatus,
} from './operations/account-usage.js';
import type { ExpectedVersion } from './operations/change-account.js';
import {
  type ClaimApiKeyError,
  type ClaimedKey,
  type ClaimPreview,
  claimApiKey,
  type InspectClaimError,
  inspectClaim,
} from './operations/claim-api-key.js';
import { type CreateAccountError, createAccount } from './operations/create-account.js';
import {
  type AccountDeleted,
  type DeleteAccountError,
  deleteAccount,
} from './operations/delete-account.js';
import type { ClaimIssued, ClaimMessageOptions } from './operations/deliver-claim.js';
import type { OperationContext } from './operations/operation-context.js';
import {
  type AccountPage,
  accountHistory,
  type GetAccountError,
  getAccount,
  type ListAccountsError,
  type ListAccountsQuery,
  listAccounts,
} from './operations/read-accounts.js';
import {
  type LeakedKey,
  type LeakedKeyReport,
  type ReportLeakedKeyError,
  reportLeakedKey,
} from './operations/report-leaked-key.js';
import {
  type ResendClaimError,
  type ResetApiKeyError,
  resendClaim,
  resetApiKey,
} from './operations/reset-api-key.js';
import {
  type EndGracePeriodError,
  endGracePeriod,
  type RotateApiKeyError,
  type RotateApiKeyOptions,
  rotateApiKey,
} from './operations/rotate-api-key.js';
import {
  type DueTasksDone,
  type RunDueTasksError,
  type RunDueTasksOptions,
  runDueTasks,
} from './operations/run-due-tasks.js';
import {
  type AccountPatch,
  setAccountActive,
  type UpdateAccountError,
  updateAccount,
} from './operations/update-account.js';
import type { AccountInput } from './operations/validate-profile.js';
import { type ApiAccountManagerOptions, resolveConfig } from './options.js';
import { wrapPorts } from './port-calls.js';
import type { Principal } from './principal.js';
import { ResultAsync } from './result.js';
import { cryptoKeyGenerator } from './system/crypto-key-generator.js';
import type { VerifyApiKeyError, VerifyOptions } from './verification/bearer.js';
import type { SignedRequest, VerifySignedRequestError } from './verification/signed.js';
import { buildVerification, type Verification } from './verification/verifier.js';

/**
 * The API-account lifecycle, embedded in a host system: administrators create,
 * edit, reset and switch off accounts; partners claim their key once; gateways
 * verify it.
 *
 * Every method returns a neverthrow `ResultAsync` and never throws or rejects,
 * whatever the input and whatever the ports do: failures come back as typed
 * errors ({@link ApiAccountError}). Administrative methods take the acting user
 * first and require {@link SETTINGS_ADMINISTRATOR}.
 *
 * @example
 * ```ts
 * import { ApiAccountManager, inMemoryPorts, SETTINGS_ADMINISTRATOR } from 'api-accounts';
 *
 * const ports = inMemoryPorts();
 * const manager = new ApiAccountManager({
 *   ...ports,
 *   claimUrl: (token) => `https://box-office.example/api-access/claim?token=${token}`,
 * });
 * const admin = { id: 'admin-1', roles: [SETTINGS_ADMINISTRATOR] };
 *
 * const created = await manager.createAccount(admin, {
 *   username: 'ACME Tickets', email: 'dev@acme.example', phone: '+447894123456',
 * });
 * if (created.isErr()) console.error(created.error.message);
 * ```
 */
export class ApiAccountManager {
  readonly #ctx: OperationContext;
  /** Verification, composed: the manager's operations share its cache and usage counter. */
  readonly #verification: Verification;
  readonly #drainPublishes: () => Promise<void>;

  /**
   * Checks the configuration once. A misconfiguration (a missing port, a
   * non-positive TTL, an unknown `defaultCountry`) is the host's programming
   * error and throws a `TypeError` here, at start-up, not on every later call.
   *
   * @example
   * ```ts
   * const manager = new ApiAccountManager({ ...inMemoryPorts(), claimUrl: (t) => `https://bo.example/claim?token=${t}` });
   * ```
   */
  constructor(options: ApiAccountManagerOptions) {
    const config = resolveConfig(options);
    const verification = buildVerification(options, config);
    const { ctx, log } = verification;
    const feed = changeFeed({
      onEvent: config.onEvent,
      cache: ctx.cache,
      bus: config.invalidations,
      log,
    });
    this.#verification = verification;
    this.#drainPublishes = feed.drain;
    this.#ctx = {
      ...ctx,
      authorize: authorizer(options.authorize),
      // Production default: Node's CSPRNG.
      ports: wrapPorts(
        ctx.ports,
        { ...options, keys: options.keys ?? cryptoKeyGenerator() },
        config.retry,
        verification.telemetry,
      ),
      config,
      publish: feed.publish,
      invalidate: feed.invalidate,
    };
  }

  /** Runs an operation with every throw caught as `InternalError`, and its outcome logged. */
  #run<T, E extends { readonly type: string }>(
    method: string,
    operation: () => ResultAsync<T, E>,
  ): ResultAsync<T, E | InternalError> {
    return this.#verification.run(method, operation);
  }

  /**
   * Stops listening for invalidations from other instances and reading the
   * store's change feed (the verification cache is emptied and switched off),
   * and waits for announcements of changes still under way. Call it when
   * shutting the app down; the store and its connections stay the host's to
   * close.
   *
   * @example
   * ```ts
   * await manager.close();
   * await store.close();
   * ```
   */
  close(): ResultAsync<void, never> {
    return ResultAsync.fromSafePromise(
      Promise.all([this.#verification.verifier.close(), this.#drainPublishes()]).then(
        () => undefined,
      ),
    );
  }

  /**
   * Writes the usage counted in memory now, in one batch, instead of at the
   * next flush interval. `close()` does it too. A failed write is logged and
   * its counts kept for the next flush; this never fails.
   *
   * @example
   * ```ts
   * await manager.flushUsage();
   * ```
   */
  flushUsage(): ResultAsync<void, never> {
    return this.#verification.verifier.flushUsage();
  }

  /**
   * Verifications of the account's keys per UTC day from `from` to `to`:
   * `accepted`, and `refused` (a known key refused: switched off, expired).
   * Includes counts not yet flushed by this instance. `to` defaults to now
   * and `from` to 29 days before it: the last 30 days.
   *
   * @example
   * ```ts
   * const { items } = (await manager.accountUsage(admin, id, { from: weekAgo, to: new Date() }))._unsafeUnwrap();
   * ```
   */
  accountUsage(
    actor: Actor,
    accountId: string,
    range: { readonly from?: Date; readonly to?: Date } = {},
  ): ResultAsync<{ readonly items: readonly UsageDay[] }, AccountUsageError> {
    return this.#run('accountUsage', () => accountUsage(this.#ctx, actor, accountId, range));
  }

  /**
   * The account's quota (its own, or the default `quota`) and how much of
   * the current UTC day or month it has used, as the quota counter has it;
   * `null` when no quota applies.
   *
   * @example
   * ```ts
   * const status = (await manager.quotaStatus(admin, id))._unsafeUnwrap();
   * if (status && status.used > status.limit * 0.9) warnPartner(id);
   * ```
   */
  quotaStatus(actor: Actor, accountId: string): ResultAsync<QuotaStatus | null, AccountUsageError> {
    return this.#run('quotaStatus', () => quotaStatus(this.#ctx, actor, accountId));
  }

  /**
   * Creates an account, stores it with an open claim, and sends the SMS code and
   * the email link. Delivery failures are reported per channel, not as
   * an error: the account is kept and `resendClaim` tries again.
   *
   * @example
   * ```ts
   * const r = await manager.createAccount(admin, { username: 'ACME', email: 'dev@acme.example', phone: '+447894123456' });
   * if (r.isOk() && r.value.delivery.sms.status === 'failed') offerResend(r.value.account.id);
   * ```
   */
  createAccount(
    actor: Actor,
    input: AccountInput,
    options?: ClaimMessageOptions,
  ): ResultAsync<ClaimIssued, CreateAccountError> {
    return this.#run('createAccount', () => createAccount(this.#ctx, actor, input, options));
  }

  /**
   * Lists accounts oldest first, a page at a time.
   *
   * @example
   * ```ts
   * const page = await manager.listAccounts(admin, { limit: 20 });
   * ```
   */
  listAccounts(
    actor: Actor,
    query: ListAccountsQuery = {},
  ): ResultAsync<AccountPage, ListAccountsError> {
    return this.#run('listAccounts', () => listAccounts(this.#ctx, actor, query));
  }

  /**
   * Reads one account.
   *
   * @example
   * ```ts
   * const account = await manager.getAccount(admin, id);
   * ```
   */
  getAccount(actor: Actor, accountId: string): ResultAsync<ApiAccount, GetAccountError> {
    return this.#run('getAccount', () => getAccount(this.#ctx, actor, accountId));
  }

  /**
   * Edits username, email, phone and the active flag. A new email or phone
   * cancels a pending claim; the key, if issued, keeps working.
   *
   * @example
   * ```ts
   * await manager.updateAccount(admin, id, { phone: '+447911123456', expectedVersion: account.version });
   * ```
   */
  updateAccount(
    actor: Actor,
    accountId: string,
    patch: AccountPatch,
  ): ResultAsync<ApiAccount, UpdateAccountError> {
    return this.#run('updateAccount', () => updateAccount(this.#ctx, actor, accountId, patch));
  }

  /**
   * Switches access off: the key stops verifying at once; nothing is deleted.
   *
   * @example
   * ```ts
   * await manager.deactivateAccount(admin, id);
   * ```
   */
  deactivateAccount(
    actor: Actor,
    accountId: string,
    options?: ExpectedVersion,
  ): ResultAsync<ApiAccount, UpdateAccountError> {
    return this.#run('deactivateAccount', () =>
      setAccountActive(this.#ctx, actor, accountId, false, options),
    );
  }

  /**
   * Switches access back on: the same key works again.
   *
   * @example
   * ```ts
   * await manager.reactivateAccount(admin, id);
   * ```
   */
  reactivateAccount(
    actor: Actor,
    accountId: string,
    options?: ExpectedVersion,
  ): ResultAsync<ApiAccount, UpdateAccountError> {
    return this.#run('reactivateAccount', () =>
      setAccountActive(this.#ctx, actor, accountId, true, options),
    );
  }

  /**
   * Revokes the key at once and opens a new claim, sent as on create.
   * Requires `{ confirm: true }`.
   *
   * @example
   * ```ts
   * await manager.resetApiKey(admin, id, { confirm: true });
   * ```
   */
  resetApiKey(
    actor: Actor,
    accountId: string,
    options: { readonly confirm: true } & ClaimMessageOptions & ExpectedVersion,
  ): ResultAsync<ClaimIssued, ResetApiKeyError> {
    return this.#run('resetApiKey', () => resetApiKey(this.#ctx, actor, accountId, options));
  }

  /**
   * A planned rotation: a new claim goes out as on reset, and the current key
   * works on until `graceMs` after the partner claims the new one (default 24 h),
   * at most `maxGraceMs` from now (default 14 days). Requires `{ confirm: true }`.
   *
   * @example
   * ```ts
   * await manager.rotateApiKey(admin, id, { confirm: true, graceMs: 48 * 3_600_000 });
   * ```
   */
  rotateApiKey(
    actor: Actor,
    accountId: string,
    options: RotateApiKeyOptions,
  ): ResultAsync<ClaimIssued, RotateApiKeyError> {
    return this.#run('rotateApiKey', () => rotateApiKey(this.#ctx, actor, accountId, options));
  }

  /**
   * A key reported found in public (a secret scanner, a support ticket, the
   * partner): if it is live, it stops at once on every instance and a new
   * claim goes out saying where it was found (a current key, as on reset),
   * or its grace ends (a rotation's previous key). History: `key.leaked`.
   * Anything else (unknown, malformed, already revoked) answers `null` and
   * changes nothing, so reporting one key twice is harmless. No actor: the
   * finding is the authority; secure the channel that calls this.
   * `api-accounts/secret-scanning` answers GitHub's reports with it.
   *
   * @example
   * ```ts
   * const leaked = await manager.reportLeakedKey(key, { source: 'support', url: 'https://gist.github.com/…' });
   * ```
   */
  reportLeakedKey(
    key: string,
    report: LeakedKeyReport,
  ): ResultAsync<LeakedKey | null, ReportLeakedKeyError> {
    return this.#run('reportLeakedKey', () => reportLeakedKey(this.#ctx, key, report));
  }

  /**
   * Stops the previous key of a rotation now, before its grace period ends.
   *
   * @example
   * ```ts
   * await manager.endGracePeriod(admin, id);
   * ```
   */
  endGracePeriod(
    actor: Actor,
    accountId: string,
    options?: ExpectedVersion,
  ): ResultAsync<ApiAccount, EndGracePeriodError> {
    return this.#run('endGracePeriod', () => endGracePeriod(this.#ctx, actor, accountId, options));
  }

  /**
   * Sends the expiry reminders that are due, opens automatic rotations, ends
   * grace periods that ran out and records expired keys. Safe to run from a
   * timer on every instance and from cron at once: each step is applied by
   * exactly one of them, which alone sends its messages.
   *
   * @example
   * ```ts
   * setInterval(() => void manager.runDueTasks(), 60 * 60_000).unref();
   * ```
   */
  runDueTasks(options?: RunDueTasksOptions): ResultAsync<DueTasksDone, RunDueTasksError> {
    return this.#run('runDueTasks', () => runDueTasks(this.#ctx, options));
  }

  /**
   * Replaces the pending claim with a fresh one and sends it again; earlier links
   * stop working.
   *
   * @example
   * ```ts
   * await manager.resendClaim(admin, id);
   * ```
   */
  resendClaim(
    actor: Actor,
    accountId: string,
    options?: ClaimMessageOptions & ExpectedVersion,
  ): ResultAsync<ClaimIssued, ResendClaimError> {
    return this.#run('resendClaim', () => resendClaim(this.#ctx, actor, accountId, options));
  }

  /**
   * Deletes the account, after explicit confirmation: its keys stop at once,
   * its claim, usage and history go, and the history keeps one anonymised
   * `account.deleted` entry. Requires `{ confirm: true }`.
   *
   * @example
   * ```ts
   * await manager.deleteAccount(admin, id, { confirm: true });
   * ```
   */
  deleteAccount(
    actor: Actor,
    accountId: string,
    options: { readonly confirm: true } & ExpectedVersion,
  ): ResultAsync<AccountDeleted, DeleteAccountError> {
    return this.#run('deleteAccount', () => deleteAccount(this.#ctx, actor, accountId, options));
  }

  /**
   * The account's events, oldest first.
   *
   * @example
   * ```ts
   * const { items } = (await manager.accountHistory(admin, id))._unsafeUnwrap();
   * ```
   */
  accountHistory(
    actor: Actor,
    accountId: string,
  ): ResultAsync<{ readonly items: readonly AccountEvent[] }, GetAccountError> {
    return this.#run('accountHistory', () => accountHistory(this.#ctx, actor, accountId));
  }

  /**
   * What the claim page may show before the code: the masked phone, the expiry
   * and the attempts left, never the username.
   *
   * @example
   * ```ts
   * const preview = await manager.inspectClaim(token);
   * ```
   */
  inspectClaim(token: string): ResultAsync<ClaimPreview, InspectClaimError> {
    return this.#run('inspectClaim', () => inspectClaim(this.#ctx, token));
  }

  /**
   * Exchanges the link's token and the SMS code for the username and the API key,
   * exactly once. The key is never shown again.
   *
   * @example
   * ```ts
   * const claimed = await manager.claimApiKey({ token, code: '123456' });
   * if (claimed.isOk()) show(claimed.value.username, claimed.value.apiKey);
   * ```
   */
  claimApiKey(input: {
    readonly token: string;
    readonly code: string;
  }): ResultAsync<ClaimedKey, ClaimApiKeyError> {
    return this.#run('claimApiKey', () => claimApiKey(this.#ctx, input));
  }

  /**
   * Verifies a bearer key and returns who it acts as: refuses an unknown,
   * expired or switched-off key, a `clientIp` outside the account's
   * `allowedIps` (or none, when it has a list), and a key over its rate limit.
   *
   * @example
   * ```ts
   * const principal = await manager.verifyApiKey(request.headers.get('x-api-key') ?? '', { clientIp });
   * ```
   */
  verifyApiKey(key: string, options?: VerifyOptions): ResultAsync<Principal, VerifyApiKeyError> {
    return this.#verification.verifier.verifyApiKey(key, options);
  }

  /**
   * Verifies a `SpektrixAPI3` signed request and returns who it acts as,
   * under the same rules as {@link verifyApiKey} (`clientIp` in the request).
   * Needs a `sealer`; without one every signed request is
   * refused with reason `signing_not_configured` (bearer keys still work).
   *
   * @example
   * ```ts
   * const principal = await manager.verifySignedRequest({
   *   method: request.method, url: request.url, headers: request.headers,
   *   body: new Uint8Array(await request.arrayBuffer()),
   * });
   * ```
   */
  verifySignedRequest(request: SignedRequest): ResultAsync<Principal, VerifySignedRequestError> {
    return this.#verification.verifier.verifySignedRequest(request);
  }

  /** Hides the ports and configuration from `JSON.stringify`. */
  toJSON(): { readonly type: 'ApiAccountManager' } {
    return { type: 'ApiAccountManager' };
  }
}
