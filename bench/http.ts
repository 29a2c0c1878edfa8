/**
 * HTTP throughput with authentication, each framework against its own
 * unauthenticated baseline, measured by autocannon (in a worker thread) on
 * loopback, in the same run. Bearer key on GET; in-memory store, verification
 * cache on (as a gateway would run it).
 *
 * Part of `npm run bench`.
 */
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApiAccountManager, inMemoryPorts, SETTINGS_ADMINISTRATOR } from 'api-accounts';
import { nodeListener } from 'api-accounts/claim-page';
import { expressAuth, fastifyAuth, fetchAuth, honoAuth } from 'api-accounts/middleware';
import { latestClaim } from 'api-accounts/testing';
import autocannon from 'autocannon';
import express from 'express';
import Fastify from 'fastify';
import { Hono } from 'hono';
import { type Measurement, printTable } from './harness.js';
import { registerDroppingSdk } from './otel-sdk.js';

const SECONDS = Number(process.env['BENCH_HTTP_SECONDS'] ?? 2);
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 3);
const CONNECTIONS = 16;

const ports = inMemoryPorts();
// BENCH_TELEMETRY=sdk: the OpenTelemetry SDK registered, spans batched to an exporter that drops
// them; =off: `telemetry: false`; unset: the global API as installed here, with no SDK.
const telemetry = process.env['BENCH_TELEMETRY'];
if (telemetry === 'sdk') registerDroppingSdk();
// As a gateway would run it: with the verification cache on.
const manager = new ApiAccountManager({
  ...ports,
  claimUrl: (t) => `https://bo.example/claim?token=${t}`,
  verifyCache: { ttlMs: 60_000 },
  ...(telemetry === 'off' ? { telemetry: false } : {}),
});
const admin = { id: 'bench', roles: [SETTINGS_ADMINISTRATOR] };
await manager.createAccount(admin, {
  username: 'Bench',
  email: 'bench@partner.example',
  phone: '+447894123456',
});
const { apiKey } = (await manager.claimApiKey(latestClaim(ports)))._unsafeUnwrap();
const payload = JSON.stringify({ customers: [{ id: 'I-AK11-1ATK', name: 'Example' }] });

/**
 * Serves a Fetch handler on node:http through the SDK's own bridge (what a
 * host mounts the claim page with), the same way for the baseline and the
 * protected handler.
 */
function fetchServer(handler: (request: Request) => Response | Promise<Response>): Server {
  return createServer(nodeListener(handler));
}

async function listen(server: Server): Promise<string> {
  server.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v3/customers`;
}

async function load(name: string, url: string, authenticated: boolean): Promise<Measurement> {
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: SECONDS,
    workers: 1,
    headers: authenticated ? { authorization: `Bearer ${apiKey}` } : {},
  });
  if (result.non2xx > 0 || result.errors > 0)
    throw new Error(`${name}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return { name, operations: result.requests.total, opsPerSecond: result.requests.average };
}

/**
 * Baseline and protected servers for one framework, loaded alternately for a
 * few rounds (baseline, protected, baseline, …); each keeps its median, so
 * drift in the shared machine hits both alike.
 */
async function compare(
  label: string,
  baseline: Server,
  protectedServer: Server,
  names = { plain: 'no auth', authed: 'API key required', keyOnBaseline: false },
) {
  const baseUrl = await listen(baseline);
  const protectedUrl = await listen(protectedServer);
  await load('warm-up', baseUrl, names.keyOnBaseline);
  await load('warm-up', protectedUrl, true);
  const plain: Measurement[] = [];
  const authed: Measurement[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    plain.push(await load(`${label}, ${names.plain}`, baseUrl, names.keyOnBaseline));
    authed.push(await load(`${label}, ${names.authed}`, protectedUrl, true));
  }
  baseline.close();
  protectedServer.close();
  return { plain: median(plain), authed: median(authed) };
}

function median(list: Measurement[]): Measurement {
  const sorted = [...list].sort((a, b) => a.opsPerSecond - b.opsPerSecond);
  return sorted[Math.floor(sorted.length / 2)] as Measurement;
}

const handler = () => new Response(payload, { headers: { 'content-type': 'application/json' } });

const answer = (res: ServerResponse) =>
  res.writeHead(200, { 'content-type': 'application/json' }).end(payload);

const nodeRaw = await compare(
  'node:http',
  createServer((_req, res) => answer(res)),
  createServer(async (req, res) => {
    const principal = await manager.verifyApiKey(
      (req.headers.authorization ?? '').replace(/^Bearer /, ''),
    );
    if (principal.isErr()) return void res.writeHead(401).end();
    answer(res);
  }),
);

// A control, no verification on either side: the same answer deferred to the event loop's next
// turn. How far that alone moves the ratio shows what two shared cores make of scheduling
// (docs/performance.md): read the rows above against it.
const control = await compare(
  'node:http',
  createServer((_req, res) => answer(res)),
  createServer((_req, res) => void setImmediate(answer, res)),
  { plain: 'no auth', authed: 'no auth, answered from setImmediate', keyOnBaseline: true },
);

const fetchStyle = await compare(
  'fetch (on node:http)',
  fetchServer(handler),
  fetchServer(fetchAuth(manager, handler)),
);

const expressApp = (auth: boolean) => {
  const app = express();
  if (auth) app.use(expressAuth(manager));
  app.get('/api/v3/customers', (_req, res) => {
    res.type('application/json').send(payload);
  });
  return createServer(app);
};
const expressRun = await compare('Express', expressApp(false), expressApp(true));

const fastifyApp = async (auth: boolean) => {
  const app = Fastify();
  if (auth) await app.register(fastifyAuth(manager));
  app.get('/api/v3/customers', async (_request, reply) =>
    reply.type('application/json').send(payload),
  );
  await app.ready();
  return app.server;
};
const fastifyRun = await compare('Fastify', await fastifyApp(false), await fastifyApp(true));

const honoApp = (auth: boolean) => {
  const app = new Hono();
  if (auth) app.use('*', honoAuth(manager));
  app.get('/api/v3/customers', (c) => c.body(payload, 200, { 'content-type': 'application/json' }));
  return fetchServer((request) => app.fetch(request));
};
const honoRun = await compare('Hono (on node:http)', honoApp(false), honoApp(true));

// What a per-account rate limit (in memory, a budget never spent) costs a request, on the fastest framework.
const limitedManager = new ApiAccountManager({
  ...ports,
  claimUrl: (t) => `https://bo.example/claim?token=${t}`,
  verifyCache: { ttlMs: 60_000 },
  rateLimit: { limit: 1_000_000, windowMs: 60_000 },
});
const fastifyWith = async (verifier: ApiAccountManager) => {
  const app = Fastify();
  await app.register(fastifyAuth(verifier));
  app.get('/api/v3/customers', async (_request, reply) =>
    reply.type('application/json').send(payload),
  );
  await app.ready();
  return app.server;
};
const limitRun = await compare(
  'Fastify',
  await fastifyWith(manager),
  await fastifyWith(limitedManager),
  { plain: 'API key, no rate limit', authed: 'API key, in-memory rate limit', keyOnBaseline: true },
);

printTable(
  `HTTP on loopback: autocannon, ${CONNECTIONS} connections, median of ${ROUNDS} alternating ${SECONDS} s runs (requests/s)`,
  [
    ...[nodeRaw, fetchStyle, expressRun, fastifyRun, honoRun].flatMap(({ plain, authed }) => [
      { measurement: plain },
      { measurement: authed, base: plain, target: '≥ 0.85 ×' },
    ]),
    { measurement: limitRun.plain },
    { measurement: limitRun.authed, base: limitRun.plain },
    { measurement: control.plain },
    { measurement: control.authed, base: control.plain },
  ],
);
