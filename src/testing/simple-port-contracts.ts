import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { Clock } from '../ports/clock.js';
import type { EmailMessage, EmailSender } from '../ports/email-sender.js';
import type { KeyGenerator } from '../ports/key-generator.js';
import type { RateLimiter } from '../ports/rate-limiter.js';
import type { SmsMessage, SmsSender } from '../ports/sms-sender.js';
import type { UserDirectory } from '../ports/user-directory.js';
import type { ContractSuite, MaybePromise } from './contract.js';

/**
 * A sender under test and a way to read back what actually reached the
 * (real or fake) provider, for {@link smsSenderContract}.
 *
 * @example
 * ```ts
 * const sms = inMemorySmsSender();
 * const harness: SmsSenderHarness = { sender: sms, delivered: () => sms.sent };
 * ```
 */
export interface SmsSenderHarness {
  readonly sender: SmsSender;
  /** Messages the provider received, in order. */
  readonly delivered: () => MaybePromise<readonly SmsMessage[]>;
}

/**
 * The contract of {@link SmsSender}: what is sent arrives unchanged (including
 * non-ASCII text), and a provider's refusal rejects `send`.
 *
 * @example
 * ```ts
 * runContractSuite(
 *   smsSenderContract(() => { const sms = inMemorySmsSender(); return { sender: sms, delivered: () => sms.sent }; }),
 *   { describe, it },
 * );
 * ```
 */
export function smsSenderContract(
  makeHarness: () => MaybePromise<SmsSenderHarness>,
  options: RefusalOption<SmsSender> = {},
): ContractSuite {
  return {
    name: 'SmsSender contract',
    cases: [
      ...refusalCase(options, { to: '+447894123456', text: 'x' }),
      {
        name: 'delivers the recipient and the text unchanged',
        run: async () => {
          const harness = await makeHarness();
          const message = {
            to: '+447894123456',
            text: 'Box Office: 123456 is your code. Ünïcödé ✓',
          };
          await harness.sender.send(message);
          assert.deepEqual([...(await harness.delivered())], [message]);
        },
      },
      {
        name: 'delivers several messages in order',
        run: async () => {
          const harness = await makeHarness();
          const messages = [
            { to: '+447894123456', text: 'one' },
            { to: '+12015550123', text: 'two' },
          ];
          for (const message of messages) await harness.sender.send(message);
          assert.deepEqual([...(await harness.delivered())], messages);
        },
      },
    ],
  };
}

/**
 * Like {@link SmsSenderHarness}, for {@link emailSenderContract}.
 *
 * @example
 * ```ts
 * const harness: EmailSenderHarness = { sender: nodemailerEmail(transport, { from }), delivered: () => smtp.received };
 * ```
 */
export interface EmailSenderHarness {
  readonly sender: EmailSender;
  /** Messages the mail system received, in order. */
  readonly delivered: () => MaybePromise<readonly EmailMessage[]>;
}

/**
 * The contract of {@link EmailSender}: recipient, subject, text and HTML arrive
 * unchanged, non-ASCII included, and a refusal rejects `send`.
 *
 * @example
 * ```ts
 * runContractSuite(
 *   emailSenderContract(() => { const email = inMemoryEmailSender(); return { sender: email, delivered: () => email.sent }; }),
 *   { describe, it },
 * );
 * ```
 */
export function emailSenderContract(
  makeHarness: () => MaybePromise<EmailSenderHarness>,
  options: RefusalOption<EmailSender> = {},
): ContractSuite {
  return {
    name: 'EmailSender contract',
    cases: [
      ...refusalCase(options, { to: 'a@b.example', subject: 's', text: 't', html: 'h' }),
      {
        name: 'delivers recipient, subject, text and html unchanged',
        run: async () => {
          const harness = await makeHarness();
          const message = {
            to: 'dev@bücher.example',
            subject: 'Claim the key of “O’Brien & Co” ✓',
            text: 'Open https://bo.example/claim?token=abc',
            html: '<p>Open <a href="https://bo.example/claim?token=abc">the page</a> — ✓</p>',
          };
          await harness.sender.send(message);
          assert.deepEqual([...(await harness.delivered())], [message]);
        },
      },
    ],
  };
}

/**
 * For sender contracts: how to build a sender wired to a provider that refuses
 * every message. When given, the suite checks that `send` then rejects.
 *
 * @example
 * ```ts
 * smsSenderContract(makeHarness, { makeRefusingSender: () => injectFaults(inMemorySmsSender(), { when: 'always' }) });
 * ```
 */
export interface RefusalOption<Sender> {
  /** Builds a sender whose provider refuses every message. */
  readonly makeRefusingSender?: () => MaybePromise<Sender>;
}

function refusalCase<M>(
  options: RefusalOption<{ send(message: M): Promise<void> }>,
  message: M,
): ContractSuite['cases'] {
  const { makeRefusingSender } = options;
  if (!makeRefusingSender) return [];
  return [
    {
      name: 'rejects when the provider refuses the message',
      run: async () => {
        const sender = await makeRefusingSender();
        await assert.rejects(async () => sender.send(message));
      },
    },
  ];
}

/**
 * The contract of {@link Clock}: `now()` returns a valid `Date`, time does not
 * run backwards between two calls, and the returned `Date` is the caller's to
 * mutate.
 *
 * @example
 * ```ts
 * runContractSuite(clockContract(() => systemClock()), { describe, it });
 * ```
 */
export function clockContract(makeClock: () => MaybePromise<Clock>): ContractSuite {
  return {
    name: 'Clock contract',
    cases: [
      {
        name: 'returns a valid Date',
        run: async () => {
          const now = (await makeClock()).now();
          assert.ok(now instanceof Date);
          assert.ok(!Number.isNaN(now.getTime()));
        },
      },
      {
        name: 'does not run backwards',
        run: async () => {
          const clock = await makeClock();
          const first = clock.now().getTime();
          const second = clock.now().getTime();
          assert.ok(second >= first, `second reading ${second} is before ${first}`);
        },
      },
      {
        name: 'returns a Date the caller may mutate without moving the clock',
        run: async () => {
          const clock = await makeClock();
          const first = clock.now();
          const before = first.getTime();
          first.setTime(0);
          assert.ok(clock.now().getTime() >= before);
        },
      },
    ],
  };
}

/**
 * The contract of {@link KeyGenerator}: exact lengths, fresh bytes each call,
 * and no gross bias (a monobit frequency test over 64 KiB, which a working
 * CSPRNG fails with probability below one in a million).
 *
 * @example
 * ```ts
 * runContractSuite(keyGeneratorContract(() => cryptoKeyGenerator()), { describe, it });
 * ```
 */
export function keyGeneratorContract(makeKeys: () => MaybePromise<KeyGenerator>): ContractSuite {
  return {
    name: 'KeyGenerator contract',
    cases: [
      {
        name: 'returns a Uint8Array of exactly the length asked for',
        run: async () => {
          const keys = await makeKeys();
          for (const length of [1, 4, 16, 32, 64]) {
            const bytes = keys.randomBytes(length);
            assert.ok(bytes instanceof Uint8Array);
            assert.equal(bytes.length, length);
          }
        },
      },
      {
        name: 'returns different bytes on every call',
        run: async () => {
          const keys = await makeKeys();
          const seen = new Set<string>();
          for (let i = 0; i < 1000; i++)
            seen.add(Buffer.from(keys.randomBytes(32)).toString('hex'));
          assert.equal(seen.size, 1000);
        },
      },
      {
        name: 'sets about half of all bits (monobit test over 64 KiB)',
        run: async () => {
          const bytes = (await makeKeys()).randomBytes(65_536);
          let ones = 0;
          for (const byte of bytes) {
            for (let bit = byte; bit > 0; bit >>= 1) ones += bit & 1;
          }
          const bits = bytes.length * 8;
          // 5 standard deviations of a fair coin: a CSPRNG fails this about once in 1.7 million runs.
          const tolerance = 5 * Math.sqrt(bits / 4);
          assert.ok(Math.abs(ones - bits / 2) < tolerance, `${ones} of ${bits} bits set`);
        },
      },
    ],
  };
}

/**
 * The contract of {@link UserDirectory}. `makeDirectory(emails)` must return a
 * directory in which the host users with exactly those addresses exist (as the
 * host would store them: any case, untrimmed).
 *
 * @example
 * ```ts
 * runContractSuite(userDirectoryContract((emails) => inMemoryUserDirectory(emails)), { describe, it });
 * ```
 */
export function userDirectoryContract(
  makeDirectory: (emails: readonly string[]) => MaybePromise<UserDirectory>,
): ContractSuite {
  return {
    name: 'UserDirectory contract',
    cases: [
      {
        name: "finds a host user's email given in normalised form",
        run: async () => {
          const directory = await makeDirectory(['Box.Office@Riverside.example']);
          assert.equal(
            await directory.isEmailTaken('box.office@riverside.example', 'default'),
            true,
          );
        },
      },
      {
        name: 'does not find an address no host user has',
        run: async () => {
          const directory = await makeDirectory(['box.office@riverside.example']);
          assert.equal(await directory.isEmailTaken('partner@acme.example', 'default'), false);
          assert.equal(
            await directory.isEmailTaken('box.office@riverside.example.org', 'default'),
            false,
          );
        },
      },
      {
        name: 'compares internationalised addresses after NFC normalisation',
        run: async () => {
          // 'é' written as e + combining acute accent in the host's data.
          const directory = await makeDirectory(['rene\u0301@théâtre.example']);
          assert.equal(await directory.isEmailTaken('ren\u00e9@théâtre.example', 'default'), true);
        },
      },
    ],
  };
}

/**
 * The contract of {@link RateLimiter}: at most `limit` uses at once even
 * under concurrency, a budget that refills steadily (one unit every
 * `windowMs / limit`, as GCRA does) and is whole again a window after the
 * last use, refusals that use nothing, and keys counted apart. Uses real
 * time (waits of a few hundred ms).
 *
 * @example
 * ```ts
 * runContractSuite(rateLimiterContract(() => inMemoryRateLimiter()), { describe, it });
 * ```
 */
export function rateLimiterContract(makeLimiter: () => MaybePromise<RateLimiter>): ContractSuite {
  const key = () => `contract:${randomBytes(8).toString('hex')}`;
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  return {
    name: 'RateLimiter contract',
    cases: [
      {
        name: 'allows exactly `limit` of 40 concurrent uses, and says when to come back',
        run: async () => {
          const limiter = await makeLimiter();
          const k = key();
          const decisions = await Promise.all(
            Array.from({ length: 40 }, () => limiter.consume(k, { limit: 10, windowMs: 60_000 })),
          );
          assert.equal(decisions.filter((d) => d.allowed).length, 10);
          for (const decision of decisions) {
            if (!decision.allowed) {
              // The next unit comes one interval (60 s / 10) after the burst.
              assert.ok(decision.retryAfterMs > 5_000 && decision.retryAfterMs <= 6_000);
            }
          }
        },
      },
      {
        name: 'counts each key apart, and says what remains and when the budget is whole',
        run: async () => {
          const limiter = await makeLimiter();
          const [a, b] = [key(), key()];
          const policy = { limit: 2, windowMs: 60_000 };
          const first = await limiter.consume(a, policy);
          const second = await limiter.consume(a, policy);
          assert.ok(first.allowed && first.remaining === 1);
          assert.ok(first.resetAfterMs > 29_000 && first.resetAfterMs <= 30_000);
          assert.ok(second.allowed && second.remaining === 0);
          assert.ok(second.resetAfterMs > 59_000 && second.resetAfterMs <= 60_000);
          assert.equal((await limiter.consume(a, policy)).allowed, false);
          const other = await limiter.consume(b, policy);
          assert.ok(other.allowed && other.remaining === 1);
        },
      },
      {
        name: 'refills steadily: one unit per windowMs / limit, not a whole budget at a window edge',
        run: async () => {
          const limiter = await makeLimiter();
          const k = key();
          const policy = { limit: 2, windowMs: 400 };
          assert.equal((await limiter.consume(k, policy)).allowed, true);
          assert.equal((await limiter.consume(k, policy)).allowed, true);
          assert.equal((await limiter.consume(k, policy)).allowed, false);
          await sleep(250);
          // One interval (200 ms) has passed: one unit is back, not two.
          assert.equal((await limiter.consume(k, policy)).allowed, true);
          assert.equal((await limiter.consume(k, policy)).allowed, false);
          await sleep(450);
          // A whole window after the last use, the whole budget.
          assert.equal((await limiter.consume(k, policy)).allowed, true);
          assert.equal((await limiter.consume(k, policy)).allowed, true);
        },
      },
      {
        name: 'refused uses cost nothing: hammering a spent budget does not push it back',
        run: async () => {
          const limiter = await makeLimiter();
          const k = key();
          const policy = { limit: 1, windowMs: 150 };
          assert.equal((await limiter.consume(k, policy)).allowed, true);
          for (let i = 0; i < 20; i++)
            assert.equal((await limiter.consume(k, policy)).allowed, false);
          await sleep(200);
          assert.equal((await limiter.consume(k, policy)).allowed, true);
        },
      },
    ],
  };
}
