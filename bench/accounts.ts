/**
 * Accounts the benchmarks insert straight into a store: active, with a key
 * claimed at `now`, no claim open. What varies is passed in.
 */

import { hash, randomBytes } from 'node:crypto';
import type { InMemoryPorts } from 'api-accounts';
import type { AccountRecord } from 'api-accounts/ports';

/**
 * Manager options every benchmark of the core shares: telemetry off. The
 * core's targets predate telemetry, and a host without `@opentelemetry/api`
 * pays nothing for it; here the API is a dev dependency and would be loaded.
 * `bench/telemetry.ts` measures what telemetry costs.
 */
export const CORE_ONLY = { telemetry: false } as const;

/** An active account `name` (username, email and id derived from it) holding `apiKey`. */
export function keyedAccount(options: {
  readonly id: string;
  readonly name: string;
  readonly apiKey: string;
  readonly now: Date;
  readonly sealedSecret?: string | null;
  readonly tenant?: string;
}): AccountRecord {
  const { id, name, apiKey, now } = options;
  return {
    id,
    tenant: options.tenant ?? 'default',
    username: name,
    usernameKey: name.toLowerCase(),
    email: `${name.toLowerCase().replace(/\s+/g, '-')}@partner.example`,
    phone: '+447894123456',
    active: true,
    version: 1,
    createdAt: now,
    updatedAt: now,
    key: {
      hash: hash('sha256', apiKey, 'hex'),
      issuedAt: now,
      sealedSecret: options.sealedSecret ?? null,
      expiresAt: null,
      remindersSent: 0,
      expiryRecorded: false,
    },
    previousKey: null,
    lastUsedAt: null,
    access: { scopes: null, allowedIps: [], rateLimit: null, quota: null },
    claim: null,
  };
}

/**
 * `count` accounts `Bench 0…` with a random base64 key each, inserted into
 * the in-memory store of `ports`; their keys, in order.
 */
export async function seedKeyedAccounts(ports: InMemoryPorts, count: number): Promise<string[]> {
  const keys = Array.from({ length: count }, () => randomBytes(32).toString('base64'));
  const now = ports.clock.now();
  for (let i = 0; i < count; i++) {
    const id = `acct_bench${String(i).padStart(17, '0')}`;
    await ports.store.insertAccount(
      keyedAccount({ id, name: `Bench ${i}`, apiKey: keys[i] ?? '', now }),
      [],
    );
  }
  return keys;
}
