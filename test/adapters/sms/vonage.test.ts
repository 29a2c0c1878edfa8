import { DeliveryError } from 'api-accounts';
import { vonageSms } from 'api-accounts/sms';
import { runContractSuite, smsSenderContract } from 'api-accounts/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  providerServer,
  type ReceivedRequest,
  type Reply,
  rejectionOf,
} from './provider-server.js';

const KEY = 'abcd1234';
const SECRET = 'vonage-secret-0123';

// Destinations this fake answers with each documented SMS API status.
const STATUS_FOR: Record<string, { status: string; text: string }> = {
  '447911000001': { status: '1', text: 'Throughput Rate Exceeded - please wait [ 30 ] and retry' },
  '447911000003': { status: '3', text: 'Invalid from param' },
  '447911000005': { status: '5', text: 'Internal Error' },
  '447911000006': { status: '6', text: 'Unroutable message - rejected' },
  '447911000007': { status: '7', text: 'Number barred.' },
  '447911000009': { status: '9', text: 'Quota Exceeded - rejected' },
  '447911000029': { status: '29', text: 'Non White-listed Destination - rejected' },
  '447911000033': { status: '33', text: 'Number de-activated' },
};
const SLOW = '447911000999';
const DROP = '447911000000';
const HTTP_503 = '447911000503';

/** Vonage's SMS API as documented: form or JSON in, 200 with one status per message part out. */
function fakeVonage(request: ReceivedRequest): Reply {
  if (request.method !== 'POST' || request.path !== '/sms/json') return { status: 404, body: '' };
  const form = new URLSearchParams(request.body);
  const to = form.get('to') ?? '';
  if (to === SLOW) return { status: 200, body: {}, delayMs: 2_000 };
  if (to === DROP) return { drop: true };
  if (to === HTTP_503) return { status: 503, body: '' };
  const fail = (status: string, text: string): Reply => ({
    status: 200,
    body: { 'message-count': '1', messages: [{ status, 'error-text': text }] },
  });
  if (form.get('api_key') !== KEY || form.get('api_secret') !== SECRET)
    return fail('4', 'Bad Credentials');
  for (const field of ['from', 'to', 'text'])
    if (!form.get(field)) return fail('2', `Missing ${field}`);
  const staged = STATUS_FOR[to];
  if (staged) return fail(staged.status, staged.text);
  return {
    status: 200,
    body: {
      'message-count': '1',
      messages: [
        {
          to,
          'message-id': '0C000000217B7F02',
          status: '0',
          'remaining-balance': '15.53590000',
          'message-price': '0.03330000',
          network: '23410',
        },
      ],
    },
  };
}

let server: Awaited<ReturnType<typeof providerServer>>;
beforeAll(async () => {
  server = await providerServer(fakeVonage);
});
afterAll(() => server.close());

const sender = (overrides: Partial<{ apiSecret: string; timeoutMs: number }> = {}) =>
  vonageSms({
    apiKey: KEY,
    apiSecret: SECRET,
    from: 'BoxOffice',
    baseUrl: server.url,
    timeoutMs: 500,
    ...overrides,
  });

describe('vonageSms', () => {
  runContractSuite(
    smsSenderContract(
      () => {
        const from = server.received.length;
        return {
          sender: sender(),
          delivered: () =>
            server.received.slice(from).map((r) => {
              const form = new URLSearchParams(r.body);
              return { to: `+${form.get('to')}`, text: form.get('text') ?? '' };
            }),
        };
      },
      { makeRefusingSender: () => sender({ apiSecret: 'wrong' }) },
    ),
    { describe, it },
  );

  it('POSTs the documented form fields, the number without its +', async () => {
    const from = server.received.length;
    await sender().send({ to: '+447894123456', text: 'Box Office: 123456 is your code.' });
    const request = server.received[from] as ReceivedRequest;
    expect(request.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(new URLSearchParams(request.body))).toEqual({
      api_key: KEY,
      api_secret: SECRET,
      from: 'BoxOffice',
      to: '447894123456',
      text: 'Box Office: 123456 is your code.',
    });
  });

  it('asks for type=unicode only when the text is not GSM-7', async () => {
    const from = server.received.length;
    await sender().send({ to: '+447894123456', text: 'Код 123456' });
    await sender().send({ to: '+447894123456', text: 'Café 123456' });
    const types = server.received.slice(from).map((r) => new URLSearchParams(r.body).get('type'));
    expect(types).toEqual(['unicode', null]);
  });

  it.each([
    ['447911000001', 'rate_limited', true, '1'],
    ['447911000003', 'rejected', false, '3'],
    ['447911000005', 'server_error', true, '5'],
    ['447911000006', 'invalid_number', false, '6'],
    ['447911000007', 'unreachable', false, '7'],
    ['447911000009', 'rejected', false, '9'],
    ['447911000029', 'unreachable', false, '29'],
    ['447911000033', 'unreachable', false, '33'],
  ])('maps status of +%s to %s (retryable %s)', async (to, reason, retryable, code) => {
    const error = await rejectionOf(() => sender().send({ to: `+${to}`, text: 'x' }));
    expect(error).toBeInstanceOf(DeliveryError);
    expect(error).toMatchObject({ reason, retryable, provider: 'vonage', providerCode: code });
  });

  it('maps bad credentials (status 4) to authentication', async () => {
    const error = await rejectionOf(() =>
      sender({ apiSecret: 'nope' }).send({ to: '+447894123456', text: 'x' }),
    );
    expect(error).toMatchObject({ reason: 'authentication', retryable: false, providerCode: '4' });
  });

  it('maps an HTTP 503, a slow answer and a dropped connection to retryable failures', async () => {
    expect(await rejectionOf(() => sender().send({ to: `+${HTTP_503}`, text: 'x' }))).toMatchObject(
      {
        reason: 'server_error',
        retryable: true,
        status: 503,
      },
    );
    expect(
      await rejectionOf(() => sender({ timeoutMs: 100 }).send({ to: `+${SLOW}`, text: 'x' })),
    ).toMatchObject({
      reason: 'timeout',
      retryable: true,
    });
    expect(await rejectionOf(() => sender().send({ to: `+${DROP}`, text: 'x' }))).toMatchObject({
      reason: 'connection',
      retryable: true,
    });
  });

  it('refuses a 200 without a message status', async () => {
    const odd = await providerServer(() => ({
      status: 200,
      body: { 'message-count': '0', messages: [] },
    }));
    try {
      const error = await rejectionOf(() =>
        vonageSms({ apiKey: KEY, apiSecret: SECRET, from: 'X', baseUrl: odd.url }).send({
          to: '+447894123456',
          text: 'x',
        }),
      );
      expect(error).toMatchObject({ reason: 'server_error' });
    } finally {
      await odd.close();
    }
  });
});
