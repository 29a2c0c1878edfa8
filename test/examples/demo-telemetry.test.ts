/**
 * The demo's OpenTelemetry set-up: one line per span and a metrics summary
 * on the console, or OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT (here a local
 * receiver standing in for a collector).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { latestClaim } from 'api-accounts/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { type DemoTelemetry, startTelemetry } from '../../examples/demo/telemetry.js';
import { startDemoApp } from './demo-app.js';

let telemetry: DemoTelemetry | null = null;
afterEach(async () => {
  await telemetry?.shutdown();
  telemetry = null;
});

/** The demo with one account whose key is claimed, and a call of its sample API. */
async function demoWithCall() {
  const demo = await startDemoApp();
  const created = await demo.fetch(
    new Request('http://localhost:3000/settings/api-accounts/new', {
      method: 'POST',
      headers: { cookie: 'demo_user=sam' },
      body: new URLSearchParams({
        username: 'ACME',
        email: 'dev@acme.example',
        phone: '+447894123456',
      }),
    }),
  );
  expect(created.status).toBe(303);
  const sent = demo.inbox.items().reverse();
  const claim = latestClaim({
    sms: { sent: sent.filter((m) => m.channel === 'sms') },
    email: { sent: sent.flatMap((m) => (m.channel === 'email' ? [m] : [])) },
  });
  const { apiKey } = (await demo.manager.claimApiKey(claim))._unsafeUnwrap();
  const call = (key: string) =>
    demo.fetch(
      new Request('http://localhost:3000/riverside/api/v3/customers', {
        headers: { authorization: `Bearer ${key}` },
      }),
    );
  expect((await call(apiKey)).status).toBe(200);
  expect((await call(`${apiKey}x`)).status).toBe(401);
  return { apiKey, code: claim.code, token: claim.token };
}

describe('the demo: telemetry', () => {
  it('prints one line per span and the metrics to the console without a collector', async () => {
    const lines: string[] = [];
    telemetry = startTelemetry({}, (line) => lines.push(line));
    expect(telemetry.destination).toBe('the console');
    const secrets = await demoWithCall();
    await telemetry.flush();
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^otel span api_accounts\.createAccount accepted riverside [\d.]+ ms$/,
        ),
        expect.stringMatching(
          /^otel span api_accounts\.verify bearer accepted miss riverside [\d.]+ ms$/,
        ),
        expect.stringMatching(
          /^otel span api_accounts\.verify bearer refused malformed_key riverside [\d.]+ ms$/,
        ),
        expect.stringMatching(
          /^otel metric api_accounts\.verifications bearer,accepted=1 bearer,refused,malformed_key=1$/,
        ),
        expect.stringMatching(/^otel metric api_accounts\.verification\.duration all=2× mean /),
        expect.stringMatching(/^otel metric api_accounts\.deliveries .*sms,sent=1/),
      ]),
    );
    for (const line of lines) {
      for (const secret of Object.values(secrets)) expect(line).not.toContain(secret);
    }
  });

  it('exports over OTLP/HTTP when OTEL_EXPORTER_OTLP_ENDPOINT is set', async () => {
    const received: { path: string; bytes: number }[] = [];
    const collector = createServer((request, response) => {
      let bytes = 0;
      request.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
      });
      request.on('end', () => {
        received.push({ path: request.url ?? '', bytes });
        response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
    const { port } = collector.address() as AddressInfo;
    try {
      telemetry = startTelemetry({ OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}` });
      expect(telemetry.destination).toBe(`OTLP at http://127.0.0.1:${port}`);
      await demoWithCall();
      await telemetry.flush();
      expect(received.map((r) => r.path).sort()).toEqual(['/v1/metrics', '/v1/traces']);
      expect(received.every((r) => r.bytes > 100)).toBe(true);
      // Shut down while the collector still answers: its last export would otherwise retry.
      await telemetry.shutdown();
      telemetry = null;
    } finally {
      collector.close();
    }
  });
});
