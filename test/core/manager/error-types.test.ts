/**
 * Every method's exported error type is exactly what it can return, so an
 * exhaustive `switch` over a method's errors compiles (checked by `tsc`,
 * which type-checks the tests).
 */

import type { ApiAccountManager } from 'api-accounts';
import type {
  ClaimApiKeyError,
  CreateAccountError,
  GetAccountError,
  InspectClaimError,
  InternalError,
  ListAccountsError,
  ResendClaimError,
  ResetApiKeyError,
  UpdateAccountError,
  VerifyApiKeyError,
  VerifySignedRequestError,
} from 'api-accounts/errors';
import type { ResultAsync } from 'neverthrow';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { accountInput, admin, world } from '../../helpers.js';

type ErrorOf<Method extends keyof ApiAccountManager> = ApiAccountManager[Method] extends (
  ...args: never[]
) => ResultAsync<unknown, infer E>
  ? E
  : never;

describe('exported error types', () => {
  it('are exactly what each method answers, InternalError included', () => {
    expectTypeOf<ErrorOf<'createAccount'>>().toEqualTypeOf<CreateAccountError>();
    expectTypeOf<ErrorOf<'listAccounts'>>().toEqualTypeOf<ListAccountsError>();
    expectTypeOf<ErrorOf<'getAccount'>>().toEqualTypeOf<GetAccountError>();
    expectTypeOf<ErrorOf<'accountHistory'>>().toEqualTypeOf<GetAccountError>();
    expectTypeOf<ErrorOf<'updateAccount'>>().toEqualTypeOf<UpdateAccountError>();
    expectTypeOf<ErrorOf<'deactivateAccount'>>().toEqualTypeOf<UpdateAccountError>();
    expectTypeOf<ErrorOf<'reactivateAccount'>>().toEqualTypeOf<UpdateAccountError>();
    expectTypeOf<ErrorOf<'resetApiKey'>>().toEqualTypeOf<ResetApiKeyError>();
    expectTypeOf<ErrorOf<'resendClaim'>>().toEqualTypeOf<ResendClaimError>();
    expectTypeOf<ErrorOf<'inspectClaim'>>().toEqualTypeOf<InspectClaimError>();
    expectTypeOf<ErrorOf<'claimApiKey'>>().toEqualTypeOf<ClaimApiKeyError>();
    expectTypeOf<ErrorOf<'verifyApiKey'>>().toEqualTypeOf<VerifyApiKeyError>();
    expectTypeOf<ErrorOf<'verifySignedRequest'>>().toEqualTypeOf<VerifySignedRequestError>();
    for (const union of [
      {} as CreateAccountError,
      {} as ListAccountsError,
      {} as GetAccountError,
      {} as UpdateAccountError,
      {} as ResetApiKeyError,
      {} as ResendClaimError,
      {} as ClaimApiKeyError,
      {} as VerifyApiKeyError,
      {} as VerifySignedRequestError,
    ]) {
      expectTypeOf<InternalError>().toExtend<typeof union>();
    }
  });

  it('let an exhaustive switch compile and run', async () => {
    const w = world();
    const result = await w.manager.createAccount(admin, { ...accountInput(), phone: '12' });
    const describeError = (error: CreateAccountError): string => {
      switch (error.type) {
        case 'Forbidden':
        case 'InvalidInput':
        case 'InvalidUsername':
        case 'InvalidEmail':
        case 'InvalidPhone':
        case 'EmailTaken':
        case 'UsernameTaken':
          return `fix the form: ${error.type}`;
        case 'StoreUnavailable':
        case 'PortFailed':
        case 'InternalError':
          return `try later: ${error.type}`;
        default: {
          const unhandled: never = error;
          return unhandled;
        }
      }
    };
    expect(describeError(result._unsafeUnwrapErr())).toBe('fix the form: InvalidPhone');
  });
});
