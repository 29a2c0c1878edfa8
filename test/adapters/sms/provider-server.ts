import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as the local provider received it. */
export interface ReceivedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** How the local provider answers: a status and body, after a delay, or by dropping the connection. */
export type Reply =
  | {
      readonly status: number;
      readonly body?: unknown;
      readonly headers?: Record<string, string>;
      readonly delayMs?: number;
    }
  | { readonly drop: true };

/**
 * A loopback HTTP server standing in for a provider: it records every request
 * and answers through `answer`, which implements the provider's documented
 * request and response shapes in each test file.
 */
export async function providerServer(answer: (request: ReceivedRequest) => Reply) {
  const received: ReceivedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      received.push(request);
      const reply = answer(request);
      if ('drop' in reply) {
        req.socket.destroy();
        return;
      }
      const respond = () => {
        if (res.destroyed) return;
        const body = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body ?? {});
        res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
        res.end(body);
      };
      if (reply.delayMs) setTimeout(respond, reply.delayMs).unref();
      else respond();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Runs `send` and returns what it rejected with (failing the test if it resolved). */
export async function rejectionOf(send: () => Promise<unknown>): Promise<Record<string, unknown>> {
  try {
    await send();
  } catch (error) {
    return error as Record<string, unknown>;
  }
  throw new Error('expected the send to reject');
}
