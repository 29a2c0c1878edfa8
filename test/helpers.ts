import { randomBytes } from 'node:crypto';
import {
  type AccountInput,
  type Actor,
  type ApiAccountErrorType,
  ApiAccountManager,
  type ApiAccountManagerOptions,
  aesGcmSealer,
  type InMemoryPorts,
  inMemoryPorts,
  type Logger,
  SETTINGS_ADMINISTRATOR,
  type SecretSealer,
  signRequest,
} from 'api-accounts';
import { latestClaim } from 'api-accounts/testing';

export const admin: Actor = { id: 'admin-1', roles: [SETTINGS_ADMINISTRATOR] };
export const clerk: Actor = { id: 'clerk-1', roles: ['Box Office'] };

export const CLAIM_BASE = 'https://box-office.example/api-access/claim?token=';

/** A valid create input; each call gives a fresh username and email. */
let counter = 0;
export function accountInput(overrides: Partial<AccountInput> = {}): AccountInput {
  counter += 1;
  return {
    username: `Partner ${counter}`,
    email: `dev${counter}@partner.example`,
    phone: '+447894123456',
    ...overrides,
  };
}

export interface World {
  readonly ports: InMemoryPorts;
  readonly manager: ApiAccountManager;
  /** The token and code of the latest claim sent to `phone`/`email` (default: the latest of all). */
  readonly lastClaim: (to?: { phone: string; email: string }) => { token: string; code: string };
}

/** A manager over fresh in-memory ports; `overrides` replace ports or options. */
export function world(
  overrides: Partial<ApiAccountManagerOptions> = {},
  ports: InMemoryPorts = inMemoryPorts(),
): World {
  const manager = new ApiAccountManager({
    ...ports,
    claimUrl: (token) => `${CLAIM_BASE}${token}`,
    ...overrides,
  });
  return {
    ports,
    manager,
    lastClaim: (to) => latestClaim(ports, to ? { to } : {}),
  };
}

/** Creates an account and claims its key; returns the account id, username and key. */
export async function accountWithKey(w: World, input = accountInput()) {
  const created = (await w.manager.createAccount(admin, input))._unsafeUnwrap();
  const claimed = (
    await w.manager.claimApiKey(
      w.lastClaim({ phone: created.account.phone, email: created.account.email }),
    )
  )._unsafeUnwrap();
  return {
    id: created.account.id,
    username: claimed.username,
    apiKey: claimed.apiKey,
    account: created.account,
  };
}

/** A code that is certainly not `code`. */
export function wrongCode(code: string): string {
  return code === '000000' ? '111111' : '000000';
}

/** Every error `type` the SDK may answer with; a failure outside it is a defect. */
export const KNOWN_ERROR_TYPES: Record<ApiAccountErrorType, true> = {
  EmailTaken: true,
  UsernameTaken: true,
  InvalidPhone: true,
  InvalidEmail: true,
  InvalidUsername: true,
  InvalidInput: true,
  AccountInactive: true,
  KeyExpired: true,
  IpNotAllowed: true,
  QuotaExceeded: true,
  RateLimited: true,
  AccountNotFound: true,
  Forbidden: true,
  ConfirmationRequired: true,
  ClaimNotFound: true,
  ClaimExpired: true,
  ClaimLocked: true,
  CodeIncorrect: true,
  KeyAlreadyIssued: true,
  InvalidKey: true,
  Conflict: true,
  StoreUnavailable: true,
  DeliveryFailed: true,
  PortFailed: true,
  BodyTooLarge: true,
  BodyUnreadable: true,
  MissingCredentials: true,
  InsufficientScope: true,
  InternalError: true,
};

/**
 * Every administrative call on one account, with harmless arguments: for tests
 * that check all of them answer alike (refused, not found, logged…).
 */
export function accountMethodCalls(manager: ApiAccountManager, actor: Actor, accountId: string) {
  return [
    manager.getAccount(actor, accountId),
    manager.updateAccount(actor, accountId, { active: false }),
    manager.deactivateAccount(actor, accountId),
    manager.reactivateAccount(actor, accountId),
    manager.resetApiKey(actor, accountId, { confirm: true }),
    manager.resendClaim(actor, accountId),
    manager.accountHistory(actor, accountId),
    manager.rotateApiKey(actor, accountId, { confirm: true }),
    manager.endGracePeriod(actor, accountId),
    manager.accountUsage(actor, accountId, { from: new Date(0), to: new Date(0) }),
    manager.quotaStatus(actor, accountId),
    manager.deleteAccount(actor, accountId, { confirm: true }),
  ];
}

/** An AES-256-GCM sealer with a fresh random key (id `k1`): signed requests on. */
export function freshSealer(): SecretSealer {
  return aesGcmSealer({ keys: { k1: randomBytes(32) }, current: 'k1' });
}

/** `request` signed by `signer` as a partner's client would send it, ready for `verifySignedRequest`. */
export async function signedRequest(
  signer: { readonly username: string; readonly apiKey: string },
  request: { readonly method: string; readonly url: string; readonly body?: string },
  date: Date,
) {
  const signed = (
    await signRequest({ ...request, username: signer.username, apiKey: signer.apiKey, date })
  )._unsafeUnwrap();
  return { ...request, headers: { authorization: signed.authorization, date: signed.date } };
}

/** A logger that keeps every entry, as pino or console would receive it. */
export function capturingLogger() {
  const entries: { level: string; fields: unknown; message: string }[] = [];
  const at =
    (level: string) =>
    (fields: Record<string, unknown>, message: string): void => {
      entries.push({ level, fields, message });
    };
  const logger: Logger = {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
  };
  return { logger, entries };
}
