import { describe, expect, it } from 'vitest';
import { isAccountRecord, storeAnswerChecks } from '../../src/testing/store-answer-shapes.js';

const at = new Date('2026-11-28T12:00:00Z');

const record = {
  id: 'acct_1',
  tenant: 'default',
  username: 'ACME',
  usernameKey: 'acme',
  email: 'api@acme.example',
  phone: '+447894123456',
  active: true,
  version: 1,
  createdAt: at,
  updatedAt: at,
  key: null,
  previousKey: null,
  lastUsedAt: null,
  claim: {
    tokenHash: 'a'.repeat(64),
    codeHash: 'b'.repeat(64),
    expiresAt: at,
    attempts: 0,
    maxAttempts: 5,
  },
};
const withKey = {
  ...record,
  claim: null,
  key: {
    hash: 'c'.repeat(64),
    issuedAt: at,
    expiresAt: null,
    remindersSent: 0,
    expiryRecorded: false,
  },
};
const previousKey = {
  hash: 'd'.repeat(64),
  sealedSecret: null,
  supersededAt: at,
  endsAt: at,
  graceAfterClaimMs: null,
};
const inRotation = { ...withKey, key: null, previousKey };
const holder = {
  accountId: 'acct_1',
  tenant: 'default',
  username: 'ACME',
  active: true,
  keyHash: 'c'.repeat(64),
  keyState: 'current',
  expiresAt: null,
  supersededAt: null,
};
const signer = {
  accountId: 'acct_1',
  tenant: 'default',
  username: 'ACME',
  active: true,
  keyHash: 'c'.repeat(64),
  sealedSecret: 'k1.sealed',
  keyExpiresAt: null,
  previous: null,
};
const event = {
  type: 'account.created',
  accountId: 'acct_1',
  tenant: 'default',
  actorId: 'admin-1',
  at,
};

/** Wrong values for a field of each kind: each must make the whole answer unusable. */
const WRONG: Record<string, readonly unknown[]> = {
  string: [undefined, null, 42, {}],
  nullableString: [undefined, 42, {}],
  boolean: [undefined, null, 'true', 1],
  count: [undefined, null, -1, 1.5, '1', Number.NaN],
  date: [undefined, null, '2026-11-28', at.getTime(), new Date(Number.NaN)],
};

/** Every field of `valid` replaced in turn by every wrong value of its kind. */
function corruptions(valid: Record<string, unknown>, kinds: Record<string, keyof typeof WRONG>) {
  return Object.entries(kinds).flatMap(([field, kind]) =>
    (WRONG[kind] ?? []).map((bad) => ({ field, bad, value: { ...valid, [field]: bad } })),
  );
}

const RECORD_FIELDS = {
  id: 'string',
  tenant: 'string',
  username: 'string',
  usernameKey: 'string',
  email: 'string',
  phone: 'string',
  active: 'boolean',
  version: 'count',
  createdAt: 'date',
  updatedAt: 'date',
} as const;

describe('store answer checks', () => {
  it('accepts the shapes the port documents', () => {
    expect(isAccountRecord(record)).toBe(true);
    expect(isAccountRecord(withKey)).toBe(true);
    expect(isAccountRecord({ ...record, claim: null })).toBe(true);
    expect(isAccountRecord(inRotation)).toBe(true);
    expect(isAccountRecord({ ...withKey, key: { ...withKey.key, expiresAt: at } })).toBe(true);
    expect(storeAnswerChecks.listDueAccounts([withKey, inRotation])).toBe(true);
    expect(isAccountRecord({ ...withKey, lastUsedAt: at })).toBe(true);
    expect(storeAnswerChecks.recordUsage(undefined)).toBe(true);
    expect(storeAnswerChecks.readUsage([{ day: '2026-12-02', accepted: 3, refused: 0 }])).toBe(
      true,
    );
    expect(storeAnswerChecks.findAccountById(null)).toBe(true);
    expect(storeAnswerChecks.findKeyHolder(holder)).toBe(true);
    expect(storeAnswerChecks.findKeyHolder(null)).toBe(true);
    expect(storeAnswerChecks.findSigner(signer)).toBe(true);
    expect(storeAnswerChecks.findSigner({ ...signer, keyHash: null, sealedSecret: null })).toBe(
      true,
    );
    expect(storeAnswerChecks.findSigner(null)).toBe(true);
    expect(storeAnswerChecks.listAccounts([record, withKey])).toBe(true);
    expect(storeAnswerChecks.listAccounts([])).toBe(true);
    expect(storeAnswerChecks.listEvents([event, { ...event, actorId: null }])).toBe(true);
    for (const outcome of ['inserted', 'username_taken', 'email_taken']) {
      expect(storeAnswerChecks.insertAccount({ outcome })).toBe(true);
    }
    for (const outcome of ['not_found', 'version_conflict', 'username_taken', 'email_taken']) {
      expect(storeAnswerChecks.applyAccountChange({ outcome })).toBe(true);
    }
    expect(storeAnswerChecks.applyAccountChange({ outcome: 'applied', account: record })).toBe(
      true,
    );
    for (const outcome of ['gone', 'locked', 'expired', 'inactive']) {
      expect(storeAnswerChecks.completeClaim({ outcome })).toBe(true);
    }
    expect(storeAnswerChecks.completeClaim({ outcome: 'completed', account: withKey })).toBe(true);
    for (const outcome of ['locked', 'gone']) {
      expect(storeAnswerChecks.recordFailedClaimAttempt({ outcome })).toBe(true);
    }
    expect(
      storeAnswerChecks.recordFailedClaimAttempt({
        outcome: 'counted',
        attempts: 1,
        maxAttempts: 5,
      }),
    ).toBe(true);
  });

  it.each(corruptions(record, RECORD_FIELDS))(
    'refuses an account whose $field is $bad',
    ({ value }) => {
      expect(isAccountRecord(value)).toBe(false);
      expect(storeAnswerChecks.findAccountById(value)).toBe(false);
      expect(storeAnswerChecks.listAccounts([record, value])).toBe(false);
      expect(storeAnswerChecks.applyAccountChange({ outcome: 'applied', account: value })).toBe(
        false,
      );
    },
  );

  it.each([
    ...corruptions(record.claim, {
      tokenHash: 'string',
      codeHash: 'string',
      expiresAt: 'date',
      attempts: 'count',
      maxAttempts: 'count',
    }).map(({ field, value }) => ({ part: `claim.${field}`, value: { ...record, claim: value } })),
    ...corruptions(withKey.key, {
      hash: 'string',
      issuedAt: 'date',
      remindersSent: 'count',
      expiryRecorded: 'boolean',
    }).map(({ field, value }) => ({
      part: `key.${field}`,
      value: { ...withKey, key: value },
    })),
    ...corruptions(previousKey, { hash: 'string', supersededAt: 'date', endsAt: 'date' }).map(
      ({ field, value }) => ({
        part: `previousKey.${field}`,
        value: { ...inRotation, previousKey: value },
      }),
    ),
    { part: 'key.expiresAt', value: { ...withKey, key: { ...withKey.key, expiresAt: 'soon' } } },
    { part: 'previousKey', value: { ...inRotation, previousKey: undefined } },
    { part: 'lastUsedAt', value: { ...withKey, lastUsedAt: '2026-12-02' } },
    { part: 'lastUsedAt (missing)', value: { ...withKey, lastUsedAt: undefined } },
    {
      part: 'previousKey.graceAfterClaimMs',
      value: { ...inRotation, previousKey: { ...previousKey, graceAfterClaimMs: -1 } },
    },
    { part: 'claim', value: { ...record, claim: 'open' } },
    { part: 'key', value: { ...withKey, key: undefined } },
  ])('refuses an account whose $part is wrong', ({ value }) => {
    expect(isAccountRecord(value)).toBe(false);
  });

  it.each([
    ['a day not YYYY-MM-DD', [{ day: '2026-12-2', accepted: 1, refused: 0 }]],
    ['a negative count', [{ day: '2026-12-02', accepted: -1, refused: 0 }]],
    ['a count as a string', [{ day: '2026-12-02', accepted: '1', refused: 0 }]],
    ['not a list', { day: '2026-12-02', accepted: 1, refused: 0 }],
  ])('refuses usage with %s', (_, answer) => {
    expect(storeAnswerChecks.readUsage(answer)).toBe(false);
  });

  it.each(
    corruptions(holder, {
      accountId: 'string',
      username: 'string',
      active: 'boolean',
      keyHash: 'string',
    }),
  )('refuses a key holder whose $field is $bad', ({ value }) => {
    expect(storeAnswerChecks.findKeyHolder(value)).toBe(false);
  });

  it.each(
    corruptions(signer, {
      accountId: 'string',
      username: 'string',
      active: 'boolean',
      keyHash: 'nullableString',
      sealedSecret: 'nullableString',
    }),
  )('refuses a signer whose $field is $bad', ({ value }) => {
    expect(storeAnswerChecks.findSigner(value)).toBe(false);
  });

  it.each(
    corruptions(event, {
      type: 'string',
      accountId: 'string',
      actorId: 'nullableString',
      at: 'date',
    }),
  )('refuses an event whose $field is $bad', ({ value }) => {
    expect(storeAnswerChecks.listEvents([event, value])).toBe(false);
  });

  it.each([
    ['insertAccount', { outcome: 'applied', account: record }],
    ['insertAccount', { outcome: 'Inserted' }],
    ['applyAccountChange', { outcome: 'applied' }],
    ['applyAccountChange', { outcome: 'completed', account: record }],
    ['completeClaim', { outcome: 'completed' }],
    ['completeClaim', { outcome: 'counted', attempts: 1, maxAttempts: 5 }],
    ['recordFailedClaimAttempt', { outcome: 'counted', attempts: -1, maxAttempts: 5 }],
    ['recordFailedClaimAttempt', { outcome: 'counted', attempts: 1 }],
    ['recordFailedClaimAttempt', { outcome: 'counted', maxAttempts: 5 }],
    ['recordFailedClaimAttempt', { outcome: 'expired', attempts: 1, maxAttempts: 5 }],
    ['recordFailedClaimAttempt', { attempts: 1, maxAttempts: 5 }],
    ['listAccounts', { 0: record, length: 1 }],
    ['listEvents', event],
    ['findKeyHolder', undefined],
    ['findSigner', undefined],
    ['findAccountByClaimToken', undefined],
    ['insertAccount', null],
    ['completeClaim', 'completed'],
    ['recordFailedClaimAttempt', null],
  ] as const)('refuses %s answering %j', (method, answer) => {
    expect(storeAnswerChecks[method](answer)).toBe(false);
  });
});
