import type {
  AccountAccess,
  AccountChange,
  AccountEvent,
  AccountFilter,
  AccountPosition,
  AccountRecord,
  AccountSort,
  AccountStore,
  ApplyChangeOutcome,
  CompleteClaimOutcome,
  FailedAttemptOutcome,
  InsertAccountOutcome,
  KeyHolder,
  Signer,
  StoredKey,
} from '../../ports/account-store.js';
import { inMemoryInvalidationBus } from './memory-invalidation-bus.js';

/**
 * An {@link AccountStore} kept in process memory, with everything it holds
 * readable for tests through {@link InMemoryAccountStore.snapshot}.
 *
 * @example
 * ```ts
 * const store = inMemoryAccountStore();
 * store.snapshot().accounts; // every stored record
 * ```
 */
export interface InMemoryAccountStore extends AccountStore {
  /** A deep copy of everything stored: accounts and events. */
  snapshot(): { accounts: AccountRecord[]; events: AccountEvent[] };
}

/** Most accounts one page of the change feed reports. */
const CHANGE_PAGE_LIMIT = 10_000;

/**
 * Creates an empty in-memory {@link AccountStore}.
 *
 * Each method checks and writes without yielding to the event loop, so every
 * guarantee of the port holds under concurrent calls, as a database transaction
 * would give. Records are copied in and out, so callers cannot mutate what is
 * stored.
 *
 * @example
 * ```ts
 * const manager = new ApiAccountManager({ ...inMemoryPorts(), store: inMemoryAccountStore(), claimUrl });
 * ```
 */
export function inMemoryAccountStore(): InMemoryAccountStore {
  const accounts = new Map<string, AccountRecord>();
  const idByUsernameKey = new Map<string, string>();
  const idByEmail = new Map<string, string>();
  /** Verification's view of each key's holder, kept ready: the hot path is one `Map.get`. */
  const holderByKeyHash = new Map<string, KeyHolder>();
  /** What a signed request's verification reads, by case-folded username: built once per change, as the holders are. */
  const signerByUsernameKey = new Map<string, Signer>();
  const idByTokenHash = new Map<string, string>();
  const events: AccountEvent[] = [];
  /** Positions of events whose account was deleted: no longer history, still feed positions. */
  const deletedEvents = new Set<number>();
  /** Usage totals by account id, then by day. */
  const usage = new Map<string, Map<string, { accepted: number; refused: number }>>();

  function index(record: AccountRecord): void {
    idByUsernameKey.set(inTenant(record.tenant, record.usernameKey), record.id);
    idByEmail.set(inTenant(record.tenant, record.email), record.id);
    const { key, previousKey } = record;
    // One frozen copy for both holders: what verification is handed cannot change what is stored.
    const access = frozenAccess(record.access);
    // Object literals with every field, not spreads: a spread copy gets a shape of its own,
    // and verification reading holders of thousands of shapes ran ten times slower.
    if (key) {
      holderByKeyHash.set(
        key.hash,
        Object.freeze({
          accountId: record.id,
          tenant: record.tenant,
          username: record.username,
          active: record.active,
          keyHash: key.hash,
          keyState: 'current',
          expiresAt: key.expiresAt,
          supersededAt: null,
          access,
        }),
      );
    }
    if (previousKey) {
      holderByKeyHash.set(
        previousKey.hash,
        Object.freeze({
          accountId: record.id,
          tenant: record.tenant,
          username: record.username,
          active: record.active,
          keyHash: previousKey.hash,
          keyState: 'previous',
          expiresAt: previousKey.endsAt,
          supersededAt: previousKey.supersededAt,
          access,
        }),
      );
    }
    if (record.claim) idByTokenHash.set(record.claim.tokenHash, record.id);
    signerByUsernameKey.set(
      inTenant(record.tenant, record.usernameKey),
      Object.freeze({
        accountId: record.id,
        tenant: record.tenant,
        username: record.username,
        active: record.active,
        keyHash: key?.hash ?? null,
        sealedSecret: key?.sealedSecret ?? null,
        keyExpiresAt: key?.expiresAt ?? null,
        previous: previousKey
          ? Object.freeze({
              keyHash: previousKey.hash,
              sealedSecret: previousKey.sealedSecret,
              supersededAt: previousKey.supersededAt,
              endsAt: previousKey.endsAt,
            })
          : null,
        access,
      }),
    );
  }

  function unindex(record: AccountRecord): void {
    idByUsernameKey.delete(inTenant(record.tenant, record.usernameKey));
    signerByUsernameKey.delete(inTenant(record.tenant, record.usernameKey));
    idByEmail.delete(inTenant(record.tenant, record.email));
    if (record.key) holderByKeyHash.delete(record.key.hash);
    if (record.previousKey) holderByKeyHash.delete(record.previousKey.hash);
    if (record.claim) idByTokenHash.delete(record.claim.tokenHash);
  }

  function heldByOther(map: Map<string, string>, value: string, id: string): boolean {
    const holder = map.get(value);
    return holder !== undefined && holder !== id;
  }

  function replace(previous: AccountRecord, next: AccountRecord): AccountRecord {
    unindex(previous);
    accounts.set(next.id, next);
    index(next);
    return structuredClone(next);
  }

  function openClaimOf(accountId: string, tokenHash: string): AccountRecord | null {
    const record = accounts.get(accountId);
    return record?.claim?.tokenHash === tokenHash ? record : null;
  }

  function byId(id: string | undefined, tenants?: readonly string[]): AccountRecord | null {
    const record = id === undefined ? undefined : accounts.get(id);
    return record && (!tenants || tenants.includes(record.tenant)) ? structuredClone(record) : null;
  }

  return {
    invalidations: inMemoryInvalidationBus(),

    async insertAccount(account, newEvents): Promise<InsertAccountOutcome> {
      if (idByUsernameKey.has(inTenant(account.tenant, account.usernameKey))) {
        return { outcome: 'username_taken' };
      }
      if (idByEmail.has(inTenant(account.tenant, account.email))) return { outcome: 'email_taken' };
      const stored = structuredClone(account);
      accounts.set(stored.id, stored);
      index(stored);
      events.push(...structuredClone(newEvents));
      return { outcome: 'inserted' };
    },

    async findAccountById(id, tenants) {
      return byId(id, tenants);
    },

    async findKeyHolder(keyHash, tenant) {
      const holder = holderByKeyHash.get(keyHash);
      return holder && (tenant === undefined || holder.tenant === tenant) ? holder : null;
    },

    async findSigner(tenant, usernameKey) {
      return signerByUsernameKey.get(inTenant(tenant, usernameKey)) ?? null;
    },

    async findAccountByClaimToken(tokenHash) {
      return byId(idByTokenHash.get(tokenHash));
    },

    async listAccounts({ limit, after, sort, filter, now }) {
      const order = compareBy(sort);
      return [...accounts.values()]
        .filter((record) => matches(record, filter, now))
        .filter((record) => after === null || order(record, after) > 0)
        .sort(order)
        .slice(0, Math.max(0, limit))
        .map((record) => structuredClone(record));
    },

    async countAccounts({ filter, now }) {
      let count = 0;
      for (const record of accounts.values()) if (matches(record, filter, now)) count += 1;
      return count;
    },

    async listDueAccounts({ keysExpiringBy, previousEndingBy, limit, after }) {
      const due = (record: AccountRecord) =>
        (record.key?.expiresAt != null &&
          !record.key.expiryRecorded &&
          record.key.expiresAt.getTime() <= keysExpiringBy.getTime()) ||
        (record.previousKey !== null &&
          record.previousKey.endsAt.getTime() <= previousEndingBy.getTime());
      return [...accounts.values()]
        .filter((record) => (after === null || record.id > after) && due(record))
        .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
        .slice(0, Math.max(0, limit))
        .map((record) => structuredClone(record));
    },

    async applyAccountChange(change: AccountChange): Promise<ApplyChangeOutcome> {
      const previous = accounts.get(change.accountId);
      if (!previous) return { outcome: 'not_found' };
      if (previous.version !== change.expectedVersion) return { outcome: 'version_conflict' };
      const { profile } = change;
      const mine = (value: string) => inTenant(previous.tenant, value);
      if (profile && heldByOther(idByUsernameKey, mine(profile.usernameKey), previous.id)) {
        return { outcome: 'username_taken' };
      }
      if (profile && heldByOther(idByEmail, mine(profile.email), previous.id)) {
        return { outcome: 'email_taken' };
      }
      const next: AccountRecord = {
        ...previous,
        ...(profile ? structuredClone(profile) : {}),
        active: change.active ?? previous.active,
        access: change.access ? structuredClone(change.access) : previous.access,
        key: nextKey(previous, change),
        previousKey:
          change.previousKey === undefined
            ? previous.previousKey
            : structuredClone(change.previousKey),
        claim: nextClaim(previous, change),
        version: previous.version + 1,
        updatedAt: new Date(change.at),
      };
      const account = replace(previous, next);
      events.push(...structuredClone(change.events));
      return { outcome: 'applied', account };
    },

    async recordFailedClaimAttempt(accountId, tokenHash, event): Promise<FailedAttemptOutcome> {
      const record = openClaimOf(accountId, tokenHash);
      if (!record?.claim) return { outcome: 'gone' };
      const { claim } = record;
      if (claim.attempts >= claim.maxAttempts) return { outcome: 'locked' };
      const attempts = claim.attempts + 1;
      accounts.set(record.id, { ...record, claim: { ...claim, attempts } });
      events.push(structuredClone(event));
      return { outcome: 'counted', attempts, maxAttempts: claim.maxAttempts };
    },

    async completeClaim(
      accountId,
      tokenHash,
      key: StoredKey,
      at,
      event,
    ): Promise<CompleteClaimOutcome> {
      const record = openClaimOf(accountId, tokenHash);
      if (!record?.claim) return { outcome: 'gone' };
      if (record.claim.attempts >= record.claim.maxAttempts) return { outcome: 'locked' };
      if (at.getTime() >= record.claim.expiresAt.getTime()) return { outcome: 'expired' };
      if (!record.active) return { outcome: 'inactive' };
      if (holderByKeyHash.has(key.hash)) {
        // A 256-bit collision means the generator is broken; refuse rather than alias two accounts.
        throw new Error('key hash already in use');
      }
      const { previousKey } = record;
      const grace = previousKey?.graceAfterClaimMs ?? null;
      const next: AccountRecord = {
        ...record,
        key: structuredClone(key),
        previousKey:
          previousKey && grace !== null
            ? {
                ...previousKey,
                endsAt: new Date(Math.min(previousKey.endsAt.getTime(), at.getTime() + grace)),
                graceAfterClaimMs: null,
              }
            : previousKey,
        claim: null,
        version: record.version + 1,
        updatedAt: new Date(at),
      };
      const account = replace(record, next);
      events.push(structuredClone(event));
      return { outcome: 'completed', account };
    },

    async deleteAccount(accountId, expectedVersion, event) {
      const record = accounts.get(accountId);
      if (!record) return { outcome: 'not_found' };
      if (record.version !== expectedVersion) return { outcome: 'version_conflict' };
      unindex(record);
      accounts.delete(accountId);
      usage.delete(accountId);
      // The change feed reads positions in this list: the history is hidden, its length stays.
      events.forEach((stored, i) => {
        if (stored.accountId === accountId) deletedEvents.add(i);
      });
      events.push(structuredClone(event));
      return { outcome: 'deleted' };
    },

    async recordUsage(counts) {
      for (const count of counts) {
        const record = accounts.get(count.accountId);
        if (!record) continue;
        const days = usage.get(count.accountId) ?? new Map();
        usage.set(count.accountId, days);
        const total = days.get(count.day) ?? { accepted: 0, refused: 0 };
        days.set(count.day, {
          accepted: total.accepted + count.accepted,
          refused: total.refused + count.refused,
        });
        const last = count.lastUsedAt;
        if (last && (!record.lastUsedAt || last.getTime() > record.lastUsedAt.getTime())) {
          accounts.set(record.id, { ...record, lastUsedAt: new Date(last) });
        }
      }
    },

    async readUsage(accountId, fromDay, toDay) {
      return [...(usage.get(accountId) ?? new Map<string, { accepted: number; refused: number }>())]
        .filter(([day]) => day >= fromDay && day <= toDay)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([day, total]) => ({ day, ...total }));
    },

    async listEvents(accountId, tenants) {
      return structuredClone(
        events.filter(
          (event, i) =>
            event.accountId === accountId &&
            !deletedEvents.has(i) &&
            (!tenants || tenants.includes(event.tenant)),
        ),
      );
    },

    async readChangesSince(position) {
      // Events are only ever appended, in the order the writes happened: an index is a position.
      const from = position === null ? events.length : Number(position);
      const start = Number.isSafeInteger(from) && from >= 0 ? Math.min(from, events.length) : 0;
      const end = Math.min(events.length, start + CHANGE_PAGE_LIMIT);
      return {
        accountIds: events.slice(start, end).map((event) => event.accountId),
        position: String(end),
        more: end < events.length,
      };
    },

    snapshot() {
      return {
        accounts: structuredClone([...accounts.values()]),
        events: structuredClone(events.filter((_, i) => !deletedEvents.has(i))),
      };
    },
  };
}

/** A username key or email as unique within its tenant (tenant ids have no newline). */
function inTenant(tenant: string, value: string): string {
  return `${tenant}\n${value}`;
}

function nextKey(previous: AccountRecord, change: AccountChange): AccountRecord['key'] {
  if (change.revokeKey) return null;
  if (previous.key && change.keyNotices) return { ...previous.key, ...change.keyNotices };
  return previous.key;
}

function nextClaim(previous: AccountRecord, change: AccountChange): AccountRecord['claim'] {
  if (change.claim?.kind === 'open') return structuredClone(change.claim.claim);
  if (change.claim?.kind === 'cancel') return null;
  return previous.claim;
}

/** Code-unit order, as SQLite's binary collation and the ASCII of any collation agree. */
const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The order of a listing: its sort key, then the id. */
function compareBy(sort: AccountSort): (a: AccountPosition, b: AccountPosition) => number {
  const byKey = (a: AccountPosition, b: AccountPosition): number => {
    if (sort === 'username') return compareText(a.usernameKey, b.usernameKey);
    // Never used sorts first, as the SQL stores' last-use key does.
    const time = (p: AccountPosition) =>
      sort === 'lastUsedAt'
        ? (p.lastUsedAt?.getTime() ?? Number.NEGATIVE_INFINITY)
        : p.createdAt.getTime();
    return Math.sign(time(a) - time(b)) || 0;
  };
  return (a, b) => byKey(a, b) || compareText(a.id, b.id);
}

/** Whether `record` passes every condition of `filter` at `now`. */
function matches(record: AccountRecord, filter: AccountFilter, now: Date): boolean {
  if (filter.tenants !== undefined && !filter.tenants.includes(record.tenant)) return false;
  if (filter.active !== undefined && record.active !== filter.active) return false;
  if (filter.state !== undefined) {
    const { claim } = record;
    const pending =
      claim !== null &&
      claim.expiresAt.getTime() > now.getTime() &&
      claim.attempts < claim.maxAttempts;
    const state = pending ? 'claim_pending' : record.key ? 'key_issued' : 'no_key';
    // A key and a pending claim never meet (a rotation moves the key aside first).
    if (state !== filter.state) return false;
  }
  if (
    filter.unusedSince !== undefined &&
    record.lastUsedAt !== null &&
    record.lastUsedAt.getTime() >= filter.unusedSince.getTime()
  ) {
    return false;
  }
  if (filter.search !== undefined) {
    const { usernameKey, email } = filter.search;
    if (!record.usernameKey.startsWith(usernameKey) && !record.email.startsWith(email))
      return false;
  }
  return true;
}

function frozenAccess(access: AccountAccess): AccountAccess {
  return Object.freeze({
    scopes: access.scopes === null ? null : Object.freeze([...access.scopes]),
    allowedIps: Object.freeze([...access.allowedIps]),
    rateLimit: access.rateLimit === null ? null : Object.freeze({ ...access.rateLimit }),
    // A record from a caller that knows nothing of quotas has none.
    quota: access.quota ? Object.freeze({ ...access.quota }) : null,
  });
}
