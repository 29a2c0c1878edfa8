/**
 * Random lifecycle sequences driven through the manager and checked, step by
 * step, against a small model of what R3–R7 say must happen.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { admin, world, wrongCode } from '../helpers.js';

const ACCOUNTS = 3;
const HOUR = 60 * 60 * 1000;

type Command =
  | {
      readonly kind:
        | 'create'
        | 'claimRight'
        | 'claimWrong'
        | 'replayOldClaim'
        | 'reset'
        | 'resend'
        | 'deactivate'
        | 'reactivate'
        | 'editPhone';
      readonly account: number;
    }
  | { readonly kind: 'advance'; readonly ms: number };

const commandArbitrary: fc.Arbitrary<Command> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constantFrom(
        'create',
        'claimRight',
        'claimWrong',
        'replayOldClaim',
        'reset',
        'resend',
        'deactivate',
        'reactivate',
        'editPhone',
      ),
      account: fc.nat({ max: ACCOUNTS - 1 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('advance' as const),
      ms: fc.integer({ min: 0, max: 30 * HOUR }),
    }),
  },
);

interface Claim {
  readonly token: string;
  readonly code: string;
  attempts: number;
  readonly expiresAt: number;
}

interface ModelAccount {
  readonly id: string;
  readonly email: string;
  phone: string;
  active: boolean;
  key: string | null;
  pending: Claim | null;
  readonly deadKeys: string[];
  readonly deadClaims: Claim[];
}

function phoneFor(account: number, generation: number): string {
  return `+4479111${String(account).padStart(2, '0')}${String(generation % 1000).padStart(3, '0')}`;
}

async function runSequence(commands: readonly Command[]): Promise<void> {
  const w = world();
  const model = new Map<number, ModelAccount>();
  let phoneGeneration = 0;

  const latestClaim = (account: ModelAccount): Claim => {
    const sent = w.lastClaim({ phone: account.phone, email: account.email });
    return { ...sent, attempts: 0, expiresAt: w.ports.clock.now().getTime() + 24 * HOUR };
  };
  const retire = (account: ModelAccount) => {
    if (account.pending) account.deadClaims.push(account.pending);
    account.pending = null;
  };

  /** What claimApiKey must answer for this claim, by R4. */
  const expectedClaimError = (account: ModelAccount, claim: Claim | null): string | null => {
    if (!claim) return 'ClaimNotFound';
    if (w.ports.clock.now().getTime() >= claim.expiresAt) return 'ClaimExpired';
    if (claim.attempts >= 5) return 'ClaimLocked';
    if (!account.active) return 'AccountInactive';
    return null;
  };

  for (const command of commands) {
    if (command.kind === 'advance') {
      w.ports.clock.advance(command.ms);
      continue;
    }
    const index = command.account;
    const account = model.get(index);
    if (command.kind === 'create') {
      const result = await w.manager.createAccount(admin, {
        username: `Partner ${index}`,
        email: `dev${index}@partner.example`,
        phone: phoneFor(index, phoneGeneration),
      });
      if (account) {
        expect(result._unsafeUnwrapErr().type).toBe('UsernameTaken');
        continue;
      }
      const created = result._unsafeUnwrap();
      const fresh: ModelAccount = {
        id: created.account.id,
        email: created.account.email,
        phone: created.account.phone,
        active: true,
        key: null,
        pending: null,
        deadKeys: [],
        deadClaims: [],
      };
      fresh.pending = latestClaim(fresh);
      model.set(index, fresh);
      continue;
    }
    if (!account) continue;

    switch (command.kind) {
      case 'claimRight': {
        const result = await w.manager.claimApiKey(
          account.pending ?? { token: 'A'.repeat(43), code: '000000' },
        );
        const expected = expectedClaimError(account, account.pending);
        if (expected) {
          expect(result._unsafeUnwrapErr().type).toBe(expected);
        } else {
          account.key = result._unsafeUnwrap().apiKey;
          retire(account);
        }
        break;
      }
      case 'claimWrong': {
        if (!account.pending) break;
        const claim = account.pending;
        const result = await w.manager.claimApiKey({
          token: claim.token,
          code: wrongCode(claim.code),
        });
        const expected = expectedClaimError(account, claim);
        if (expected) {
          expect(result._unsafeUnwrapErr().type).toBe(expected);
        } else {
          claim.attempts += 1;
          expect(result._unsafeUnwrapErr()).toMatchObject({
            type: 'CodeIncorrect',
            attemptsRemaining: 5 - claim.attempts,
          });
        }
        break;
      }
      case 'replayOldClaim': {
        const old = account.deadClaims.at(-1);
        if (!old) break;
        expect((await w.manager.claimApiKey(old))._unsafeUnwrapErr().type).toBe('ClaimNotFound');
        break;
      }
      case 'reset': {
        expect((await w.manager.resetApiKey(admin, account.id, { confirm: true })).isOk()).toBe(
          true,
        );
        if (account.key) account.deadKeys.push(account.key);
        account.key = null;
        retire(account);
        account.pending = latestClaim(account);
        break;
      }
      case 'resend': {
        const result = await w.manager.resendClaim(admin, account.id);
        if (account.key) {
          expect(result._unsafeUnwrapErr().type).toBe('KeyAlreadyIssued');
        } else {
          expect(result.isOk()).toBe(true);
          retire(account);
          account.pending = latestClaim(account);
        }
        break;
      }
      case 'deactivate':
      case 'reactivate': {
        const active = command.kind === 'reactivate';
        const result = active
          ? await w.manager.reactivateAccount(admin, account.id)
          : await w.manager.deactivateAccount(admin, account.id);
        expect(result._unsafeUnwrap().active).toBe(active);
        account.active = active;
        break;
      }
      case 'editPhone': {
        phoneGeneration += 1;
        const phone = phoneFor(index, phoneGeneration);
        expect((await w.manager.updateAccount(admin, account.id, { phone })).isOk()).toBe(true);
        account.phone = phone;
        retire(account);
        break;
      }
    }

    // Invariants, after every step, over every key ever issued.
    for (const each of model.values()) {
      const stored = (await w.manager.getAccount(admin, each.id))._unsafeUnwrap();
      expect(stored.active).toBe(each.active);
      // Pending means the claim can still be completed: not expired, not locked.
      const completable =
        each.pending !== null &&
        w.ports.clock.now().getTime() < each.pending.expiresAt &&
        each.pending.attempts < 5;
      expect(stored.claimPending).toBe(completable);
      expect(stored.keyIssuedAt !== null).toBe(each.key !== null);
      for (const dead of each.deadKeys) {
        expect((await w.manager.verifyApiKey(dead))._unsafeUnwrapErr().type).toBe('InvalidKey');
      }
      if (each.key) {
        const verified = await w.manager.verifyApiKey(each.key);
        if (each.active) expect(verified._unsafeUnwrap().accountId).toBe(each.id);
        else expect(verified._unsafeUnwrapErr().type).toBe('AccountInactive');
      }
      const attempts =
        w.ports.store.snapshot().accounts.find((a) => a.id === each.id)?.claim?.attempts ?? 0;
      expect(attempts).toBeLessThanOrEqual(5);
    }
  }
}

describe('lifecycle against a model', () => {
  it('holds R3–R7 over random command sequences', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(commandArbitrary, { minLength: 1, maxLength: 40 }), runSequence),
      { numRuns: 150 },
    );
  });
});
