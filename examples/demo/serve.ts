import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { nodeListener } from 'api-accounts/claim-page';
import { DEFAULT_MAX_BODY_BYTES } from 'api-accounts/middleware';

/**
 * Serves a fetch-style handler over node:http, through the SDK's own bridge
 * (the one a host uses to mount the claim page in Express).
 */
export async function serve(
  handler: (request: Request) => Promise<Response>,
  port: number,
  host = '127.0.0.1',
) {
  // The listener takes bodies as large as the API middleware checks (1 MiB), no larger.
  const server: Server = createServer(
    nodeListener(handler, { maxBodyBytes: DEFAULT_MAX_BODY_BYTES }),
  );
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  const address = server.address() as AddressInfo;
  return {
    url: `http://${host === '127.0.0.1' ? 'localhost' : host}:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
