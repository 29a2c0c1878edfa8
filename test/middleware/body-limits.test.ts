/**
 * A body is read only for a signed request that passed the checks needing no
 * body, and reading stops at the limit: a 512 MiB upload against a 1 KiB limit
 * costs a chunk or two, never the whole upload.
 */
import { Readable } from 'node:stream';
import { fastifyAuth, fetchAuth, honoAuth } from 'api-accounts/middleware';
import Fastify from 'fastify';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { protectedWorld } from './fixtures.js';

const URL_BASE = 'https://box-office.example/api/v3/customers';
const CHUNK = 64 * 1024;
const HUGE = 512 * 1024 * 1024;

/** A body of `total` bytes made on demand, counting what was pulled from it. */
function countedBody(total = HUGE) {
  let pulled = 0;
  const chunk = new Uint8Array(CHUNK).fill(120);
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (pulled >= total) {
        controller.close();
        return;
      }
      pulled += CHUNK;
      controller.enqueue(chunk);
    },
  });
  return { stream, pulled: () => pulled };
}

async function handlers() {
  const w = await protectedWorld();
  const signed = await w.sign('POST', URL_BASE, 'x');
  const stale = new Date(w.ports.clock.now().getTime() - 60 * 60 * 1000).toUTCString();
  const fetchHandler = fetchAuth(w.manager, () => new Response('in'), { maxBodyBytes: 1024 });
  const hono = new Hono();
  hono.use('*', honoAuth(w.manager, { maxBodyBytes: 1024 }));
  hono.post('*', (c) => c.text('in'));
  const viaHono = (request: Request) => hono.request(request);
  return { w, signed, stale, shims: { fetchAuth: fetchHandler, honoAuth: viaHono } };
}

const post = (body: ReadableStream<Uint8Array>, headers: Record<string, string>) =>
  new Request(URL_BASE, { method: 'POST', body, headers, duplex: 'half' } as RequestInit);

describe('body limits of fetchAuth and honoAuth', () => {
  it('stops reading a 512 MiB body once it passes a 1 KiB limit', async () => {
    const { signed, shims } = await handlers();
    for (const [name, handle] of Object.entries(shims)) {
      const body = countedBody();
      const headers = { authorization: signed.authorization, date: signed.date };
      const response = await handle(post(body.stream, headers));
      expect(response.status, name).toBe(413);
      expect(body.pulled(), name).toBeLessThanOrEqual(3 * CHUNK);
    }
  });

  it('reads no body at all for a stale Date or a malformed header', async () => {
    const { signed, stale, shims } = await handlers();
    for (const [name, handle] of Object.entries(shims)) {
      for (const headers of [
        { authorization: signed.authorization, date: stale },
        { authorization: 'SpektrixAPI3 ACME:not-a-signature', date: signed.date },
        { authorization: signed.authorization, date: 'yesterday' },
      ]) {
        const body = countedBody();
        const response = await handle(post(body.stream, headers));
        expect(response.status, name).toBe(401);
        // A stream may be primed with one chunk when it is made; nothing beyond that is read.
        expect(body.pulled(), name).toBeLessThanOrEqual(CHUNK);
      }
    }
  });
});

describe('body limits of fastifyAuth', () => {
  it('refuses a stale or malformed signed request before reading its body', async () => {
    const { w, signed, stale } = await handlers();
    const app = Fastify();
    await app.register(fastifyAuth(w.manager, { maxBodyBytes: 1024 }));
    app.post('/api/v3/customers', async () => 'in');
    await app.ready();
    try {
      let read = 0;
      const payload = Readable.from(
        (function* () {
          for (let i = 0; i < HUGE / CHUNK; i++) {
            read += CHUNK;
            yield Buffer.alloc(CHUNK, 120);
          }
        })(),
      );
      const response = await app.inject({
        method: 'POST',
        url: '/api/v3/customers',
        headers: {
          authorization: signed.authorization,
          date: stale,
          'content-type': 'application/octet-stream',
        },
        payload,
      });
      expect(response.statusCode).toBe(401);
      expect(read).toBeLessThanOrEqual(4 * CHUNK);
    } finally {
      await app.close();
    }
  });
});
