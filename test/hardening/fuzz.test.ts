/**
 * The parsers that face the network, fed arbitrary and hostile input: no
 * throw, no hang, and no blow-up on 1 MB inputs (each 1 MB case must finish in
 * a bound that a quadratic algorithm on 10^6 characters could never meet).
 */
import { randomBytes } from 'node:crypto';
import { validateEmail, validateMobilePhone } from 'api-accounts';
import { claimPage } from 'api-accounts/claim-page';
import { authenticate } from 'api-accounts/middleware';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseApiKey } from '../../src/core/keys/api-key-format.js';
import { parseHttpDateMs } from '../../src/core/signing/http-date.js';
import { parseSpektrixAuthorization } from '../../src/core/signing/spektrix-signature.js';
import { accountWithKey, admin, freshSealer, world } from '../helpers.js';

const MB = 1024 * 1024;
/** A bound no parser doing linear work on 1 MB comes near, and a quadratic one cannot meet. */
const BLOW_UP_BOUND_MS = 1_500;

/** Strings built to hurt parsers: repetition that defeats backtracking, separators, controls. */
const hostileMegabytes = (): readonly string[] => [
  'A'.repeat(MB),
  '='.repeat(MB),
  ':'.repeat(MB),
  ` ${'\t'.repeat(MB)} `,
  'Bearer '.repeat(MB / 7),
  `SpektrixAPI3 ${'a:'.repeat(MB / 2)}`,
  `SpektrixAPI3 ${'x'.repeat(MB)}:${'='.repeat(64)}`,
  `ak_live_${'0'.repeat(MB)}`,
  `${'+'.repeat(MB / 2)}${'4'.repeat(MB / 2)}`,
  `${'a@'.repeat(MB / 2)}`,
  `${'a'.repeat(MB)}@example.com`,
  `a@${'b.'.repeat(MB / 2)}example`,
  '\u0000'.repeat(MB),
  '😀'.repeat(MB / 2),
  randomBytes(MB / 2).toString('base64'),
];

function timed<T>(run: () => T): { value: T; ms: number } {
  const started = performance.now();
  const value = run();
  return { value, ms: performance.now() - started };
}

async function timedAsync<T>(run: () => PromiseLike<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await run();
  return { value, ms: performance.now() - started };
}

const headerSafe = (text: string) => text.replace(/[^\t\x20-\x7e]/g, '');

describe('network-facing parsers under fuzz', () => {
  it('parseSpektrixAuthorization never throws, on any string', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: 'binary', maxLength: 300 }),
          fc
            .tuple(fc.string({ maxLength: 80 }), fc.string({ maxLength: 80 }))
            .map(([u, s]) => `SpektrixAPI3 ${u}:${s}`),
        ),
        (header) => {
          parseSpektrixAuthorization(header);
        },
      ),
      { numRuns: 2_000 },
    );
  });

  it('parseApiKey and parseHttpDateMs never throw, on any string', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (text) => {
        parseApiKey(text);
        parseHttpDateMs(text);
      }),
      { numRuns: 2_000 },
    );
  });

  it('the phone and email validators answer a typed result for any string', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (text) => {
        const phone = validateMobilePhone(text);
        const email = validateEmail(text);
        expect(phone.isOk() || phone.error.type === 'InvalidPhone').toBe(true);
        expect(email.isOk() || email.error.type === 'InvalidEmail').toBe(true);
      }),
      { numRuns: 2_000 },
    );
  });

  it('authenticate answers every Authorization and X-API-Key header with a typed result', async () => {
    const w = world({ sealer: freshSealer() });
    const { apiKey } = await accountWithKey(w);
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string({ maxLength: 200 }).map((s) => `Bearer ${s}`),
          fc.string({ maxLength: 200 }).map((s) => `SpektrixAPI3 ${s}`),
          fc.string({ maxLength: 200 }),
          fc.constant(`Bearer ${apiKey}`),
          fc.constant(`Bearer  ${apiKey} `),
          fc.constant(`bearer ${apiKey}`),
        ),
        fc.option(fc.string({ maxLength: 100 }), { nil: undefined }),
        async (authorization, apiKeyHeader) => {
          const headers = new Headers();
          headers.set('authorization', headerSafe(authorization));
          if (apiKeyHeader !== undefined) headers.set('x-api-key', headerSafe(apiKeyHeader));
          const result = await authenticate(
            w.manager,
            new Request('https://api.example/v3/customers', { headers }),
          );
          if (result.isErr()) expect(typeof result.error.type).toBe('string');
        },
      ),
      { numRuns: 1_000 },
    );
  });

  it('takes 1 MB hostile inputs in every parser without blowing up', async () => {
    const w = world({ sealer: freshSealer() });
    const slowest: Record<string, number> = {};
    const note = (name: string, ms: number) => {
      slowest[name] = Math.max(slowest[name] ?? 0, ms);
    };
    for (const input of hostileMegabytes()) {
      note('parseSpektrixAuthorization', timed(() => parseSpektrixAuthorization(input)).ms);
      note('parseApiKey', timed(() => parseApiKey(input)).ms);
      note('parseHttpDateMs', timed(() => parseHttpDateMs(input)).ms);
      note('validateMobilePhone', timed(() => validateMobilePhone(input)).ms);
      note('validateEmail', timed(() => validateEmail(input)).ms);
      const verified = await timedAsync(() => w.manager.verifyApiKey(input));
      expect(verified.value.isErr()).toBe(true);
      note('verifyApiKey', verified.ms);
      const headers = new Headers({ authorization: headerSafe(input).slice(0, 64 * 1024) });
      const signed = await timedAsync(() =>
        w.manager.verifySignedRequest({
          method: 'GET',
          url: `https://api.example/${encodeURIComponent(input)}`,
          headers,
          body: input,
        }),
      );
      expect(signed.value.isErr()).toBe(true);
      note('verifySignedRequest', signed.ms);
      const created = await timedAsync(() =>
        w.manager.createAccount(admin, { username: input, email: input, phone: input }),
      );
      expect(created.value.isErr()).toBe(true);
      note('createAccount', created.ms);
    }
    process.stderr.write(
      `slowest 1 MB input per parser (ms): ${Object.entries(slowest)
        .map(([name, ms]) => `${name} ${ms.toFixed(1)}`)
        .join(', ')}\n`,
    );
    for (const [name, ms] of Object.entries(slowest)) {
      expect(ms, `${name} took ${ms.toFixed(0)} ms on a 1 MB input`).toBeLessThan(BLOW_UP_BOUND_MS);
    }
  }, 60_000);

  it('the claim page takes any form body, and refuses 1 MB ones at once', async () => {
    const w = world();
    const page = claimPage(w.manager);
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'binary', maxLength: 2_000 }), async (body) => {
        const response = await page(
          new Request('https://bo.example/claim', {
            method: 'POST',
            headers: {
              'content-type': 'application/x-www-form-urlencoded',
              cookie: `api_accounts_claim=${'A'.repeat(43)}`,
            },
            body,
          }),
        );
        expect([400, 403, 404, 413, 422, 423, 429]).toContain(response.status);
      }),
      { numRuns: 500 },
    );
    for (const input of hostileMegabytes()) {
      const { value, ms } = await timedAsync(() =>
        page(
          new Request('https://bo.example/claim', {
            method: 'POST',
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            body: input,
          }),
        ),
      );
      expect(value.status).toBe(413);
      expect(ms).toBeLessThan(BLOW_UP_BOUND_MS);
    }
  });
});
