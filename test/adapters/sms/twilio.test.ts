import { DeliveryError } from 'api-accounts';
import { twilioSms } from 'api-accounts/sms';
import { runContractSuite, smsSenderContract } from 'api-accounts/testing';
import twilio from 'twilio';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  providerServer,
  type ReceivedRequest,
  type Reply,
  rejectionOf,
} from './provider-server.js';

const SID = 'AC0123456789abcdef0123456789abcdef';
const TOKEN = 'test-auth-token-0123456789';
const FROM = '+447700900123';

// Twilio's documented test numbers and the errors they produce, plus numbers
// this fake uses to stage infrastructure failures.
const ERRORS: Record<
  string,
  { status: number; code: number; message: string; headers?: Record<string, string> }
> = {
  '+15005550001': {
    status: 400,
    code: 21211,
    message: "The 'To' number +15005550001 is not a valid phone number.",
  },
  '+15005550002': {
    status: 400,
    code: 21612,
    message: "The 'To' phone number is not currently reachable via SMS.",
  },
  '+15005550003': {
    status: 400,
    code: 21408,
    message: 'Permission to send an SMS has not been enabled for the region.',
  },
  '+15005550004': {
    status: 400,
    code: 21610,
    message: 'Attempt to send to unsubscribed recipient',
  },
  '+15005550009': { status: 400, code: 21614, message: "'To' number is not a valid mobile number" },
  '+447911000429': {
    status: 429,
    code: 20429,
    message: 'Too Many Requests',
    headers: { 'retry-after': '2' },
  },
  '+447911000500': { status: 500, code: 20500, message: 'Internal Server Error' },
  '+447911000400': { status: 400, code: 21602, message: 'Message body is required.' },
};
const SLOW = '+447911000999';
const DROP = '+447911000000';

/** The Messages resource as Twilio documents it, enough for both the REST client and fetch. */
function fakeTwilio(request: ReceivedRequest): Reply {
  const expectedAuth = `Basic ${Buffer.from(`${SID}:${TOKEN}`).toString('base64')}`;
  const apiKeyAuth = `Basic ${Buffer.from(`SK0123:${TOKEN}`).toString('base64')}`;
  if (
    request.headers.authorization !== expectedAuth &&
    request.headers.authorization !== apiKeyAuth
  ) {
    return {
      status: 401,
      body: {
        code: 20003,
        message: 'Authenticate',
        more_info: 'https://www.twilio.com/docs/errors/20003',
        status: 401,
      },
    };
  }
  if (request.method !== 'POST' || request.path !== `/2010-04-01/Accounts/${SID}/Messages.json`) {
    return {
      status: 404,
      body: { code: 20404, message: 'The requested resource was not found', status: 404 },
    };
  }
  const form = new URLSearchParams(request.body);
  const to = form.get('To') ?? '';
  if (to === SLOW) return { status: 201, body: {}, delayMs: 2_000 };
  if (to === DROP) return { drop: true };
  const error = ERRORS[to];
  if (error) {
    return {
      status: error.status,
      body: {
        code: error.code,
        message: error.message,
        more_info: `https://www.twilio.com/docs/errors/${error.code}`,
        status: error.status,
      },
      ...(error.headers ? { headers: error.headers } : {}),
    };
  }
  return {
    status: 201,
    body: {
      sid: `SM${'0'.repeat(32)}`,
      account_sid: SID,
      to,
      from: form.get('From'),
      body: form.get('Body'),
      status: 'queued',
      error_code: null,
    },
  };
}

let server: Awaited<ReturnType<typeof providerServer>>;
beforeAll(async () => {
  server = await providerServer(fakeTwilio);
});
afterAll(() => server.close());

const sender = (overrides: Partial<{ authToken: string; timeoutMs: number }> = {}) =>
  twilioSms({
    accountSid: SID,
    authToken: TOKEN,
    from: FROM,
    baseUrl: server.url,
    timeoutMs: 500,
    ...overrides,
  });

function delivered(from: number) {
  return server.received
    .slice(from)
    .filter((r) => r.headers.authorization?.startsWith('Basic'))
    .map((r) => new URLSearchParams(r.body))
    .map((form) => ({ to: form.get('To') ?? '', text: form.get('Body') ?? '' }));
}

describe('twilioSms over fetch', () => {
  runContractSuite(
    smsSenderContract(
      () => {
        const from = server.received.length;
        return { sender: sender(), delivered: () => delivered(from) };
      },
      { makeRefusingSender: () => sender({ authToken: 'wrong-token-0123456789' }) },
    ),
    { describe, it },
  );

  it('POSTs the documented form to the Messages endpoint with Basic auth', async () => {
    const from = server.received.length;
    await sender().send({
      to: '+447894123456',
      text: 'Box Office: 123456 is your code. Ünïcödé ✓',
    });
    const request = server.received[from] as ReceivedRequest;
    expect(request.method).toBe('POST');
    expect(request.path).toBe(`/2010-04-01/Accounts/${SID}/Messages.json`);
    expect(request.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(request.headers.authorization).toBe(
      `Basic ${Buffer.from(`${SID}:${TOKEN}`).toString('base64')}`,
    );
    expect(Object.fromEntries(new URLSearchParams(request.body))).toEqual({
      To: '+447894123456',
      Body: 'Box Office: 123456 is your code. Ünïcödé ✓',
      From: FROM,
    });
  });

  it('sends MessagingServiceSid instead of From, and an API key SID as the user', async () => {
    const from = server.received.length;
    const viaService = twilioSms({
      accountSid: SID,
      apiKeySid: 'SK0123',
      authToken: TOKEN,
      messagingServiceSid: 'MG0123',
      baseUrl: server.url,
    });
    await viaService.send({ to: '+447894123456', text: 'hi' });
    const request = server.received[from] as ReceivedRequest;
    expect(request.headers.authorization).toBe(
      `Basic ${Buffer.from(`SK0123:${TOKEN}`).toString('base64')}`,
    );
    expect(Object.fromEntries(new URLSearchParams(request.body))).toEqual({
      To: '+447894123456',
      Body: 'hi',
      MessagingServiceSid: 'MG0123',
    });
  });

  it.each([
    ['+15005550001', 'invalid_number', false, 21211],
    ['+15005550009', 'not_sms_capable', false, 21614],
    ['+15005550002', 'unreachable', false, 21612],
    ['+15005550003', 'unreachable', false, 21408],
    ['+15005550004', 'unreachable', false, 21610],
    ['+447911000429', 'rate_limited', true, 20429],
    ['+447911000500', 'server_error', true, 20500],
    ['+447911000400', 'rejected', false, 21602],
  ])('maps %s to %s (retryable %s)', async (to, reason, retryable, code) => {
    const error = await rejectionOf(() => sender().send({ to, text: 'x' }));
    expect(error).toBeInstanceOf(DeliveryError);
    expect(error).toMatchObject({ reason, retryable, provider: 'twilio', providerCode: code });
  });

  it('passes on Retry-After with a rate limit', async () => {
    const error = await rejectionOf(() => sender().send({ to: '+447911000429', text: 'x' }));
    expect(error['retryAfterMs']).toBe(2_000);
  });

  it('maps refused credentials to authentication, not retried', async () => {
    const error = await rejectionOf(() =>
      sender({ authToken: 'nope' }).send({ to: '+447894123456', text: 'x' }),
    );
    expect(error).toMatchObject({
      reason: 'authentication',
      retryable: false,
      status: 401,
      providerCode: 20003,
    });
  });

  it('gives up on a slow answer after its timeout, as a retryable timeout', async () => {
    const started = Date.now();
    const error = await rejectionOf(() => sender({ timeoutMs: 100 }).send({ to: SLOW, text: 'x' }));
    expect(error).toMatchObject({ reason: 'timeout', retryable: true });
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  it('stops when the core aborts the try', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const error = await rejectionOf(() =>
      sender().send({ to: SLOW, text: 'x' }, { signal: controller.signal }),
    );
    expect(error).toMatchObject({ reason: 'timeout' });
  });

  it('maps a dropped connection to a retryable connection failure', async () => {
    const error = await rejectionOf(() => sender().send({ to: DROP, text: 'x' }));
    expect(error).toMatchObject({ reason: 'connection', retryable: true });
  });

  it('never puts the message text in its errors', async () => {
    const error = await rejectionOf(() =>
      sender().send({ to: '+15005550001', text: 'secret 987654' }),
    );
    expect(
      JSON.stringify({ ...error, message: (error as unknown as Error).message }),
    ).not.toContain('987654');
  });

  it('refuses a configuration without exactly one sender', () => {
    expect(() => twilioSms({ accountSid: SID, authToken: TOKEN } as never)).toThrow(TypeError);
    expect(() =>
      twilioSms({
        accountSid: SID,
        authToken: TOKEN,
        from: FROM,
        messagingServiceSid: 'MG1',
      } as never),
    ).toThrow(TypeError);
  });
});

describe('twilioSms with the official twilio client', () => {
  // The real client, its requests redirected from api.twilio.com to the local fake.
  class LocalRequestClient extends twilio.RequestClient {
    override request<T>(options: Parameters<twilio.RequestClient['request']>[0]) {
      const uri = options.uri.replace('https://api.twilio.com', server.url);
      // The options pass through unchanged but for the host; `never` bridges the generic.
      return super.request<T>({ ...options, uri } as never);
    }
  }
  const client = (token = TOKEN) => twilio(SID, token, { httpClient: new LocalRequestClient() });

  runContractSuite(
    smsSenderContract(
      () => {
        const from = server.received.length;
        return {
          sender: twilioSms({ client: client(), from: FROM }),
          delivered: () => delivered(from),
        };
      },
      { makeRefusingSender: () => twilioSms({ client: client('wrong'), from: FROM }) },
    ),
    { describe, it },
  );

  it('maps the client’s RestException by Twilio code', async () => {
    const error = await rejectionOf(() =>
      twilioSms({ client: client(), from: FROM }).send({ to: '+15005550009', text: 'x' }),
    );
    expect(error).toMatchObject({
      reason: 'not_sms_capable',
      retryable: false,
      providerCode: 21614,
    });
  });

  it('maps a dropped connection under the client to a retryable failure', async () => {
    const error = await rejectionOf(() =>
      twilioSms({ client: client(), from: FROM }).send({ to: DROP, text: 'x' }),
    );
    expect(error).toMatchObject({ reason: 'connection', retryable: true });
  });
});
