/**
 * SpektrixAPI3 clients as they are in the wild, each request written byte
 * for byte over a real socket to every shim.
 */

import { inMemoryPorts } from 'api-accounts';
import { describe, expect, it } from 'vitest';
import { accountInput, accountWithKey, freshSealer, world as makeWorld } from '../helpers.js';
import { dateForms, everyShim, everyShimForTheseTests, sendSigned } from './real-clients.js';

const setUp = everyShimForTheseTests();

const json = { 'content-type': 'application/json' };

describe('real SpektrixAPI3 clients, through every shim', () => {
  it('accepts a GET carrying an unsigned {} body (a widely used Python client)', async () => {
    for (const shim of setUp.shims) {
      const answer = await sendSigned(shim.base, setUp.world.account, {
        method: 'GET',
        target: '/api/v3/customers',
        date: setUp.world.ports.clock.now().toUTCString(),
        body: Buffer.from('{}'),
        signBody: false,
        headers: json,
      });
      expect(answer, shim.name).toEqual({
        status: 200,
        body: JSON.stringify({ who: 'ACME Tickets' }),
      });
    }
  });

  it('checks a GET whose signature does cover its body against that body', async () => {
    for (const shim of setUp.shims) {
      const request = {
        method: 'GET',
        target: '/api/v3/customers',
        date: setUp.world.ports.clock.now().toUTCString(),
        body: Buffer.from('{"a":1}'),
        headers: json,
      };
      expect((await sendSigned(shim.base, setUp.world.account, request)).status, shim.name).toBe(
        200,
      );
      const altered = await sendSigned(shim.base, setUp.world.account, request, (sent) => {
        sent.body = Buffer.from('{"a":2}');
      });
      expect(altered.status, shim.name).toBe(401);
    }
  });

  it.each([
    "/api/v3/customers?email=o'brien@example.com",
    '/api/v3/customers?q="quoted"&x=!*()',
    '/api/v3/./customers/../customers',
    '/api/v3/customers/%27%20%2F?a=%2527',
    // café/🎟/✓ as clients send them (Node's parser answers 400 to raw bytes above 0x7F).
    '/api/v3/caf%C3%A9/%F0%9F%8E%9F?q=%E2%9C%93',
  ])('checks the URL exactly as sent: %s', async (target) => {
    for (const shim of setUp.shims) {
      const answer = await sendSigned(shim.base, setUp.world.account, {
        method: 'GET',
        target,
        date: setUp.world.ports.clock.now().toUTCString(),
      });
      expect(answer.status, shim.name).toBe(200);
    }
  });

  it('accepts every date form real clients write, and signs it verbatim', async () => {
    for (const [form, date] of Object.entries(dateForms(setUp.world.ports.clock.now()))) {
      for (const shim of setUp.shims) {
        const answer = await sendSigned(shim.base, setUp.world.account, {
          method: 'POST',
          target: '/api/v3/customers',
          date,
          body: Buffer.from('{"name":"test"}'),
          headers: json,
        });
        expect(answer.status, `${form} through ${shim.name}`).toBe(200);
      }
    }
  });
});

describe('behind a proxy, with publicBaseUrl', () => {
  it('accepts clients that sign the public URL whatever Host reaches the app', async () => {
    const ports = inMemoryPorts();
    ports.clock.set(new Date(Math.floor(Date.now() / 1000) * 1000));
    const publicBaseUrl = 'https://api.box-office.example:8443';
    const w = makeWorld({ sealer: freshSealer(), signedRequests: { publicBaseUrl } }, ports);
    const account = await accountWithKey(w, accountInput({ username: 'Proxy Client' }));
    const behind = await everyShim(w.manager);
    try {
      // One client's Host lacks the port it signed; another hardcodes a Host of its own.
      for (const host of ['api.box-office.example', 'hardcoded.example']) {
        for (const shim of behind) {
          const answer = await sendSigned(shim.base, account, {
            method: 'GET',
            target: "/api/v3/customers?email=o'brien@example.com",
            date: ports.clock.now().toUTCString(),
            signedBase: publicBaseUrl,
            headers: { host },
          });
          expect(answer.status, `${shim.name}, Host ${host}`).toBe(200);
        }
      }
    } finally {
      await Promise.all(behind.map((shim) => shim.close()));
    }
  });
});
