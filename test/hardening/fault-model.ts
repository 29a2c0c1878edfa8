/**
 * A model-based drill: random lifecycle command sequences (fast-check
 * commands) run through a manager whose ports fail at random — rejecting,
 * throwing, answering garbage, or losing the answer of a write that took
 * effect — on any store. After every step, with the faults off, the
 * invariants of the issue are checked against a fault-free observer.
 */
import { randomBytes } from 'node:crypto';
import {
  type AccountStore,
  type ApiAccountError,
  ApiAccountManager,
  aesGcmSealer,
} from 'api-accounts';
import {
  type FaultKind,
  type InMemoryEmailSender,
  type InMemorySmsSender,
  injectFaults,
  inMemoryEmailSender,
  inMemorySmsSender,
  inMemoryUserDirectory,
  latestClaim,
  settableClock,
} from 'api-accounts/testing';
import fc from 'fast-check';
import { expect } from 'vitest';
import { cryptoKeyGenerator } from '../../src/core/system/crypto-key-generator.js';
import { admin, KNOWN_ERROR_TYPES, signedRequest } from '../helpers.js';

const SLOTS = 3;
export const stats = { commands: 0, faults: 0, runs: 0 };
const HOUR = 60 * 60 * 1000;
const STORE_FAULTS: readonly FaultKind[] = ['reject', 'throw', 'malformed', 'lose-answer'];

/** A store to drill: made fresh for each run. */
export interface DrillStore {
  readonly store: AccountStore;
  close(): Promise<void>;
}

interface Slot {
  id: string | null;
  readonly username: string;
  readonly email: string;
  phone: string;
  /**
   * Every key a claim returned, oldest first, with how many `key.claimed`
   * events the history held just after: a key can be the working one only
   * while no later claim (even one whose answer was lost) has happened.
   */
  readonly keys: { readonly key: string; readonly claimedCount: number }[];
}

interface Model {
  readonly slots: Slot[];
  /** Tokens whose claim succeeded: none may succeed again. */
  readonly usedTokens: Set<string>;
  phoneGeneration: number;
}

interface Real {
  readonly faulty: ApiAccountManager;
  readonly observer: ApiAccountManager;
  readonly sent: { readonly sms: InMemorySmsSender; readonly email: InMemoryEmailSender };
  readonly clock: ReturnType<typeof settableClock>;
  faultsOn: boolean;
}

/** Every failure must be one of the SDK's typed errors. */
function expectTyped(result: { isErr(): boolean; error?: unknown }): void {
  if (!result.isErr()) return;
  const type = (result.error as ApiAccountError).type;
  expect(KNOWN_ERROR_TYPES[type], `untyped failure ${String(type)}`).toBe(true);
}

type Step = (model: Model, real: Real) => Promise<void>;

class Command implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly label: string,
    readonly step: Step,
  ) {}
  check(): boolean {
    return true;
  }
  async run(model: Model, real: Real): Promise<void> {
    stats.commands += 1;
    real.faultsOn = true;
    try {
      await this.step(model, real);
    } finally {
      real.faultsOn = false;
    }
    await checkInvariants(model, real);
  }
  toString(): string {
    return this.label;
  }
}

const phoneFor = (slot: number, generation: number) =>
  `+4479111${String(slot).padStart(2, '0')}${String(generation % 1000).padStart(3, '0')}`;

function onSlot(
  name: string,
  act: (slot: Slot, index: number, model: Model, real: Real) => Promise<void>,
) {
  return fc.nat({ max: SLOTS - 1 }).map(
    (index) =>
      new Command(`${name}(${index})`, async (model, real) => {
        const slot = model.slots[index] as Slot;
        await act(slot, index, model, real);
      }),
  );
}

async function claimWith(
  slot: Slot,
  model: Model,
  real: Real,
  claim: { token: string; code: string },
) {
  const result = await real.faulty.claimApiKey(claim);
  expectTyped(result);
  if (result.isOk() && slot.id) {
    expect(model.usedTokens.has(claim.token), 'a claim succeeded twice').toBe(false);
    model.usedTokens.add(claim.token);
    const history = (await real.observer.accountHistory(admin, slot.id))._unsafeUnwrap().items;
    const claimedCount = history.filter((e) => e.type === 'key.claimed').length;
    slot.keys.push({ key: result.value.apiKey, claimedCount });
  }
}

const latestFor = (slot: Slot, real: Real) =>
  latestClaim(real.sent, { to: { phone: slot.phone, email: slot.email } });

const commands = [
  onSlot('create', async (slot, _i, _m, real) => {
    const result = await real.faulty.createAccount(admin, {
      username: slot.username,
      email: slot.email,
      phone: slot.phone,
    });
    expectTyped(result);
    if (result.isOk()) slot.id = result.value.account.id;
  }),
  onSlot('claimRight', async (slot, _i, model, real) => {
    if (slot.id) await claimWith(slot, model, real, latestFor(slot, real));
  }),
  onSlot('claimWrong', async (slot, _i, model, real) => {
    if (!slot.id) return;
    const claim = latestFor(slot, real);
    await claimWith(slot, model, real, {
      token: claim.token,
      code: claim.code === '000000' ? '111111' : '000000',
    });
  }),
  onSlot('replayUsedToken', async (slot, _i, model, real) => {
    const [token] = [...model.usedTokens];
    if (token) await claimWith(slot, model, real, { token, code: latestFor(slot, real).code });
  }),
  onSlot('reset', async (slot, _i, _m, real) => {
    if (slot.id) expectTyped(await real.faulty.resetApiKey(admin, slot.id, { confirm: true }));
  }),
  onSlot('resend', async (slot, _i, _m, real) => {
    if (slot.id) expectTyped(await real.faulty.resendClaim(admin, slot.id));
  }),
  onSlot('deactivate', async (slot, _i, _m, real) => {
    if (slot.id) expectTyped(await real.faulty.deactivateAccount(admin, slot.id));
  }),
  onSlot('reactivate', async (slot, _i, _m, real) => {
    if (slot.id) expectTyped(await real.faulty.reactivateAccount(admin, slot.id));
  }),
  onSlot('editPhone', async (slot, index, model, real) => {
    if (!slot.id) return;
    model.phoneGeneration += 1;
    const phone = phoneFor(index, model.phoneGeneration);
    const result = await real.faulty.updateAccount(admin, slot.id, { phone });
    expectTyped(result);
    if (result.isOk()) slot.phone = phone;
  }),
  onSlot('verifyBearer', async (slot, _i, _m, real) => {
    const key = slot.keys.at(-1)?.key;
    if (key) expectTyped(await real.faulty.verifyApiKey(key));
  }),
  onSlot('verifySigned', async (slot, _i, _m, real) => {
    const key = slot.keys.at(-1)?.key;
    if (!key) return;
    const request = { method: 'GET', url: 'https://api.box-office.example/api/v3/customers' };
    expectTyped(
      await real.faulty.verifySignedRequest(
        await signedRequest({ username: slot.username, apiKey: key }, request, real.clock.now()),
      ),
    );
  }),
  fc.integer({ min: 1, max: 30 * HOUR }).map(
    (ms) =>
      new Command(`advance(${ms})`, async (_model, real) => {
        real.clock.advance(ms);
      }),
  ),
];

// The steps that revoke keys, and the claims that issue them, come up more often.
const [
  create,
  claimRight,
  claimWrong,
  replay,
  reset,
  resend,
  deactivate,
  reactivate,
  editPhone,
  verifyBearer,
  verifySigned,
  advance,
] = commands;
const weighted = [
  create,
  claimRight,
  claimRight,
  claimRight,
  claimWrong,
  replay,
  reset,
  reset,
  resend,
  deactivate,
  deactivate,
  reactivate,
  editPhone,
  verifyBearer,
  verifyBearer,
  verifySigned,
  advance,
].filter((command): command is NonNullable<typeof command> => command !== undefined);

/** The invariants, checked with every fault off. */
async function checkInvariants(model: Model, real: Real): Promise<void> {
  const listed = (await real.observer.listAccounts(admin, { limit: 100 }))._unsafeUnwrap().items;
  for (const slot of model.slots) {
    // An account whose creation answer was lost still exists: adopt it by its unique username.
    const stored = listed.find((a) => a.username === slot.username);
    if (slot.id) expect(stored?.id, `account ${slot.username} was lost`).toBe(slot.id);
    if (!stored) continue;
    slot.id = stored.id;
    slot.phone = stored.phone;
    // Never half-written: a whole, consistent record with its creation in the history.
    expect(stored.email).toBe(slot.email);
    expect(stored.phone).toMatch(/^\+\d{8,15}$/);
    expect(Number.isSafeInteger(stored.version) && stored.version >= 1).toBe(true);
    expect(stored.updatedAt.getTime()).toBeGreaterThanOrEqual(stored.createdAt.getTime());
    const history = (await real.observer.accountHistory(admin, stored.id))
      ._unsafeUnwrap()
      .items.map((e) => e.type);
    expect(history[0]).toBe('account.created');

    // At most one working key: the one whose claim was the last, if no reset came after it and the account is on.
    const claimedEvents = history.filter((t) => t === 'key.claimed').length;
    const resetSince = history.lastIndexOf('key.reset') > history.lastIndexOf('key.claimed');
    let working = 0;
    for (const [index, { key, claimedCount }] of slot.keys.entries()) {
      const mayWork = stored.active && !resetSince && claimedCount === claimedEvents;
      for (const [who, manager] of [
        ['observer', real.observer],
        ['cached manager', real.faulty],
      ] as const) {
        const verified = await manager.verifyApiKey(key);
        expectTyped(verified);
        if (verified.isOk()) {
          expect(
            mayWork,
            `${who} accepted key #${index} of ${slot.username} (${history.join(', ')})`,
          ).toBe(true);
          if (who === 'observer') working += 1;
        }
      }
    }
    expect(working, `${slot.username} has ${working} working keys`).toBeLessThanOrEqual(1);
    // The attempt counter never passes its limit.
    const pending = latestFor(slot, real);
    const preview = await real.observer.inspectClaim(pending.token);
    if (preview.isOk()) {
      expect(preview.value.attemptsRemaining).toBeGreaterThanOrEqual(0);
      expect(preview.value.attemptsRemaining).toBeLessThanOrEqual(5);
    }
  }
}

/**
 * Runs the drill on stores from `makeStore`: `numRuns` random sequences, each
 * with its own fault seed (part of the counterexample fast-check prints, with
 * its own seed and path, so any failure replays).
 */
export async function runFaultDrill(
  makeStore: () => Promise<DrillStore>,
  numRuns: number,
): Promise<void> {
  const sealingKey = randomBytes(32);
  await fc.assert(
    fc.asyncProperty(
      fc.integer({ min: 1, max: 2 ** 31 - 1 }),
      fc.double({ min: 0.1, max: 0.4, noNaN: true }),
      fc.commands(weighted, { maxCommands: 40, size: 'max' }),
      async (faultSeed, probability, cmds) => {
        stats.runs += 1;
        const { store, close } = await makeStore();
        try {
          const clock = settableClock(new Date('2026-11-28T12:00:00Z'));
          const sms = inMemorySmsSender();
          const email = inMemoryEmailSender();
          const base = {
            clock,
            keys: cryptoKeyGenerator(),
            directory: inMemoryUserDirectory(),
            sealer: aesGcmSealer({ keys: { k: sealingKey }, current: 'k' }),
            claimUrl: (token: string) => `https://bo.example/claim?token=${token}`,
            delivery: { attempts: 1 },
          };
          const real: Real = {
            faultsOn: false,
            clock,
            sent: { sms, email },
            observer: new ApiAccountManager({ ...base, store, sms, email }),
            faulty: undefined as unknown as ApiAccountManager,
          };
          const enabled = () => real.faultsOn;
          const onFault = () => {
            stats.faults += 1;
          };
          const when = { probability, seed: faultSeed };
          (real as { faulty: ApiAccountManager }).faulty = new ApiAccountManager({
            ...base,
            store: injectFaults(store, { when, how: STORE_FAULTS, enabled, onFault }),
            sms: injectFaults(sms, {
              when: { probability, seed: faultSeed + 1 },
              how: ['reject', 'lose-answer'],
              enabled,
              onFault,
            }),
            email: injectFaults(email, {
              when: { probability, seed: faultSeed + 2 },
              how: ['reject', 'lose-answer'],
              enabled,
              onFault,
            }),
            // The synchronous ports fail rarely: most steps read the clock several times.
            clock: injectFaults(clock, {
              when: { probability: probability / 10, seed: faultSeed + 3 },
              how: ['throw', 'malformed'],
              malformed: () => new Date(Number.NaN),
              enabled,
              onFault,
            }),
            keys: injectFaults(base.keys, {
              when: { probability: probability / 4, seed: faultSeed + 4 },
              how: ['throw', 'malformed'],
              malformed: () => new Uint8Array(3),
              enabled,
              onFault,
            }),
            verifyCache: { ttlMs: 60_000 },
          });
          const model: Model = {
            slots: Array.from({ length: SLOTS }, (_, i) => ({
              id: null,
              username: `Partner ${i}`,
              email: `dev${i}@partner.example`,
              phone: phoneFor(i, 0),
              keys: [],
            })),
            usedTokens: new Set(),
            phoneGeneration: 0,
          };
          // Two accounts exist before the drill (created without faults); the third is
          // left to the drill's own `create` commands.
          for (const slot of model.slots.slice(0, 2)) {
            const created = await real.observer.createAccount(admin, {
              username: slot.username,
              email: slot.email,
              phone: slot.phone,
            });
            slot.id = created._unsafeUnwrap().account.id;
          }
          await fc.asyncModelRun(() => ({ model, real }), cmds);
          await real.faulty.close();
          await real.observer.close();
        } finally {
          await close();
        }
      },
    ),
    { numRuns, ...(process.env['DRILL_SEED'] ? { seed: Number(process.env['DRILL_SEED']) } : {}) },
  );
}
