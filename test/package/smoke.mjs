// A user's first program, run by test/package/package.test.ts against the packed
// package installed in a temporary project: every subpath, loaded with
// `import` (ESM) or `require` (CommonJS) as argv[2] says. Prints one line per
// check, `ok <name>`, and exits non-zero on the first failure.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';

const mode = process.argv[2];
// Redis has no embedded stand-in: its check runs alone, and only where a server is (REDIS_URL).
// Telemetry's runs alone too: the others run where @opentelemetry/api is not installed.
const group = process.argv[3] ?? null;
const GROUPS = { redis: 'api-accounts/redis:', telemetry: 'telemetry:' };
const require = createRequire(`${process.cwd()}/`);
const load = (name) => (mode === 'cjs' ? require(name) : import(name));

const core = await load('api-accounts');
const testing = await load('api-accounts/testing');
const { sqliteStore } = await load('api-accounts/sqlite');
const { postgresStore } = await load('api-accounts/postgres');
const { redisInvalidations } = await load('api-accounts/redis');
const { fetchAuth } = await load('api-accounts/middleware');
const { nodemailerEmail } = await load('api-accounts/nodemailer');
const { webhookSms } = await load('api-accounts/sms');
const { claimPage } = await load('api-accounts/claim-page');
const { adminApi } = await load('api-accounts/admin-api');
const { githubSecretScanning, keyPattern } = await load('api-accounts/secret-scanning');
// Types only: their modules load, and hold no values.
const errorTypes = await load('api-accounts/errors');
const portTypes = await load('api-accounts/ports');

const admin = { id: 'smoke', roles: [core.SETTINGS_ADMINISTRATOR] };
const input = (n) => ({
  username: `Smoke ${n}`,
  email: `dev${n}@partner.example`,
  phone: '+447894123456',
});
const fast = { baseDelayMs: 1, maxDelayMs: 5 };
const check = async (name, run) => {
  const named = Object.entries(GROUPS).find(([, prefix]) => name.startsWith(prefix))?.[0] ?? null;
  if (named !== group) return;
  await run();
  console.log(`ok ${name}`);
};

/** A manager with a sealer over `store` and the in-memory ports, `extra` replacing any. */
function managerOver(store, extra = {}) {
  const ports = core.inMemoryPorts();
  const sealer = core.aesGcmSealer({ keys: { k1: randomBytes(32) }, current: 'k1' });
  const manager = new core.ApiAccountManager({
    ...ports,
    store,
    sealer,
    claimUrl: (token) => `https://bo.example/claim?token=${token}`,
    ...extra,
  });
  return { manager, ports };
}

/** Creates an account (its claim sent through `extra`'s senders, if any); the result. */
async function created(extra) {
  const { manager } = managerOver(core.inMemoryPorts().store, { ...extra, delivery: fast });
  const result = await manager.createAccount(admin, input(randomBytes(3).toString('hex')));
  return result._unsafeUnwrap();
}

/** Creates an account on `store`, claims it, and verifies the key and a signed request. */
async function lifecycle(store) {
  const { manager, ports } = managerOver(store);
  const created = await manager.createAccount(admin, input(randomBytes(3).toString('hex')));
  assert.ok(created.isOk(), JSON.stringify(created.isErr() && created.error));
  const claimed = (await manager.claimApiKey(testing.latestClaim(ports)))._unsafeUnwrap();
  assert.ok((await manager.verifyApiKey(claimed.apiKey)).isOk());
  const url = 'https://bo.example/api/v3/customers';
  const signed = await core.signRequest({
    method: 'GET',
    url,
    username: claimed.username,
    apiKey: claimed.apiKey,
    date: ports.clock.now(),
  });
  const { authorization, date } = signed._unsafeUnwrap();
  assert.ok(
    (
      await manager.verifySignedRequest({ method: 'GET', url, headers: { authorization, date } })
    ).isOk(),
  );
  return { manager, claimed };
}

await check('api-accounts: create, claim, bearer and signed verification in memory', async () => {
  await lifecycle(core.inMemoryPorts().store);
});

await check('api-accounts/testing: a contract suite runs against the in-memory store', async () => {
  const cases = [];
  testing.runContractSuite(
    testing.accountStoreContract(() => core.inMemoryPorts().store),
    {
      describe: (_name, body) => body(),
      it: (name, run) => cases.push({ name, run }),
    },
  );
  assert.ok(cases.length > 10);
  for (const c of cases) await c.run();
});

await check('api-accounts/sqlite: migrate, then the whole lifecycle', async () => {
  const Database = require('better-sqlite3');
  const store = sqliteStore(new Database(':memory:'));
  await store.migrate();
  await lifecycle(store);
  await store.close();
});

await check('api-accounts/postgres: migrate, then the whole lifecycle', async () => {
  const url = process.env.DATABASE_URL;
  let pool;
  let done;
  if (url) {
    const pg = require('pg');
    pool = new pg.Pool({ connectionString: url, max: 2 });
    done = () => pool.end();
  } else {
    const { PGlite } = await import('@electric-sql/pglite');
    const db = new PGlite();
    pool = { query: async (text, values) => ({ rows: (await db.query(text, values)).rows }) };
    done = () => db.close();
  }
  const schema = `aa_smoke_${mode}_${randomBytes(4).toString('hex')}`;
  const store = postgresStore(pool, { schema });
  await store.migrate();
  await lifecycle(store);
  await store.close();
  await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await done();
});

await check('api-accounts/redis: an invalidation bus publishes and subscribes', async () => {
  const url = process.env.REDIS_URL;
  assert.ok(url, 'REDIS_URL is not set: the Redis smoke check needs a Redis server');
  const { Redis } = require('ioredis');
  const publisher = new Redis(url);
  const subscriber = new Redis(url);
  const channel = `aa-smoke-${randomBytes(4).toString('hex')}`;
  const bus = redisInvalidations({ publisher, subscriber, channel });
  const heard = new Promise((resolve) => {
    bus
      .subscribe({ invalidate: resolve, interrupted: () => undefined, resumed: () => undefined })
      .then(() => bus.publish('acct_0000000000000000000000'));
  });
  assert.equal(await heard, 'acct_0000000000000000000000');
  publisher.disconnect();
  subscriber.disconnect();
});

await check(
  'telemetry: with @opentelemetry/api installed, spans reach the provider the host registers',
  async () => {
    const api = require('@opentelemetry/api');
    const sdk = require('@opentelemetry/sdk-trace-base');
    const spans = new sdk.InMemorySpanExporter();
    const { manager, claimed } = await lifecycle(core.inMemoryPorts().store);
    // Registered after the manager was made, as hosts often do: the SDK's tracer follows.
    api.trace.setGlobalTracerProvider(
      new sdk.BasicTracerProvider({ spanProcessors: [new sdk.SimpleSpanProcessor(spans)] }),
    );
    assert.equal((await manager.verifyApiKey(claimed.apiKey)).isOk(), true);
    const names = spans.getFinishedSpans().map((span) => span.name);
    assert.ok(names.includes('api_accounts.verify'), names.join(', '));
  },
);

await check(
  'api-accounts/middleware: fetchAuth lets a key through and refuses another',
  async () => {
    const { manager, claimed } = await lifecycle(core.inMemoryPorts().store);
    const handler = fetchAuth(manager, (_request, principal) => Response.json(principal.username));
    const url = 'https://bo.example/api/v3/customers';
    const yes = await handler(
      new Request(url, { headers: { authorization: `Bearer ${claimed.apiKey}` } }),
    );
    assert.equal(yes.status, 200);
    const no = await handler(new Request(url, { headers: { authorization: 'Bearer nope' } }));
    assert.equal(no.status, 401);
  },
);

await check(
  'api-accounts/nodemailer: a dropped connection is retried, then delivered',
  async () => {
    const nodemailer = require('nodemailer');
    const real = nodemailer.createTransport({ jsonTransport: true });
    let tries = 0;
    const transport = {
      sendMail: async (mail) => {
        tries += 1;
        if (tries === 1)
          throw Object.assign(new Error('Connection closed'), { code: 'ECONNECTION' });
        return real.sendMail(mail);
      },
    };
    const email = nodemailerEmail(transport, { from: 'no-reply@bo.example' });
    const result = await created({ email });
    assert.deepEqual(result.delivery.email, { status: 'sent', attempts: 2 });
    assert.equal(tries, 2);
  },
);

await check('api-accounts/sms: a gateway answering 503 is retried, then delivered', async () => {
  const statuses = [503, 200];
  const received = [];
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      received.push(req.method);
      res.writeHead(statuses.shift() ?? 200, { 'content-type': 'application/json' });
      res.end('{}');
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const sms = webhookSms({
      url: `http://127.0.0.1:${server.address().port}/send`,
      secret: 'smoke-secret-0123456789',
    });
    const result = await created({ sms });
    assert.deepEqual(result.delivery.sms, { status: 'sent', attempts: 2 });
    assert.equal(received.length, 2);
  } finally {
    server.close();
  }
});

await check('api-accounts/claim-page: the link moves into a cookie', async () => {
  const ports = core.inMemoryPorts();
  const manager = new core.ApiAccountManager({
    ...ports,
    claimUrl: (t) => `https://bo.example/claim?token=${t}`,
  });
  await manager.createAccount(admin, input('page'));
  const { token } = testing.latestClaim(ports);
  const page = claimPage(manager);
  const response = await page(new Request(`https://bo.example/claim?token=${token}`));
  assert.equal(response.status, 303);
  assert.match(response.headers.get('set-cookie') ?? '', /HttpOnly/);
});

await check(
  'api-accounts/admin-api: creates an account and serves its OpenAPI document',
  async () => {
    const manager = new core.ApiAccountManager({
      ...core.inMemoryPorts(),
      claimUrl: (t) => `https://bo.example/claim?token=${t}`,
    });
    const api = adminApi(manager, { basePath: '/admin', actor: () => admin });
    const created = await api(
      new Request('https://bo.example/admin/accounts', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(input('admin-api')),
      }),
    );
    assert.equal(created.status, 201);
    assert.equal(created.headers.get('etag'), '"1"');
    const document = await (await api(new Request('https://bo.example/admin/openapi.json'))).json();
    assert.equal(document.openapi, '3.1.0');
  },
);

await check(
  'api-accounts/secret-scanning: a leaked key reported with its pattern stops; an unsigned report is refused',
  async () => {
    const ports = core.inMemoryPorts();
    const manager = new core.ApiAccountManager({
      ...ports,
      keyFormat: { prefix: 'ak_smoke' },
      claimUrl: (t) => `https://bo.example/claim?token=${t}`,
    });
    await manager.createAccount(admin, input('leak'));
    const { apiKey } = (await manager.claimApiKey(testing.latestClaim(ports)))._unsafeUnwrap();
    assert.ok(keyPattern('ak_smoke').test(`KEY=${apiKey}`));
    const receiver = githubSecretScanning(manager, { publicKeys: async () => [] });
    const unsigned = await receiver(
      new Request('https://bo.example/leaks', { method: 'POST', body: '[]' }),
    );
    assert.equal(unsigned.status, 401);
    const leaked = (await manager.reportLeakedKey(apiKey, { source: 'smoke' }))._unsafeUnwrap();
    assert.equal(leaked.action, 'revoked');
    assert.equal((await manager.verifyApiKey(apiKey)).isErr(), true);
  },
);

await check('api-accounts/errors and api-accounts/ports: type-only modules that load', async () => {
  for (const types of [errorTypes, portTypes]) {
    assert.deepEqual(
      Object.keys(types).filter((key) => key !== 'default' && key !== '__esModule'),
      [],
    );
  }
});

await check('one copy of each class across entry points', async () => {
  const { DeliveryError } = core;
  const sms = webhookSms({
    url: 'http://127.0.0.1:9/send',
    secret: 'smoke-secret-0123456789',
    timeoutMs: 200,
  });
  const failure = await sms.send({ to: '+447894123456', text: 'x' }).catch((error) => error);
  assert.ok(failure instanceof DeliveryError, 'the sms adapter throws the core DeliveryError');
  assert.equal(failure.retryable, true);
});
