import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A local proxy to a registry that refuses its first requests with 503, as a registry restarting does. */
export interface FlakyRegistryProxy {
  /** The registry base URL, through the proxy. */
  readonly url: string;
  /** How many requests were refused so far. */
  readonly refused: number;
  /** How many requests were passed on so far. */
  readonly forwarded: number;
  close(): Promise<void>;
}

/** Starts a proxy to `registryUrl` that answers 503 to the first `refusals` requests, then forwards. */
export async function startFlakyRegistryProxy(
  registryUrl: string,
  refusals: number,
): Promise<FlakyRegistryProxy> {
  const target = new URL(registryUrl);
  let refused = 0;
  let forwarded = 0;
  const server = createServer((request, response) => {
    if (refused < refusals) {
      refused++;
      response.writeHead(503, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ message: 'registry is starting' }));
      return;
    }
    forwarded++;
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      const headers: Record<string, string> = {};
      for (const name of ['accept', 'content-type']) {
        const value = request.headers[name];
        if (typeof value === 'string') headers[name] = value;
      }
      fetch(new URL(request.url ?? '/', target.origin), {
        method: request.method ?? 'GET',
        headers,
        ...(body.length > 0 ? { body } : {}),
      })
        .then(async (answer) => {
          response.writeHead(answer.status, {
            'content-type': answer.headers.get('content-type') ?? 'application/json',
          });
          response.end(Buffer.from(await answer.arrayBuffer()));
        })
        .catch((error: unknown) => {
          response.writeHead(502, { 'content-type': 'application/json' });
          response.end(JSON.stringify({ message: String(error) }));
        });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${target.pathname}`,
    get refused() {
      return refused;
    },
    get forwarded() {
      return forwarded;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // The registry client keeps connections alive; close would wait for them.
        server.closeAllConnections();
      }),
  };
}
