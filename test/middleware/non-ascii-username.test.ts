/**
 * A partner whose username is not ASCII signs requests end to end: its UTF-8
 * bytes travel in the header, over a real socket, and every shim finds it.
 */
import { createServer, type RequestListener, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inMemoryPorts, signRequest } from 'api-accounts';
import { nodeListener } from 'api-accounts/claim-page';
import { expressAuth, expressPrincipal, fetchAuth } from 'api-accounts/middleware';
import express from 'express';
import { afterAll, describe, expect, it } from 'vitest';
import { accountInput, accountWithKey, freshSealer, world } from '../helpers.js';

const servers: { close: () => void }[] = [];
afterAll(() => {
  for (const server of servers) server.close();
});

async function listen(listener: RequestListener): Promise<string> {
  const server = createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A GET with headers written byte for byte (a string's characters as Latin-1 bytes). */
function get(url: string, headers: Record<string, string>) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request(url, { headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => {
        body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

async function partner(username: string) {
  const ports = inMemoryPorts();
  ports.clock.set(new Date(Math.floor(Date.now() / 1000) * 1000));
  const w = world({ sealer: freshSealer() }, ports);
  const account = await accountWithKey(w, accountInput({ username }));
  return { w, account, date: ports.clock.now() };
}

describe('SpektrixAPI3 with a non-ASCII username, over real sockets', () => {
  for (const username of ['Théâtre du Châtelet', '劇場チケット', 'Zoë & Søn 🎟']) {
    it(`accepts ${username} through fetchAuth on nodeListener and through Express`, async () => {
      const { w, account, date } = await partner(username);
      const fetchBase = await listen(
        nodeListener(
          fetchAuth(w.manager, (_request, principal) => Response.json({ who: principal.username })),
        ),
      );
      const app = express();
      app.use(expressAuth(w.manager));
      app.get('/api/v3/customers', (_req, res) => {
        res.json({ who: expressPrincipal(res).username });
      });
      const expressBase = await listen(app as unknown as RequestListener);
      for (const base of [fetchBase, expressBase]) {
        const url = `${base}/api/v3/customers`;
        const signed = signRequest({ method: 'GET', url, username, apiKey: account.apiKey, date });
        const { authorization, date: dateHeader } = (await signed)._unsafeUnwrap();
        const answer = await get(url, { authorization, date: dateHeader });
        expect(answer.status, base).toBe(200);
        expect(JSON.parse(answer.body)).toEqual({ who: username });
      }
    });
  }

  it('reads a username sent in Latin-1 by a client that knows no UTF-8', async () => {
    const { w, account, date } = await partner('Théâtre');
    const base = await listen(
      nodeListener(fetchAuth(w.manager, (_r, principal) => Response.json(principal.username))),
    );
    const url = `${base}/x`;
    const signed = (
      await signRequest({ method: 'GET', url, username: 'x', apiKey: account.apiKey, date })
    )._unsafeUnwrap();
    // The same signature, with the name's Latin-1 bytes where the UTF-8 ones would be.
    const authorization = signed.authorization.replace('SpektrixAPI3 x:', 'SpektrixAPI3 Théâtre:');
    const answer = await get(url, { authorization, date: signed.date });
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toBe('Théâtre');
  });

  it('refuses a signature made for another name that folds differently', async () => {
    const { w, account, date } = await partner('Théâtre');
    const base = await listen(nodeListener(fetchAuth(w.manager, () => new Response('in'))));
    const url = `${base}/x`;
    const signed = (
      await signRequest({ method: 'GET', url, username: 'Theatre', apiKey: account.apiKey, date })
    )._unsafeUnwrap();
    expect(
      (await get(url, { authorization: signed.authorization, date: signed.date })).status,
    ).toBe(401);
  });
});
