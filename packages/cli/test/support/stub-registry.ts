import type { IncomingHttpHeaders } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A running stub registry. */
export interface StubRegistry {
  readonly url: string;
  close(): Promise<void>;
}

/**
 * A small HTTP server on 127.0.0.1 that answers each request with the status and JSON body `answer`
 * gives for its method, path and headers, to run the CLI against registries that answer as no embedded one does.
 */
export async function startStubRegistry(
  answer: (method: string, path: string, headers: IncomingHttpHeaders) => readonly [number, unknown],
): Promise<StubRegistry> {
  const server = createServer((request, response) => {
    const [status, body] = answer(request.method ?? '', request.url ?? '', request.headers);
    const text = JSON.stringify(body);
    response.writeHead(status, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(text),
    });
    response.end(text);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
