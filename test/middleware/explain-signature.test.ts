import { type AuthenticationError, fetchAuth } from 'api-accounts/middleware';
import { describe, expect, it } from 'vitest';
import { protectedWorld } from './fixtures.js';

const URL_BASE = 'https://box-office.example/api/v3/customers?sort=name';

async function refusedSignature(explainSignatureFailures: boolean, username?: string) {
  const w = await protectedWorld();
  const seen: AuthenticationError[] = [];
  const handler = fetchAuth(w.manager, () => new Response('in'), {
    explainSignatureFailures,
    onRefused: ({ error }) => seen.push(error),
  });
  const signed = await w.sign('POST', URL_BASE, '{"a":1}');
  const authorization = username
    ? signed.authorization.replace('ACME Tickets', username)
    : signed.authorization;
  // The client signed '{"a":1}' but sends '{"a":2}'.
  const response = await handler(
    new Request(URL_BASE, {
      method: 'POST',
      body: '{"a":2}',
      headers: { authorization, date: signed.date },
    }),
  );
  const body = (await response.json()) as { error: string; message: string; stringToSign: string };
  return { response, body, seen, date: signed.date };
}

describe('explainSignatureFailures', () => {
  it('shows the partner the string the server signed, never a secret', async () => {
    const { response, body, date } = await refusedSignature(true);
    expect(response.status).toBe(401);
    expect(body).toEqual({
      error: 'invalid_signature',
      message: 'The signature could not be verified.',
      // base64(md5('{"a":2}')): the body as received.
      stringToSign: `POST\n${URL_BASE}\n${date}\nqrRX4OwkT0d+4MCXuUonKA==`,
    });
  });

  it('answers an unknown username exactly as a wrong signature', async () => {
    const known = await refusedSignature(true);
    const unknown = await refusedSignature(true, 'Nobody Ltd');
    expect(unknown.response.status).toBe(known.response.status);
    expect(unknown.body).toEqual({ ...known.body, stringToSign: unknown.body.stringToSign });
    expect(unknown.body.stringToSign).toBe(
      known.body.stringToSign.replace(known.date, unknown.date),
    );
  });

  it('is off by default, while onRefused always has the string', async () => {
    const { body, seen } = await refusedSignature(false);
    expect(body).toEqual({
      error: 'invalid_signature',
      message: 'The signature could not be verified.',
    });
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ type: 'InvalidKey', reason: 'bad_signature' });
    expect((seen[0] as { stringToSign?: string }).stringToSign).toMatch(/^POST\n/);
  });
});

describe('explainSignatureFailures on GET (#23)', () => {
  it('shows the bodiless string a GET client should have signed, whatever body it sent', async () => {
    const w = await protectedWorld();
    const handler = fetchAuth(w.manager, () => new Response('in'), {
      explainSignatureFailures: true,
    });
    const signed = await w.sign('GET', URL_BASE);
    const { nodeListener } = await import('api-accounts/claim-page');
    const { createServer, request } = await import('node:http');
    const server = createServer(nodeListener(handler));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    const url = `http://127.0.0.1:${port}/api/v3/customers?sort=name`;
    try {
      // A client that sends `{}` on every GET (fetch cannot send a GET body; node:http can),
      // with a signature that is wrong for any string.
      const answer = await new Promise<string>((resolve, reject) => {
        const sent = request(url, {
          method: 'GET',
          headers: {
            authorization: signed.authorization.replace(/:.*$/, ':AAAAAAAAAAAAAAAAAAAAAAAAAAA='),
            date: signed.date,
            'content-type': 'application/json',
            'content-length': '2',
          },
        });
        sent.on('response', (res) => {
          let text = '';
          res.on('data', (chunk) => {
            text += chunk;
          });
          res.on('end', () => resolve(text));
        });
        sent.on('error', reject);
        sent.end('{}');
      });
      const body = JSON.parse(answer) as { stringToSign: string };
      expect(body.stringToSign).toBe(`GET\n${url}\n${signed.date}`);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
