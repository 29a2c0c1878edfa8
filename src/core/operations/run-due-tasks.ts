import type {
  AccountChange,
  AccountEvent,
  AccountRecord,
  PreviousKey,
} from '../../ports/account-store.js';
import { type ClaimSecrets, storedClaimFor } from '../claim/claim-secrets.js';
import {
  errors,
  type InternalError,
  type InvalidInput,
  type PortFailed,
  type StoreUnavailable,
} from '../errors.js';
import { isRecord } from '../is-record.js';
import type { ResolvedLifecycle } from '../lifecycle/key-lifecycle-options.js';
import { defaultReminderEmail, defaultReminderSms } from '../messages/reminder-messages.js';
import { err, ok, okAsync, type Result, ResultAsync, safeTry } from '../result.js';
import { type ChangeDecision, changeAccount } from './change-account.js';
import { deliverClaim, renderThen } from './deliver-claim.js';
import type { OperationContext } from './operation-context.js';

/**
 * How far a `runDueTasks` run got: the accounts looked at so far, and what
 * was done to them.
 *
 * @example
 * ```ts
 * manager.runDueTasks({ onProgress: (p) => console.error(`${p.accountsChecked} accounts checked`) });
 * ```
 */
export interface DueTasksProgress extends DueTasksDone {
  readonly accountsChecked: number;
}

/**
 * Options of `runDueTasks`.
 *
 * @example
 * ```ts
 * const options: RunDueTasksOptions = { now: new Date(), onProgress: (p) => log.info(p) };
 * ```
 */
export interface RunDueTasksOptions {
  /** The time the tasks are due by. Default the clock's. */
  readonly now?: Date;
  /** Told after each page of accounts (a hundred), for a progress display. */
  readonly onProgress?: (progress: DueTasksProgress) => void;
}

/**
 * What one `runDueTasks` did (on this instance: other instances running at
 * the same time report their own share).
 *
 * @example
 * ```ts
 * const { remindersSent, rotationsOpened, graceEnded } = (await manager.runDueTasks())._unsafeUnwrap();
 * ```
 */
export interface DueTasksDone {
  /** Expiry reminders decided and sent by this run. */
  readonly remindersSent: number;
  /** Automatic rotations opened (`keyLifetime.autoRotate`). */
  readonly rotationsOpened: number;
  /** Previous keys whose grace period ended. */
  readonly graceEnded: number;
  /** Keys whose expiry was recorded (`key.expired`). */
  readonly keysExpired: number;
  /** Reminder or claim messages that could not be sent after the delivery retries (each reminder is decided once, and not sent again). */
  readonly deliveryFailures: number;
}

/**
 * Errors `runDueTasks` can return.
 *
 * @example
 * ```ts
 * const onError = (error: RunDueTasksError) => log.warn(error.type);
 * ```
 */
export type RunDueTasksError = InvalidInput | StoreUnavailable | PortFailed | InternalError;

/** Accounts read per page of due work. */
const PAGE = 100;

/** What is due on one account at one time. */
interface Due {
  readonly change: AccountChange;
  readonly reminder: boolean;
  readonly rotation: boolean;
  readonly graceEnded: boolean;
  readonly expired: boolean;
}

/**
 * Sends the expiry reminders that are due, opens automatic rotations, ends
 * grace periods that ran out and records expired keys. Each step is applied
 * as a versioned change, so of several instances running this at once exactly
 * one applies it, and only that one sends its messages.
 */
export function runDueTasks(
  ctx: OperationContext,
  options?: unknown,
): ResultAsync<DueTasksDone, RunDueTasksError> {
  return safeTry(async function* () {
    const now = yield* nowOf(ctx, options);
    const lifecycle = ctx.config.lifecycle;
    const horizon = now.getTime() + (lifecycle.keyLifetime?.reminders[0] ?? 0);
    const done = {
      remindersSent: 0,
      rotationsOpened: 0,
      graceEnded: 0,
      keysExpired: 0,
      deliveryFailures: 0,
    };
    const onProgress = progressListener(options);
    let checked = 0;
    let after: string | null = null;
    for (;;) {
      const page: AccountRecord[] = yield* ctx.ports.store.listDueAccounts({
        keysExpiringBy: new Date(horizon),
        previousEndingBy: now,
        limit: PAGE,
        after,
      });
      for (const record of page) {
        // One account's failure (a conflict lost three times, a store hiccup) does not stop the rest.
        const outcome = await dueOnAccount(ctx, record.id, now);
        if (outcome.isErr()) {
          if (outcome.error.type === 'StoreUnavailable') return err(outcome.error);
          continue;
        }
        const applied = outcome.value;
        if (!applied) continue;
        done.remindersSent += applied.reminder ? 1 : 0;
        done.rotationsOpened += applied.rotation ? 1 : 0;
        done.graceEnded += applied.graceEnded ? 1 : 0;
        done.keysExpired += applied.expired ? 1 : 0;
        done.deliveryFailures += applied.failures;
      }
      checked += page.length;
      onProgress({ accountsChecked: checked, ...done });
      if (page.length < PAGE) return ok(done);
      after = page[page.length - 1]?.id ?? null;
    }
  });
}

/**
 * Where a run reports how far it got, after each page of accounts: the
 * host's `onProgress`, whose failures never stop the run.
 */
function progressListener(options: unknown): (progress: DueTasksProgress) => void {
  const listener = isRecord(options) ? options['onProgress'] : undefined;
  if (typeof listener !== 'function') return () => undefined;
  return (progress) => {
    try {
      listener(progress);
    } catch {
      // A progress display that fails must not stop reminders going out.
    }
  };
}

function nowOf(ctx: OperationContext, options: unknown): Result<Date, InvalidInput | PortFailed> {
  const given = isRecord(options) ? options['now'] : undefined;
  if (given === undefined) return ctx.ports.now();
  return given instanceof Date && !Number.isNaN(given.getTime())
    ? ok(new Date(given))
    : err(errors.invalidInput('now', 'now must be a valid Date.'));
}

/** Applies what is due on one account; `null` when nothing was (or another instance did it). */
function dueOnAccount(ctx: OperationContext, accountId: string, now: Date) {
  return safeTry(async function* () {
    // Only an automatic rotation opens a claim: no randomness is drawn for anything else.
    const secrets = ctx.config.lifecycle.keyLifetime?.autoRotate
      ? yield* ctx.ports.claimSecrets()
      : null;
    let due: Due | null = null;
    const record = yield* changeAccount(
      ctx,
      accountId,
      (current): ResultAsync<ChangeDecision, never> => {
        due = decideDue(current, now, ctx.config.lifecycle, secrets, ctx.config);
        return okAsync(due ? { kind: 'apply', change: due.change } : { kind: 'unchanged' });
      },
    );
    const applied = due as Due | null;
    if (!applied) return ok(null);
    const failures = yield* ResultAsync.fromSafePromise(
      sendNotices(ctx, record, applied, secrets, now),
    );
    return ok({ ...applied, failures });
  });
}

/** What is due on `record` at `now`, as one change; `null` when nothing is. */
export function decideDue(
  record: AccountRecord,
  now: Date,
  lifecycle: ResolvedLifecycle,
  secrets: ClaimSecrets | null,
  claimOptions: { readonly claimTtlMs: number; readonly claimMaxAttempts: number },
): Due | null {
  const at = now.getTime();
  const events: AccountEvent[] = [];
  const event = (type: AccountEvent['type'], until?: Date): AccountEvent => ({
    type,
    accountId: record.id,
    tenant: record.tenant,
    actorId: null,
    at: now,
    ...(until ? { until } : {}),
  });
  let change: Omit<AccountChange, 'events'> = {
    accountId: record.id,
    expectedVersion: record.version,
    at: now,
  };
  const graceEnded = record.previousKey !== null && at >= record.previousKey.endsAt.getTime();
  if (graceEnded) {
    change = { ...change, previousKey: null };
    events.push(event('key.grace_ended'));
  }
  const { key } = record;
  const lifetime = lifecycle.keyLifetime;
  const expiresAt = key?.expiryRecorded === false ? key.expiresAt : null;
  const dueReminders =
    lifetime && expiresAt
      ? lifetime.reminders.filter((before) => at >= expiresAt.getTime() - before).length
      : 0;
  const expired = key !== null && expiresAt !== null && at >= expiresAt.getTime();
  const reminder = key !== null && !expired && dueReminders > key.remindersSent;
  // The first reminder opens the rotation; the old key works on until it expires.
  const rotation =
    reminder &&
    lifetime?.autoRotate === true &&
    key?.remindersSent === 0 &&
    expiresAt !== null &&
    secrets !== null;
  if (expired && key) {
    change = { ...change, keyNotices: { remindersSent: key.remindersSent, expiryRecorded: true } };
    events.push(event('key.expired'));
  } else if (rotation && key && expiresAt && secrets) {
    const previousKey: PreviousKey = {
      hash: key.hash,
      sealedSecret: key.sealedSecret,
      supersededAt: now,
      endsAt: expiresAt,
      // Automatic: the partner keeps the whole remaining life of the old key to switch over.
      graceAfterClaimMs: null,
    };
    const claim = storedClaimFor(secrets, now, {
      ttlMs: claimOptions.claimTtlMs,
      maxAttempts: claimOptions.claimMaxAttempts,
    });
    change = { ...change, revokeKey: true, previousKey, claim: { kind: 'open', claim } };
    events.push(event('key.reminder_sent', expiresAt), event('key.rotation_opened', expiresAt));
  } else if (reminder && expiresAt) {
    change = { ...change, keyNotices: { remindersSent: dueReminders, expiryRecorded: false } };
    events.push(event('key.reminder_sent', expiresAt));
  }
  if (events.length === 0) return null;
  return { change: { ...change, events }, reminder, rotation, graceEnded, expired };
}
/** Sends the reminder (and the rotation's claim); answers how many messages failed. */
async function sendNotices(
  ctx: OperationContext,
  record: AccountRecord,
  due: Due,
  secrets: ClaimSecrets | null,
  now: Date,
): Promise<number> {
  let failures = 0;
  if (due.rotation && secrets) {
    const issued = await deliverClaim(ctx, record, secrets, 'rotated', ctx.config.locale);
    for (const sent of issued.isOk() ? Object.values(issued.value.delivery) : []) {
      if (sent.status === 'failed') failures += 1;
    }
  }
  const lifetime = ctx.config.lifecycle.keyLifetime;
  if (!due.reminder || !lifetime) return failures;
  const context = {
    systemName: ctx.config.systemName,
    tenant: record.tenant,
    username: record.username,
    // The key's expiry; when this reminder opened a rotation, the previous key ends then.
    expiresAt: record.key?.expiresAt ?? record.previousKey?.endsAt ?? now,
    rotationOpened: due.rotation,
    locale: ctx.config.locale,
    timeZone: ctx.config.timeZone,
  };
  const sends = [
    renderThen('email', () => (lifetime.email ?? defaultReminderEmail)(context)).andThen(
      (message) => ctx.ports.sendEmail({ to: record.email, ...message }),
    ),
    ...(lifetime.remindBySms
      ? [
          renderThen('sms', () => (lifetime.sms ?? defaultReminderSms)(context)).andThen((text) =>
            ctx.ports.sendSms({ to: record.phone, text }),
          ),
        ]
      : []),
  ];
  const outcomes = await Promise.all(
    sends.map((send) =>
      send.match(
        () => 0,
        () => 1,
      ),
    ),
  );
  return outcomes.reduce((sum, failed) => sum + failed, failures);
}
