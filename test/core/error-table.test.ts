/**
 * Each error is written once, with its HTTP status: the admin API's problems
 * and the middleware's refusals answer with it (#24).
 */
import { readFileSync } from 'node:fs';
import { refusalFor } from 'api-accounts/middleware';
import { describe, expect, it } from 'vitest';
import { errorProblem } from '../../src/admin-api/problem.js';
import { errors, statusOf, unknownOutcome } from '../../src/core/errors.js';

describe('the one table of errors', () => {
  const samples = [
    errors.accountNotFound('acct_x'),
    errors.emailTaken('a@b.example', 'api-account'),
    errors.confirmationRequired('resetApiKey'),
    errors.invalidKey('unknown_key'),
    errors.rateLimited('acct_x', { limit: 1, windowMs: 1_000 }, 500),
    errors.storeUnavailable('store', new Error('down')),
    errors.internalError(new Error('bug')),
    errors.bodyTooLarge(10),
    errors.insufficientScope('acct_x', ['a'], ['a']),
  ];

  it('names every error type in api-accounts/errors, so a host can import any of them', () => {
    const entry = readFileSync(new URL('../../src/core/error-types.ts', import.meta.url), 'utf8');
    // The list as written, or as a build tool reprints it on one line.
    const list = /export type \{([^}]*)\} from '\.\/errors\.js'/.exec(entry)?.[1] ?? '';
    const named = new Set(list.split(',').map((name) => name.trim()));
    const types = Object.values(errors).map((make) => make.type);
    expect(types.length).toBeGreaterThan(20);
    expect(types.filter((type) => !named.has(type))).toEqual([]);
  });

  it('gives each error its status, and the constructor carries it', () => {
    expect(samples.map(statusOf)).toEqual([404, 409, 400, 401, 429, 503, 500, 413, 403]);
    expect(errors.accountNotFound.status).toBe(404);
    expect(errors.accountNotFound.type).toBe('AccountNotFound');
  });

  it('is what the admin API and the middleware answer with', async () => {
    for (const error of samples) {
      expect(errorProblem(error).status, error.type).toBe(statusOf(error));
      expect((await errorProblem(error).json()) as { type: string }).toMatchObject({
        type: error.type,
        status: statusOf(error),
      });
    }
    for (const error of [samples[3], samples[4], samples[5], samples[7], samples[8]]) {
      if (!error) continue;
      expect(refusalFor(error as never, {}).status, error.type).toBe(statusOf(error));
    }
  });

  it('names an undeclared store outcome, briefly, without the rest of what the store said', () => {
    const long = unknownOutcome({ outcome: 'x'.repeat(100) });
    expect(long.type).toBe('StoreUnavailable');
    expect((long.cause as Error).message).toBe(
      `the store answered an undeclared outcome: ${'x'.repeat(40)}`,
    );
    expect((unknownOutcome(null).cause as Error).message).toBe(
      'the store answered an undeclared outcome: [undefined]',
    );
  });
});
