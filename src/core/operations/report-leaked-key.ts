import type { AccountEvent, LeakReport } from '../../ports/account-store.js';
import { storedClaimFor } from '../claim/claim-secrets.js';
import { type ErrorOf, errors } from '../errors.js';
import { isRecord } from '../is-record.js';
import { parseApiKey } from '../keys/api-key-format.js';
import { apiKeyDigest } from '../keys/secret-digests.js';
import { err, ok, okAsync, type Result, type ResultAsync, safeTry } from '../result.js';
import { hasControlCharacter } from '../validation/characters.js';
import { type ChangeDecision, type ChangeError, changeAccount } from './change-account.js';
import { type ClaimIssued, deliverClaim } from './deliver-claim.js';
import type { OperationContext } from './operation-context.js';
import { resetChange } from './reset-api-key.js';

/**
 * What `reportLeakedKey` did about a key that was live when reported:
 * `revoked` a current key (a new claim went out, as on reset) or ended a
 * previous key's grace (`grace_ended`).
 *
 * @example
 * ```ts
 * const leaked = (await manager.reportLeakedKey(key, { source: 'support' }))._unsafeUnwrap();
 * if (leaked) alert(`${leaked.accountId}: ${leaked.action}`);
 * ```
 */
export interface LeakedKey {
  readonly accountId: string;
  readonly tenant: string;
  /** Which key of the account it was. */
  readonly keyState: 'current' | 'previous';
  readonly action: 'revoked' | 'grace_ended';
  /** The new claim's deliveries, after a current key was revoked. */
  readonly delivery?: ClaimIssued['delivery'];
}

/**
 * Who reports a leaked key, and where it was found.
 *
 * @example
 * ```ts
 * const report: LeakedKeyReport = { source: 'github', url: 'https://github.com/acme/app/blob/abc123/.env' };
 * ```
 */
export interface LeakedKeyReport {
  /** The reporter: a scanner's name (`github`, `gitlab`), `support`, `partner`. */
  readonly source: string;
  /** Where the key was found, when known. */
  readonly url?: string | null | undefined;
}

/**
 * Errors `reportLeakedKey` can return: a report it cannot record (`source`
 * 1–64 characters, `url` an http(s) address of up to 2,048), or a failing
 * port. An unknown, malformed or already revoked key is not an error: it
 * answers `null`.
 *
 * @example
 * ```ts
 * const onError = (error: ReportLeakedKeyError) => log.warn({ type: error.type });
 * ```
 */
export type ReportLeakedKeyError = ErrorOf<'InvalidInput'> | ChangeError;

const MAX_SOURCE = 64;
const MAX_URL = 2048;

/**
 * A key reported found in public: a live current key stops at once, on
 * every instance, through the reset's own change (its previous key too), a
 * new claim opens and goes out with a message saying where it was found; a
 * previous key in its grace period has its grace ended. The history records
 * `key.leaked` with the report. A key that is not live (unknown, revoked by
 * an earlier report, past its expiry or grace) answers `null` and changes
 * and sends nothing, so a second report of one key is harmless.
 */
export function reportLeakedKey(
  ctx: OperationContext,
  key: unknown,
  report: unknown,
): ResultAsync<LeakedKey | null, ReportLeakedKeyError> {
  return safeTry(async function* () {
    const leak = yield* leakReport(report, key);
    if (typeof key !== 'string' || !parseApiKey(key).ok) return ok(null);
    const digest = apiKeyDigest(key);
    const holder = yield* ctx.ports.store.findKeyHolder(digest);
    if (!holder) return ok(null);
    const secrets = yield* ctx.ports.claimSecrets();
    let action: LeakedKey['action'] | null = null;
    const record = yield* changeAccount(ctx, holder.accountId, (current, now) => {
      action = null;
      const at = now.getTime();
      const event: AccountEvent = {
        type: 'key.leaked',
        accountId: current.id,
        tenant: current.tenant,
        actorId: null,
        at: now,
        leak,
      };
      const live = (ends: Date | null) => ends === null || at < ends.getTime();
      let decision: ChangeDecision = { kind: 'unchanged' };
      if (current.key?.hash === digest && live(current.key.expiresAt)) {
        action = 'revoked';
        const claim = storedClaimFor(secrets, now, {
          ttlMs: ctx.config.claimTtlMs,
          maxAttempts: ctx.config.claimMaxAttempts,
        });
        const change = resetChange(current, { claim, actorId: null, now });
        decision = { kind: 'apply', change: { ...change, events: [event] } };
      } else if (current.previousKey?.hash === digest && live(current.previousKey.endsAt)) {
        action = 'grace_ended';
        decision = {
          kind: 'apply',
          change: {
            accountId: current.id,
            expectedVersion: current.version,
            at: now,
            previousKey: null,
            events: [event],
          },
        };
      }
      return okAsync(decision);
    });
    const done = action as LeakedKey['action'] | null;
    if (done === null) return ok(null);
    const leaked = {
      accountId: record.id,
      tenant: record.tenant,
      keyState: done === 'revoked' ? ('current' as const) : ('previous' as const),
      action: done,
    };
    if (done === 'grace_ended') return ok(leaked);
    const issued = yield* deliverClaim(ctx, record, secrets, 'leaked', ctx.config.locale, leak);
    return ok({ ...leaked, delivery: issued.delivery });
  });
}

/**
 * The report as the history keeps it: a short source and an http(s)
 * address, neither holding the key itself (a reporter may quote it).
 */
function leakReport(report: unknown, key: unknown): Result<LeakReport, ErrorOf<'InvalidInput'>> {
  const fields = isRecord(report) ? report : {};
  const { url } = fields;
  const source = typeof fields['source'] === 'string' ? fields['source'].trim() : '';
  if (source === '' || source.length > MAX_SOURCE || hasControlCharacter(source)) {
    return err(errors.invalidInput('source', `source must be 1–${MAX_SOURCE} characters of text.`));
  }
  if (url !== undefined && url !== null && !isWebAddress(url)) {
    return err(
      errors.invalidInput('url', `url must be an http(s) address of up to ${MAX_URL} characters.`),
    );
  }
  const scrub = (text: string) =>
    typeof key === 'string' && key.length >= 16 ? text.replaceAll(key, '[key]') : text;
  return ok({ source: scrub(source), url: typeof url === 'string' ? scrub(url) : null });
}

/** Whether `value` is an http(s) address a report may carry (up to 2,048 characters). */
export function isWebAddress(value: unknown): value is string {
  if (typeof value !== 'string' || value.length > MAX_URL) return false;
  try {
    const parsed = new URL(value);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:';
  } catch {
    return false;
  }
}
