import {
  signWebhookBody,
  verifyWebhookSignature,
  WEBHOOK_SIGNATURE_HEADER,
  webhookSms,
} from 'api-accounts/sms';
import { runContractSuite, smsSenderContract } from 'api-accounts/testing';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  providerServer,
  type ReceivedRequest,
  type Reply,
  rejectionOf,
} from './provider-server.js';

const SECRET = 'whsec_0123456789abcdef';

/** A receiver that does what the README tells hosts to do: verify, then answer. */
function receiver(request: ReceivedRequest): Reply {
  const header = request.headers[WEBHOOK_SIGNATURE_HEADER];
  if (
    !verifyWebhookSignature({
      secret: SECRET,
      header: typeof header === 'string' ? header : null,
      body: request.body,
    })
  ) {
    return { status: 401, body: { error: 'authentication' } };
  }
  const { to } = JSON.parse(request.body) as { to: string };
  if (to === '+447911000001') return { status: 422, body: { error: 'invalid_number' } };
  if (to === '+447911000002') return { status: 422, body: { error: 'unreachable' } };
  if (to === '+447911000429') return { status: 429, body: {}, headers: { 'retry-after': '3' } };
  if (to === '+447911000500') return { status: 500, body: 'oops' };
  if (to === '+447911000400') return { status: 400, body: { error: 'something we do not know' } };
  if (to === '+447911000999') return { status: 200, body: {}, delayMs: 2_000 };
  if (to === '+447911000000') return { drop: true };
  return { status: 202, body: { accepted: true } };
}

let server: Awaited<ReturnType<typeof providerServer>>;
beforeAll(async () => {
  server = await providerServer(receiver);
});
afterAll(() => server.close());

const sender = (overrides: Partial<{ secret: string; timeoutMs: number }> = {}) =>
  webhookSms({
    url: `${server.url}/sms`,
    secret: SECRET,
    timeoutMs: 500,
    headers: { 'x-route': 'uk' },
    ...overrides,
  });

describe('webhookSms', () => {
  runContractSuite(
    smsSenderContract(
      () => {
        const from = server.received.length;
        return {
          sender: sender(),
          delivered: () =>
            server.received.slice(from).map((r) => {
              const { to, text } = JSON.parse(r.body) as { to: string; text: string };
              return { to, text };
            }),
        };
      },
      { makeRefusingSender: () => sender({ secret: 'another-secret-0123' }) },
    ),
    { describe, it },
  );

  it('POSTs signed JSON with an idempotency key that is the same for a retry of one message', async () => {
    const from = server.received.length;
    const message = { to: '+447894123456', text: 'Box Office: 123456' };
    await sender().send(message);
    await sender().send(message);
    await sender().send({ ...message, text: 'Box Office: 654321' });
    const [first, again, other] = server.received.slice(from) as ReceivedRequest[];
    const body = JSON.parse(first?.body ?? '') as Record<string, string>;
    expect(Object.keys(body).sort()).toEqual(['id', 'text', 'to']);
    expect(body).toMatchObject(message);
    expect(first?.method).toBe('POST');
    expect(first?.path).toBe('/sms');
    expect(first?.headers['content-type']).toBe('application/json');
    expect(first?.headers['x-route']).toBe('uk');
    expect(first?.headers['idempotency-key']).toBe(body['id']);
    expect(again?.headers['idempotency-key']).toBe(body['id']);
    expect(other?.headers['idempotency-key']).not.toBe(body['id']);
    expect(first?.headers[WEBHOOK_SIGNATURE_HEADER]).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
  });

  it.each([
    ['+447911000001', 'invalid_number', false],
    ['+447911000002', 'unreachable', false],
    ['+447911000429', 'rate_limited', true],
    ['+447911000500', 'server_error', true],
    ['+447911000400', 'rejected', false],
    ['+447911000999', 'timeout', true],
    ['+447911000000', 'connection', true],
  ])('maps the answer for %s to %s (retryable %s)', async (to, reason, retryable) => {
    const error = await rejectionOf(() => sender({ timeoutMs: 200 }).send({ to, text: 'x' }));
    expect(error).toMatchObject({ reason, retryable, provider: 'webhook' });
  });

  it('passes on Retry-After', async () => {
    const error = await rejectionOf(() => sender().send({ to: '+447911000429', text: 'x' }));
    expect(error['retryAfterMs']).toBe(3_000);
  });

  it('maps a receiver that refuses the signature to authentication', async () => {
    const error = await rejectionOf(() =>
      sender({ secret: 'not-the-shared-secret' }).send({ to: '+447894123456', text: 'x' }),
    );
    expect(error).toMatchObject({ reason: 'authentication', retryable: false, status: 401 });
  });

  it('refuses a short secret or a relative URL', () => {
    expect(() => webhookSms({ url: `${server.url}/sms`, secret: 'short' })).toThrow(TypeError);
    expect(() => webhookSms({ url: '/sms', secret: SECRET })).toThrow(TypeError);
  });
});

describe('verifyWebhookSignature', () => {
  const body = '{"id":"x","to":"+447894123456","text":"hi"}';
  const now = 1_800_000_000_000;
  const header = signWebhookBody(SECRET, body, now / 1000);

  it('accepts the signature of the same body and secret, recently made', () => {
    expect(verifyWebhookSignature({ secret: SECRET, header, body, nowMs: now + 60_000 })).toBe(
      true,
    );
  });

  it('refuses another body, another secret, an old or future timestamp, or a missing header', () => {
    expect(verifyWebhookSignature({ secret: SECRET, header, body: `${body} `, nowMs: now })).toBe(
      false,
    );
    expect(
      verifyWebhookSignature({ secret: 'other-secret-0123456', header, body, nowMs: now }),
    ).toBe(false);
    expect(verifyWebhookSignature({ secret: SECRET, header, body, nowMs: now + 10 * 60_000 })).toBe(
      false,
    );
    expect(verifyWebhookSignature({ secret: SECRET, header, body, nowMs: now - 10 * 60_000 })).toBe(
      false,
    );
    expect(verifyWebhookSignature({ secret: SECRET, header: null, body, nowMs: now })).toBe(false);
  });

  it('refuses a replayed signature moved onto a new timestamp', () => {
    const v1 = header.split(',v1=')[1];
    const moved = `t=${now / 1000 + 1},v1=${v1}`;
    expect(verifyWebhookSignature({ secret: SECRET, header: moved, body, nowMs: now })).toBe(false);
  });

  it('never throws, whatever the header holds', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (anything) => {
        expect(verifyWebhookSignature({ secret: SECRET, header: anything, body, nowMs: now })).toBe(
          false,
        );
      }),
    );
  });
});
