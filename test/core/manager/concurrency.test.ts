import { describe, expect, it } from 'vitest';
import { accountInput, admin, world, wrongCode } from '../../helpers.js';

describe('concurrency through the manager', () => {
  it('of 50 parallel creates with one email, exactly one succeeds', async () => {
    const w = world();
    const results = await Promise.all(
      Array.from({ length: 50 }, () =>
        w.manager.createAccount(admin, accountInput({ email: 'race@acme.example' })),
      ),
    );
    expect(results.filter((r) => r.isOk())).toHaveLength(1);
    expect(results.filter((r) => r.isErr() && r.error.type === 'EmailTaken')).toHaveLength(49);
    expect(w.ports.store.snapshot().accounts).toHaveLength(1);
  });

  it('of 20 parallel claims with the right code, exactly one gets a key', async () => {
    const w = world();
    await w.manager.createAccount(admin, accountInput());
    const claim = w.lastClaim();
    const results = await Promise.all(
      Array.from({ length: 20 }, () => w.manager.claimApiKey(claim)),
    );
    const winners = results.filter((r) => r.isOk());
    expect(winners).toHaveLength(1);
    const working = await Promise.all(
      results.flatMap((r) => (r.isOk() ? [w.manager.verifyApiKey(r.value.apiKey)] : [])),
    );
    expect(working.filter((r) => r.isOk())).toHaveLength(1);
  });

  it('of 20 parallel wrong codes, the counter stops at the limit and the claim locks', async () => {
    const w = world();
    await w.manager.createAccount(admin, accountInput());
    const claim = w.lastClaim();
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        w.manager.claimApiKey({ token: claim.token, code: wrongCode(claim.code) }),
      ),
    );
    const types = results.map((r) => (r.isErr() ? r.error.type : 'ok'));
    expect(types.filter((t) => t === 'CodeIncorrect')).toHaveLength(5);
    expect(types.filter((t) => t === 'ClaimLocked')).toHaveLength(15);
    expect(w.ports.store.snapshot().accounts[0]?.claim?.attempts).toBe(5);
    expect((await w.manager.claimApiKey(claim))._unsafeUnwrapErr().type).toBe('ClaimLocked');
  });
});
