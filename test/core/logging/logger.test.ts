import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { inspect } from 'node:util';
import { aesGcmSealer, DeliveryError, inMemoryPorts, type Logger } from 'api-accounts';
import { injectFaults } from 'api-accounts/testing';
import pino from 'pino';
import { describe, expect, it, vi } from 'vitest';
import {
  accountInput,
  accountMethodCalls,
  accountWithKey,
  admin,
  capturingLogger,
  clerk,
  signedRequest,
  world,
  wrongCode,
} from '../../helpers.js';

describe('the logger port', () => {
  it('logs failures at their level, and nothing it logs or returns holds a secret', async () => {
    const { logger, entries } = capturingLogger();
    const sealingKey = randomBytes(32);
    const ports = inMemoryPorts();
    let smsDown = false;
    let storeDown = false;
    const w = world(
      {
        logger,
        sealer: aesGcmSealer({ keys: { k: sealingKey }, current: 'k' }),
        sms: {
          send: async (message) => {
            if (smsDown) {
              throw new DeliveryError({
                reason: 'server_error',
                retryable: false,
                provider: 'test',
                detail: `could not send "${message.text}"`,
              });
            }
            await ports.sms.send(message);
          },
        },
        store: injectFaults(ports.store, {
          when: 'always',
          enabled: () => storeDown,
          error: () => new Error('connection reset while reading'),
        }),
        delivery: { attempts: 1 },
      },
      ports,
    );
    const returned: unknown[] = [];
    const keep = <T>(value: T): T => {
      returned.push(value);
      return value;
    };
    const created = keep((await w.manager.createAccount(admin, accountInput()))._unsafeUnwrap());
    const first = w.lastClaim();
    keep(await w.manager.claimApiKey({ token: first.token, code: wrongCode(first.code) }));
    // The claimed key's JSON carries the key on purpose (#23): kept as what inspect shows.
    const claimed = (await w.manager.claimApiKey(first))._unsafeUnwrap();
    keep(inspect(claimed));
    keep(await w.manager.claimApiKey(first));
    keep(await w.manager.verifyApiKey(`${claimed.apiKey.slice(0, -3)}AA=`));
    const signed = await signedRequest(
      claimed,
      { method: 'GET', url: 'https://api.box-office.example/api/v3/customers' },
      w.ports.clock.now(),
    );
    const forged = `${signed.headers.authorization.slice(0, -4)}AAA=`;
    keep(
      await w.manager.verifySignedRequest({
        ...signed,
        headers: { ...signed.headers, authorization: forged },
      }),
    );
    smsDown = true;
    keep(await w.manager.resetApiKey(admin, created.account.id, { confirm: true }));
    smsDown = false;
    const second = w.lastClaim();
    storeDown = true;
    keep(await w.manager.claimApiKey(second));
    keep(await w.manager.verifyApiKey(claimed.apiKey));
    storeDown = false;

    const levels = entries.map((e) => `${e.level} ${e.message}`);
    expect(levels).toContain('debug api-accounts claimApiKey failed: CodeIncorrect');
    expect(levels).toContain('debug api-accounts verifySignedRequest failed: InvalidKey');
    expect(levels).toContain('warn api-accounts resetApiKey: the sms could not be sent');
    expect(levels).toContain('warn api-accounts claimApiKey failed: StoreUnavailable');
    expect(levels).toContain('warn api-accounts verifyApiKey failed: StoreUnavailable');

    const logged = JSON.stringify(entries);
    const everything = `${logged}\n${JSON.stringify(returned)}`;
    const secrets = [
      claimed.apiKey,
      Buffer.from(claimed.apiKey, 'base64').toString('hex'),
      first.token,
      second.token,
      first.code,
      second.code,
      sealingKey.toString('base64'),
      sealingKey.toString('hex'),
      signed.headers.authorization.split(':').at(-1) ?? 'x',
    ];
    for (const secret of secrets) expect(everything).not.toContain(secret);
    // The provider's detail quoted the SMS text; the log masked it.
    expect(logged).toContain('[redacted]');
  });

  it('works with console as it is', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      const ports = inMemoryPorts();
      const w = world(
        { logger: console, store: injectFaults(ports.store, { when: 'always' }) },
        ports,
      );
      await w.manager.listAccounts(admin);
      // One line: the message, then the redacted fields as JSON (the cause with its name and message).
      expect(warn).toHaveBeenCalledWith(
        expect.stringMatching(
          /^api-accounts listAccounts failed: StoreUnavailable \{.*"method":"listAccounts".*"message":"injected fault".*\}$/,
        ),
      );
    } finally {
      warn.mockRestore();
    }
  });

  it('works with pino as it is', async () => {
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const ports = inMemoryPorts();
    const w = world(
      {
        logger: pino({ level: 'debug' }, destination),
        store: injectFaults(ports.store, { when: 'always' }),
      },
      ports,
    );
    await w.manager.getAccount(admin, 'acct_0000000000000000000000');
    const entry = JSON.parse(lines.at(-1) ?? '{}') as Record<string, unknown>;
    expect(entry).toMatchObject({
      level: 40,
      lib: 'api-accounts',
      method: 'getAccount',
      msg: 'api-accounts getAccount failed: StoreUnavailable',
    });
  });

  it('names the method and the error type of every failure it logs', async () => {
    const { logger, entries } = capturingLogger();
    const w = world({ logger });
    const id = `acct_${'A'.repeat(22)}`;
    await Promise.all([
      w.manager.createAccount(clerk, accountInput()),
      w.manager.listAccounts(clerk),
      ...accountMethodCalls(w.manager, clerk, id),
      w.manager.inspectClaim('unknown'),
      w.manager.claimApiKey({ token: 'unknown', code: '123456' }),
      w.manager.verifyApiKey('unknown'),
      w.manager.verifySignedRequest({ method: 'GET', url: 'https://x.example', headers: {} }),
    ]);
    expect(entries.map((entry) => entry.message).sort()).toEqual(
      [
        'createAccount failed: Forbidden',
        'listAccounts failed: Forbidden',
        'getAccount failed: Forbidden',
        'updateAccount failed: Forbidden',
        'deactivateAccount failed: Forbidden',
        'reactivateAccount failed: Forbidden',
        'resetApiKey failed: Forbidden',
        'resendClaim failed: Forbidden',
        'accountHistory failed: Forbidden',
        'rotateApiKey failed: Forbidden',
        'endGracePeriod failed: Forbidden',
        'accountUsage failed: Forbidden',
        'quotaStatus failed: Forbidden',
        'deleteAccount failed: Forbidden',
        'inspectClaim failed: ClaimNotFound',
        'claimApiKey failed: ClaimNotFound',
        'verifyApiKey failed: InvalidKey',
        'verifySignedRequest failed: InvalidKey',
      ]
        .map((message) => `api-accounts ${message}`)
        .sort(),
    );
    expect(JSON.stringify(w.manager)).toBe('{"type":"ApiAccountManager"}');
  });

  it('never lets a broken logger break an operation', async () => {
    const broken: Logger = {
      warn: () => {
        throw new Error('disk full');
      },
      error: () => {
        throw new Error('disk full');
      },
    };
    const ports = inMemoryPorts();
    const w = world({ logger: broken, sms: injectFaults(ports.sms, { when: 'always' }) }, ports);
    const created = await w.manager.createAccount(admin, accountInput());
    expect(created._unsafeUnwrap().delivery.sms.status).toBe('failed');
  });
});

describe('logging to console and by level', () => {
  it('writes one line per entry to console, fields as JSON, and honours logLevel', async () => {
    const lines: unknown[][] = [];
    const original = { debug: console.debug, warn: console.warn };
    console.debug = (...args: unknown[]) => void lines.push(['debug', ...args]);
    console.warn = (...args: unknown[]) => void lines.push(['warn', ...args]);
    try {
      const w = world({ logger: console });
      await w.manager.verifyApiKey('not a key');
      expect(lines).toHaveLength(1);
      const [level, line, ...rest] = lines[0] ?? [];
      expect(level).toBe('debug');
      expect(rest).toEqual([]);
      expect(line).toMatch(/^api-accounts verifyApiKey failed: InvalidKey \{"lib":"api-accounts",/);
      expect(String(line)).not.toContain('\n');
      lines.length = 0;
      const quiet = world({ logger: console, logLevel: 'warn' });
      await quiet.manager.verifyApiKey('not a key');
      expect(lines).toEqual([]);
    } finally {
      console.debug = original.debug;
      console.warn = original.warn;
    }
    expect(() => world({ logLevel: 'loud' as never })).toThrow(TypeError);
  });
});

describe('refused verifications in the log', () => {
  it('logs the first refusal of each kind, and sums up the rest in one line', async () => {
    const { logger, entries } = capturingLogger();
    const w = world({ logger });
    const { id, apiKey } = await accountWithKey(w);
    await w.manager.deactivateAccount(admin, id);
    for (let i = 0; i < 100; i++) await w.manager.verifyApiKey(`not a key ${i}`);
    for (let i = 0; i < 5; i++) await w.manager.verifyApiKey(apiKey);
    const refusals = () => entries.filter((e) => e.message.includes('verifyApiKey'));
    expect(refusals().map((e) => e.message)).toEqual([
      'api-accounts verifyApiKey failed: InvalidKey',
      'api-accounts verifyApiKey failed: AccountInactive',
    ]);
    await w.manager.close();
    expect(refusals().at(-1)).toMatchObject({
      level: 'debug',
      message:
        'api-accounts verifyApiKey refused 103 more time(s) in the last 60 s (InvalidKey 100, AccountInactive 5)',
      fields: expect.objectContaining({ refusals: { InvalidKey: 100, AccountInactive: 5 } }),
    });
    expect(JSON.stringify(entries)).not.toContain(apiKey);
  });
});
