import { createHash, randomBytes } from 'node:crypto';
import type {
  AccountChange,
  AccountEvent,
  AccountPosition,
  AccountRecord,
  AccountStore,
  StoredClaim,
  StoredKey,
} from '../ports/account-store.js';

/** A stand-in for a SHA-256 hex digest: 64 random hex characters. */
export function randomDigest(): string {
  return createHash('sha256').update(randomBytes(32)).digest('hex');
}

/** A well-formed account id, as the manager makes them. */
export function randomAccountId(): string {
  const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
  const bytes = randomBytes(22);
  return `acct_${Array.from(bytes, (b) => alphabet[b % 62]).join('')}`;
}

/** Fixed instants, whole milliseconds, so that stores with millisecond precision round-trip them. */
export const T0 = new Date('2026-03-01T09:00:00.000Z');

/** `T0` plus `ms`. */
export function at(ms: number): Date {
  return new Date(T0.getTime() + ms);
}

/** An open claim expiring a day after `T0`, with 5 attempts. */
export function openClaim(overrides: Partial<StoredClaim> = {}): StoredClaim {
  return {
    tokenHash: randomDigest(),
    codeHash: randomDigest(),
    openedAt: T0,
    expiresAt: at(24 * 60 * 60 * 1000),
    attempts: 0,
    maxAttempts: 5,
    ...overrides,
  };
}

/** A key issued at `at`. */
export function issuedKey(issuedAt: Date = at(1000)): StoredKey {
  return {
    hash: randomDigest(),
    issuedAt,
    sealedSecret: null,
    expiresAt: null,
    remindersSent: 0,
    expiryRecorded: false,
  };
}

let serial = 0;

/** A new account as the manager would insert it: active, version 1, no key, an open claim. */
export function newAccount(overrides: Partial<AccountRecord> = {}): AccountRecord {
  serial += 1;
  const username = overrides.username ?? `Partner ${serial} ${randomBytes(3).toString('hex')}`;
  return {
    id: randomAccountId(),
    tenant: 'default',
    username,
    usernameKey: username.toLowerCase(),
    email: `dev-${serial}-${randomBytes(3).toString('hex')}@partner.example`,
    phone: '+447894123456',
    active: true,
    version: 1,
    createdAt: T0,
    updatedAt: T0,
    key: null,
    previousKey: null,
    claim: openClaim(),
    lastUsedAt: null,
    access: { scopes: null, allowedIps: [], rateLimit: null, quota: null },
    ...overrides,
  };
}

/** An event of `type` for `account`, by an administrator. */
export function eventFor(
  account: { readonly id: string; readonly tenant?: string },
  type: AccountEvent['type'],
  when: Date = T0,
): AccountEvent {
  return {
    type,
    accountId: account.id,
    tenant: account.tenant ?? 'default',
    actorId: 'admin-1',
    at: when,
  };
}

/** A change of `account` from its current version, with one event. */
export function changeOf(
  account: AccountRecord,
  change: Omit<AccountChange, 'accountId' | 'expectedVersion' | 'at' | 'events'> &
    Partial<Pick<AccountChange, 'expectedVersion' | 'at' | 'events'>>,
): AccountChange {
  return {
    accountId: account.id,
    expectedVersion: account.version,
    at: at(5000),
    events: [eventFor(account, 'account.updated', at(5000))],
    ...change,
  };
}

/** A listing of every account in `(createdAt, id)` order, as the core asks for one, after `after`. */
export function everyAccount(
  limit: number,
  after: AccountPosition | null = null,
): Parameters<AccountStore['listAccounts']>[0] {
  return { limit, after, sort: 'createdAt', filter: {}, now: T0 };
}

/** Where a listing goes on after `record`. */
export function positionOf(record: AccountPosition): AccountPosition {
  return {
    id: record.id,
    createdAt: record.createdAt,
    usernameKey: record.usernameKey,
    lastUsedAt: record.lastUsedAt,
  };
}
