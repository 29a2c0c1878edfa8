import assert from 'node:assert/strict';
import { inMemoryPorts } from '../adapters/memory/in-memory-ports.js';
import { SETTINGS_ADMINISTRATOR } from '../core/actor.js';
import { ApiAccountManager } from '../core/manager.js';
import type { AccountStore } from '../ports/account-store.js';
import type { ContractSuite, MaybePromise } from './contract.js';
import { latestClaim } from './read-claim.js';

const admin = { id: 'contract-admin', roles: [SETTINGS_ADMINISTRATOR] };
const CLAIM_URL = 'https://box-office.example/claim?token=';

/** A manager over `store` with in-memory messaging, and a way to read the latest claim it sent. */
function harness(store: AccountStore) {
  const ports = inMemoryPorts();
  const manager = new ApiAccountManager({
    ...ports,
    store,
    claimUrl: (token) => CLAIM_URL + token,
  });
  return { ports, manager, latestClaim: () => latestClaim(ports) };
}

/**
 * The whole API-account lifecycle driven through `ApiAccountManager` on your
 * store: create, claim (wrong code, right code, replay), verify, edit, switch
 * off and on, reset, resend, history and paging. Complements
 * `accountStoreContract`, which checks the port method by method.
 *
 * @example
 * ```ts
 * runContractSuite(storeLifecycleContract(() => freshStore()), { describe, it });
 * ```
 */
export function storeLifecycleContract(makeStore: () => MaybePromise<AccountStore>): ContractSuite {
  return {
    name: 'ApiAccountManager lifecycle on this store',
    cases: [
      {
        name: 'create → claim once → verify → reset → claim → switch off and on → history',
        run: async () => {
          const { manager, latestClaim, ports } = harness(await makeStore());
          const created = (
            await manager.createAccount(admin, {
              username: 'Lifecycle Ltd ✓',
              email: 'Lifecycle@Partner.example',
              phone: '+44 7894 123 456',
            })
          )._unsafeUnwrap();
          const id = created.account.id;
          assert.equal(created.account.email, 'lifecycle@partner.example');
          const first = latestClaim();
          assert.equal(
            (await manager.inspectClaim(first.token))._unsafeUnwrap().attemptsRemaining,
            5,
          );
          const wrong = await manager.claimApiKey({
            token: first.token,
            code: first.code === '000000' ? '111111' : '000000',
          });
          assert.deepEqual(wrong._unsafeUnwrapErr().type, 'CodeIncorrect');
          const { apiKey, username } = (await manager.claimApiKey(first))._unsafeUnwrap();
          assert.equal(username, 'Lifecycle Ltd ✓');
          assert.equal((await manager.claimApiKey(first))._unsafeUnwrapErr().type, 'ClaimNotFound');
          assert.equal((await manager.verifyApiKey(apiKey))._unsafeUnwrap().accountId, id);

          await manager.updateAccount(admin, id, {
            username: 'Lifecycle Group',
            phone: '+447911123456',
          });
          assert.equal(
            (await manager.verifyApiKey(apiKey))._unsafeUnwrap().username,
            'Lifecycle Group',
          );

          (await manager.deactivateAccount(admin, id))._unsafeUnwrap();
          assert.equal(
            (await manager.verifyApiKey(apiKey))._unsafeUnwrapErr().type,
            'AccountInactive',
          );
          (await manager.reactivateAccount(admin, id))._unsafeUnwrap();
          assert.ok((await manager.verifyApiKey(apiKey)).isOk());

          (await manager.resetApiKey(admin, id, { confirm: true }))._unsafeUnwrap();
          assert.equal((await manager.verifyApiKey(apiKey))._unsafeUnwrapErr().type, 'InvalidKey');
          const stale = latestClaim();
          (await manager.resendClaim(admin, id))._unsafeUnwrap();
          assert.equal((await manager.claimApiKey(stale))._unsafeUnwrapErr().type, 'ClaimNotFound');
          const second = (await manager.claimApiKey(latestClaim()))._unsafeUnwrap();
          assert.ok((await manager.verifyApiKey(second.apiKey)).isOk());
          assert.equal(ports.sms.sent.at(-1)?.to, '+447911123456');

          const history = (await manager.accountHistory(admin, id))
            ._unsafeUnwrap()
            .items.map((e) => e.type);
          assert.deepEqual(history, [
            'account.created',
            'claim.code_rejected',
            'key.claimed',
            'account.updated',
            'account.deactivated',
            'account.reactivated',
            'key.reset',
            'claim.resent',
            'key.claimed',
          ]);
        },
      },
      {
        name: 'uniqueness, locking and paging through the manager',
        run: async () => {
          const { manager, latestClaim } = harness(await makeStore());
          const ids: string[] = [];
          for (let i = 0; i < 5; i++) {
            const created = await manager.createAccount(admin, {
              username: `Pager ${i}`,
              email: `pager${i}@partner.example`,
              phone: '+447894123456',
            });
            ids.push(created._unsafeUnwrap().account.id);
          }
          const taken = await manager.createAccount(admin, {
            username: 'PAGER 0',
            email: 'x@partner.example',
            phone: '+447894123456',
          });
          assert.equal(taken._unsafeUnwrapErr().type, 'UsernameTaken');
          const emailTaken = await manager.createAccount(admin, {
            username: 'Other',
            email: 'PAGER1@partner.example',
            phone: '+447894123456',
          });
          assert.equal(emailTaken._unsafeUnwrapErr().type, 'EmailTaken');

          const claim = latestClaim();
          for (let i = 0; i < 5; i++)
            await manager.claimApiKey({
              token: claim.token,
              code: claim.code === '000000' ? '111111' : '000000',
            });
          assert.equal((await manager.claimApiKey(claim))._unsafeUnwrapErr().type, 'ClaimLocked');

          const seen: string[] = [];
          let cursor: string | null = null;
          do {
            const page: { items: readonly { id: string }[]; nextCursor: string | null } = (
              await manager.listAccounts(admin, { limit: 2, ...(cursor ? { cursor } : {}) })
            )._unsafeUnwrap();
            seen.push(...page.items.map((a) => a.id));
            cursor = page.nextCursor;
          } while (cursor);
          assert.deepEqual([...seen].sort(), [...ids].sort());
        },
      },
    ],
  };
}
